"""Benchmark: our structure against a plain tutorial-style loop, MNIST load, cold predict.

Prints figures measured in this one run, on this one stack:

* seconds for the 1000 faithful iterations (graph, training, test evaluation) through
  ``tf1_mnist.train.train`` against the same work written inline, tutorial style, in
  this script, and their ratio (our structure should add nothing measurable);
* seconds to load and verify all 70,000 MNIST images, and to build ``read_data_sets``;
* seconds for a cold ``python -m tf1_mnist.predict`` of one image (a new process).

Usage: TF1_MNIST_DATA_DIR=../shared/mnist python bench/bench.py [--repeats 3]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import common  # noqa: E402  (puts the project on the import path)
from common import ROOT  # noqa: E402

from tf1_mnist import data, input_data  # noqa: E402
from tf1_mnist.compat import tf  # noqa: E402
from tf1_mnist.recipes import configure  # noqa: E402
from tf1_mnist.train import Monitor, train  # noqa: E402


def tutorial_inline(mnist, seed):
    """The tutorial's main.py, inline: the baseline our package is measured against."""
    n_input, n_hidden1, n_hidden2, n_hidden3, n_output = 784, 512, 256, 128, 10
    learning_rate, n_iterations, batch_size, dropout = 1e-4, 1000, 128, 0.5
    with tf.Graph().as_default():
        tf.set_random_seed(seed)
        X = tf.placeholder("float", [None, n_input])
        Y = tf.placeholder("float", [None, n_output])
        keep_prob = tf.placeholder(tf.float32)
        weights = {
            "w1": tf.Variable(tf.truncated_normal([n_input, n_hidden1], stddev=0.1)),
            "w2": tf.Variable(tf.truncated_normal([n_hidden1, n_hidden2], stddev=0.1)),
            "w3": tf.Variable(tf.truncated_normal([n_hidden2, n_hidden3], stddev=0.1)),
            "out": tf.Variable(tf.truncated_normal([n_hidden3, n_output], stddev=0.1)),
        }
        biases = {
            "b1": tf.Variable(tf.constant(0.1, shape=[n_hidden1])),
            "b2": tf.Variable(tf.constant(0.1, shape=[n_hidden2])),
            "b3": tf.Variable(tf.constant(0.1, shape=[n_hidden3])),
            "out": tf.Variable(tf.constant(0.1, shape=[n_output])),
        }
        layer_1 = tf.add(tf.matmul(X, weights["w1"]), biases["b1"])
        layer_2 = tf.add(tf.matmul(layer_1, weights["w2"]), biases["b2"])
        layer_3 = tf.add(tf.matmul(layer_2, weights["w3"]), biases["b3"])
        tf.nn.dropout(layer_3, rate=1 - keep_prob)
        output_layer = tf.matmul(layer_3, weights["out"]) + biases["out"]
        cross_entropy = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=output_layer))
        train_step = tf.train.AdamOptimizer(learning_rate).minimize(cross_entropy)
        correct_pred = tf.equal(tf.argmax(output_layer, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(n_iterations):
                batch_x, batch_y = mnist.train.next_batch(batch_size)
                sess.run(train_step, feed_dict={X: batch_x, Y: batch_y, keep_prob: dropout})
                if i % 100 == 0:
                    sess.run([cross_entropy, accuracy],
                             feed_dict={X: batch_x, Y: batch_y, keep_prob: 1.0})
            sess.run(accuracy, feed_dict={X: mnist.validation.images,
                                          Y: mnist.validation.labels, keep_prob: 1.0})
            return sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels,
                                                 keep_prob: 1.0})


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement")
    args = parser.parse_args()
    data_dir = data.resolve_data_dir(args.data_dir)
    print(common.stack())

    load = [timed(data.load_mnist, data_dir, download=False)[0] for _ in range(args.repeats)]
    sets = [timed(input_data.read_data_sets, data_dir, one_hot=True)[0]
            for _ in range(args.repeats)]
    print("MNIST load + verify, 70,000 images:  {:.3f} s (median of {})".format(
        statistics.median(load), args.repeats))
    print("read_data_sets(one_hot=True):        {:.3f} s".format(statistics.median(sets)))

    ours, inline = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):  # alternate, so drift hits both alike
            mnist = input_data.read_data_sets(data_dir, one_hot=True, seed=repeat)
            inline.append(timed(tutorial_inline, mnist, repeat)[0])
            mnist = input_data.read_data_sets(data_dir, one_hot=True, seed=repeat)
            ours.append(timed(train, mnist, os.path.join(tmp, "model"),
                              configure(seed=repeat), Monitor(log=lambda line: None))[0])
        model_dir = os.path.join(tmp, "model")
        image = os.path.join(ROOT, "test_img.png")
        cold = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            subprocess.check_call([sys.executable, "-m", "tf1_mnist.predict", image,
                                   "--model-dir", model_dir], cwd=ROOT,
                                  stdout=subprocess.DEVNULL)
            cold.append(time.perf_counter() - start)
    print("1000 faithful iterations + evaluation (median of {}):".format(args.repeats))
    print("  tutorial-style inline loop:        {:.2f} s".format(statistics.median(inline)))
    print("  tf1_mnist.train.train (+ save):    {:.2f} s".format(statistics.median(ours)))
    print("  ratio ours / inline:               {:.3f}".format(
        statistics.median(ours) / statistics.median(inline)))
    print("cold predict, one image (new process): {:.2f} s".format(statistics.median(cold)))


if __name__ == "__main__":
    common.run(main)
