"""Scalar summaries written with tf.summary.FileWriter, as TensorBoard reads them."""
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
y = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
tf.summary.scalar("loss", loss)
merged = tf.summary.merge_all()
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
with tf.Session() as sess:
    writer = tf.summary.FileWriter(sys.argv[1], sess.graph)
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        xs, ys = mnist.train.next_batch(100)
        summary, _ = sess.run([merged, train], {x: xs, y_: ys})
        writer.add_summary(summary, step)
    writer.close()
print("summaries written")
