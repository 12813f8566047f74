"""A stand-in for TensorFlow's own tutorials/mnist/mnist.py (which no wheel ships):
fully_connected_feed.py-style scripts import it from their own folder."""
import math

import tensorflow as tf

NUM_CLASSES = 10
IMAGE_PIXELS = 28 * 28


def inference(images, hidden1_units):
    with tf.name_scope("hidden1"):
        weights = tf.Variable(tf.truncated_normal(
            [IMAGE_PIXELS, hidden1_units], stddev=1.0 / math.sqrt(float(IMAGE_PIXELS))),
            name="weights")
        hidden1 = tf.nn.relu(tf.matmul(images, weights))
    with tf.name_scope("softmax_linear"):
        weights = tf.Variable(tf.truncated_normal([hidden1_units, NUM_CLASSES], stddev=0.1),
                              name="weights")
        return tf.matmul(hidden1, weights)
