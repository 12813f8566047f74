"""In the style of fully_connected_feed.py: the model comes from the sibling mnist.py
through the tutorial package; prints where it runs from."""
import os
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
from tensorflow.examples.tutorials.mnist import mnist

data_sets = input_data.read_data_sets("MNIST_data", fake_data=False)
images = tf.placeholder(tf.float32, [None, mnist.IMAGE_PIXELS])
logits = mnist.inference(images, 32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    out = sess.run(logits, {images: data_sets.test.images[:3]})
print("logits shape", out.shape)
print("file", os.path.basename(__file__), "path0", os.path.basename(sys.path[0]),
      "cwd", os.path.basename(os.getcwd()))
