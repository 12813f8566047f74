"""A script of the era that reaches into tf.contrib."""
import tensorflow as tf

initializer = tf.contrib.layers.xavier_initializer()
weights = tf.get_variable("weights", [784, 10], initializer=initializer)
print("contrib worked", weights.shape)
