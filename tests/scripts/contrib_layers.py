"""A CNN in tf.contrib.layers style (as slim-era scripts wrote it), configured with
tf.app.flags and started by tf.app.run; MNIST from tf.contrib.learn's own reader,
the convolutions compiled under XLA's jit_scope, and one step traced to a Chrome
timeline."""
import os

import tensorflow as tf
from tensorflow.contrib.compiler import jit
from tensorflow.python.client import timeline

flags = tf.app.flags
flags.DEFINE_string("data_dir", "/tmp/mnist", "where MNIST is")
flags.DEFINE_integer("steps", 300, "training steps")
flags.DEFINE_string("trace", "", "write one step's timeline here (a .json file)")
FLAGS = flags.FLAGS


def network(images, is_training):
    layers = tf.contrib.layers
    net = tf.reshape(images, [-1, 28, 28, 1])
    with jit.experimental_jit_scope():
        net = layers.conv2d(net, 16, [5, 5], weights_initializer=layers.xavier_initializer(),
                            weights_regularizer=layers.l2_regularizer(1e-4))
        net = layers.max_pool2d(net, [2, 2])
    net = layers.batch_norm(net, decay=0.9, is_training=is_training)  # warm in few steps
    net = layers.flatten(net)
    net = layers.fully_connected(
        net, 128, weights_initializer=layers.variance_scaling_initializer())
    return layers.fully_connected(net, 10, activation_fn=None)


def main(argv):
    tf.logging.set_verbosity(tf.logging.INFO)
    mnist = tf.contrib.learn.datasets.mnist.read_data_sets(FLAGS.data_dir, one_hot=True)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    is_training = tf.placeholder_with_default(False, [])
    logits = network(x, is_training)
    loss = tf.losses.softmax_cross_entropy(y, logits) + tf.losses.get_regularization_loss()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)),
                                      tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            images, labels = mnist.train.next_batch(64)
            sess.run(train_op, {x: images, y: labels, is_training: True})
        if FLAGS.trace:
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            metadata = tf.RunMetadata()
            sess.run(train_op, {x: images, y: labels, is_training: True},
                     options=options, run_metadata=metadata)
            with open(FLAGS.trace, "w") as f:
                f.write(timeline.Timeline(metadata.step_stats).generate_chrome_trace_format())
            tf.logging.info("timeline written to %s", os.path.basename(FLAGS.trace))
        print("contrib.layers accuracy %.4f" % sess.run(
            accuracy, {x: mnist.test.images, y: mnist.test.labels}))
    print("argv", argv[1:])


if __name__ == "__main__":
    tf.app.run()
