"""A CNN in the style of TensorFlow 1.x's "layers" tutorial (cnn_mnist.py), on a
session: tf.layers conv2d, batch_normalization, max_pooling2d, average_pooling2d,
flatten, dense and dropout with training=, plus a conv2d_transpose branch that
redraws the digit (a denoising side-loss, as some scripts of the era had)."""
import argparse
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data


def cnn(x, training):
    images = tf.reshape(x, [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(images, filters=16, kernel_size=5, padding="same",
                             activation=tf.nn.relu, name="conv1")
    norm1 = tf.layers.batch_normalization(conv1, training=training, name="norm1")
    pool1 = tf.layers.max_pooling2d(norm1, pool_size=2, strides=2)
    redrawn = tf.layers.conv2d_transpose(pool1, filters=1, kernel_size=3, strides=2,
                                         padding="same", name="redraw")
    conv2 = tf.layers.conv2d(pool1, filters=32, kernel_size=5, padding="same",
                             activation=tf.nn.relu, name="conv2")
    pool2 = tf.layers.average_pooling2d(conv2, pool_size=2, strides=2)
    flat = tf.layers.flatten(pool2)
    dense = tf.layers.dense(flat, units=256, activation=tf.nn.relu, name="dense")
    dropped = tf.layers.dropout(dense, rate=0.4, training=training)
    logits = tf.layers.dense(dropped, units=10, name="logits")
    return logits, tf.reshape(redrawn, [-1, 784])


def main(args):
    tf.set_random_seed(args.seed)
    mnist = input_data.read_data_sets(args.data_dir, one_hot=False)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    training = tf.placeholder_with_default(False, [])
    logits, redrawn = cnn(x, training)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits) + \
        0.1 * tf.losses.mean_squared_error(x, redrawn)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    correct = tf.equal(tf.argmax(logits, 1), y)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(args.steps):
            images, labels = mnist.train.next_batch(64)
            _, value = sess.run([train_op, loss], {x: images, y: labels, training: True})
            if step % 25 == 0:
                print("step %d loss %.6f" % (step, value))
        test = mnist.test.images[:args.test_size], mnist.test.labels[:args.test_size]
        print("layers accuracy %.4f" % sess.run(accuracy, {x: test[0], y: test[1]}))
    print("argv", sys.argv[1:], "name", __name__)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data_dir", default="MNIST_data/")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--test_size", type=int, default=10000)
    sys.exit(main(parser.parse_args()))
