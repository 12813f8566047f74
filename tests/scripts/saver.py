"""Save with tf.train.Saver, restore into a new graph, and check the numbers agree."""
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
checkpoint = os.path.join(sys.argv[1], "model.ckpt")


def build():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    W = tf.get_variable("W", [784, 10], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
    return x, tf.nn.softmax(tf.matmul(x, W) + b)


with tf.Graph().as_default():
    x, probabilities = build()
    y_ = tf.placeholder(tf.float32, [None, 10])
    loss = tf.losses.softmax_cross_entropy(y_, tf.log(probabilities + 1e-9))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(100):
            xs, ys = mnist.train.next_batch(100)
            sess.run(train, {x: xs, y_: ys})
        before = sess.run(probabilities, {x: mnist.test.images[:5]})
        print("saved to", saver.save(sess, checkpoint) == checkpoint)

with tf.Graph().as_default():
    x, probabilities = build()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, checkpoint)
        after = sess.run(probabilities, {x: mnist.test.images[:5]})
print("restored identical", bool(np.array_equal(before, after)))
