"""An RNN reading each digit row by row, in the style of the era's recurrent MNIST
examples: `from tensorflow.contrib import rnn`, static_rnn over a MultiRNNCell of a
dropout-wrapped BasicLSTMCell and a GRUCell, beside static_bidirectional_rnn over
LSTMCells; MNIST from tf.contrib.learn.datasets.load_dataset."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib import rnn

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
HIDDEN = 32


def main():
    mnist = tf.contrib.learn.datasets.load_dataset("mnist")
    x = tf.placeholder(tf.float32, [None, 28, 28])
    y = tf.placeholder(tf.int64, [None])
    keep_prob = tf.placeholder_with_default(1.0, [])
    rows = tf.unstack(x, 28, axis=1)
    with tf.variable_scope("stacked"):
        cell = rnn.MultiRNNCell([
            rnn.DropoutWrapper(rnn.BasicLSTMCell(HIDDEN), output_keep_prob=keep_prob),
            rnn.GRUCell(HIDDEN)])
        outputs, _ = rnn.static_rnn(cell, rows, dtype=tf.float32)
    with tf.variable_scope("bidirectional"):
        both, _, _ = rnn.static_bidirectional_rnn(rnn.LSTMCell(HIDDEN), rnn.LSTMCell(HIDDEN),
                                                  rows, dtype=tf.float32)
    last = tf.concat([outputs[-1], both[-1]], axis=1)
    weights = tf.Variable(tf.truncated_normal([3 * HIDDEN, 10], stddev=0.1))
    logits = tf.matmul(last, weights) + tf.Variable(tf.zeros([10]))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train_op = tf.train.AdamOptimizer(5e-3).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            images, labels = mnist.train.next_batch(64)
            sess.run(train_op, {x: images.reshape(-1, 28, 28), y: labels, keep_prob: 0.9})
        test = mnist.test.images[:2000].reshape(-1, 28, 28), mnist.test.labels[:2000]
        print("rnn accuracy %.4f" % sess.run(accuracy, {x: test[0], y: test[1]}))
        print("labels are", np.asarray(mnist.test.labels).dtype.kind)


if __name__ == "__main__":
    main()
