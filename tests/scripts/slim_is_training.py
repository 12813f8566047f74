"""A slim-era MLP: slim.arg_scope over fully_connected with batch_norm as its normalizer
and slim.dropout, both fed a placeholder is_training (the usual pattern), trained with
slim.learning.create_train_op and measured with tf-slim's streaming accuracy (local
variables)."""
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

slim = tf.contrib.slim


def network(images, is_training):
    with slim.arg_scope([slim.fully_connected], normalizer_fn=slim.batch_norm,
                        normalizer_params={"is_training": is_training, "decay": 0.9}):
        net = slim.fully_connected(images, 128, scope="fc1")
        net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout1")
        net = slim.fully_connected(net, 64, scope="fc2")
    return slim.fully_connected(net, 10, activation_fn=None, scope="logits")


def main(steps):
    tf.set_random_seed(0)
    mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    is_training = tf.placeholder(tf.bool, [], name="is_training")
    logits = network(x, is_training)
    loss = tf.losses.softmax_cross_entropy(y, logits)
    train_op = slim.learning.create_train_op(loss, tf.train.AdamOptimizer(1e-3))
    accuracy, update = slim.metrics.streaming_accuracy(tf.argmax(logits, 1), tf.argmax(y, 1))
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for step in range(steps):
            images, labels = mnist.train.next_batch(100)
            value = sess.run(train_op, {x: images, y: labels, is_training: True})
            if step % 100 == 0:
                print("step %d, loss %.4f" % (step, value))
        for i in range(0, mnist.test.num_examples, 1000):
            sess.run(update, {x: mnist.test.images[i:i + 1000],
                              y: mnist.test.labels[i:i + 1000], is_training: False})
        print("slim accuracy %.4f" % sess.run(accuracy))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
