"""A script of the era that reaches into a part of tf.contrib with no TensorFlow 2 home."""
import tensorflow as tf

points = tf.random_uniform([100, 2], seed=1)
kmeans = tf.contrib.factorization.KMeans(points, num_clusters=3)
print("contrib worked", type(kmeans).__name__)
