"""A generator and a discriminator from raw ops, as the era's small GANs built them."""
import tensorflow as tf


def dense(x, units, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [x.get_shape()[1], units],
                            initializer=tf.truncated_normal_initializer(stddev=0.1))
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


def generator(z, pixels):
    with tf.variable_scope("generator"):
        return tf.tanh(dense(tf.nn.relu(dense(z, 32, "h1")), pixels, "out"))


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return dense(tf.nn.leaky_relu(dense(x, 32, "h1")), 1, "out")
