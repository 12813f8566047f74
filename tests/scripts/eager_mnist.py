"""Softmax regression in TF 1.x's eager style (the 2018 eager tutorials): eager execution
enabled at start-up, tf.contrib.eager as tfe (Variable, Iterator over a tf.data
Dataset, implicit_value_and_gradients, gradients_function, metrics, GradientTape, Saver,
num_gpus), a TF1 optimizer applying the gradients. Zero initial weights and unshuffled batches: the same
numbers on TensorFlow 1.15 and 2.x."""
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.enable_eager_execution()
tfe = tf.contrib.eager

W = tfe.Variable(np.zeros([784, 10], np.float32), name="weights")
b = tfe.Variable(np.zeros([10], np.float32), name="bias")


def loss(images, labels):
    logits = tf.matmul(images, W) + b
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels,
                                                                     logits=logits))


def main(steps, checkpoint_dir):
    mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
    print("executing eagerly:", tf.executing_eagerly(), "| GPUs:", tfe.num_gpus())
    dataset = tf.data.Dataset.from_tensor_slices(
        (mnist.train.images[:steps * 100], mnist.train.labels[:steps * 100])).batch(100)
    value_and_gradients = tfe.implicit_value_and_gradients(loss)
    optimizer = tf.train.GradientDescentOptimizer(0.5)
    for step, (images, labels) in enumerate(tfe.Iterator(dataset)):
        value, gradients = value_and_gradients(images, labels)
        optimizer.apply_gradients(gradients)
        if step % 50 == 0:
            print("step %d, loss %.6f" % (step, value.numpy()))
    correct = tf.equal(tf.argmax(tf.matmul(mnist.test.images, W) + b, 1),
                       tf.argmax(mnist.test.labels, 1))
    print("test accuracy %.4f" % tf.reduce_mean(tf.cast(correct, tf.float32)).numpy())
    square = tfe.gradients_function(lambda x: x * x)
    print("d(x*x)/dx at 3:", square(3.0)[0].numpy())
    mean = tfe.metrics.Mean()
    for images, labels in tfe.Iterator(dataset.take(3)):
        mean(loss(images, labels))
    with tfe.GradientTape() as tape:
        cube = b[0] * b[0] * b[0]
    print("mean loss %.4f | tape %.4f" % (mean.result().numpy(), tape.gradient(cube, b)[0]))
    path = tfe.Saver([W, b]).save(os.path.join(checkpoint_dir, "softmax"))
    print("saved", os.path.basename(path))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
