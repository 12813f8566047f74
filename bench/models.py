"""Benchmark: images per second, training and inference, for every network, one stack.

Training: Adam steps at the network's own recipe batch size on real MNIST images
(after 20 warm-up steps). Inference: the probabilities of 10,000 test images in
chunks of 1,000, as ``evaluate`` computes them. Figures are from this run only.

Usage: TF1_MNIST_DATA_DIR=../shared/mnist python bench/models.py [--seconds 10]
"""
import time

import numpy as np

import common  # noqa: E402  (puts the project on the import path)

from tf1_mnist import data, networks, recipes, session  # noqa: E402
from tf1_mnist.compat import tf  # noqa: E402


def measure(name, arrays, seconds):
    spec = recipes.SPECS[name]
    (x, y), _, test = data.keras_style_split(arrays, None)
    batch = spec.recipe["batch_size"]
    keep = recipes.keep_prob(name, spec.recipe)
    with tf.Graph().as_default():
        g = networks.build(name, spec.recipe, seed=0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            rng = np.random.RandomState(0)

            def step():
                idx = rng.randint(0, len(x), batch)
                sess.run(g.train_step, {g.X: x[idx], g.Y: y[idx], g.keep_prob: keep})
            for _ in range(20):
                step()
            steps, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                step()
                steps += 1
            train_rate = steps * batch / (time.perf_counter() - start)
            session.run_in_chunks(sess, g.probabilities, g.X, test[0][:1000])  # warm-up
            start = time.perf_counter()
            session.run_in_chunks(sess, g.probabilities, g.X, test[0])
            infer_rate = len(test[0]) / (time.perf_counter() - start)
    return batch, train_rate, infer_rate


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--seconds", type=float, default=10, help="training time per model")
    args = parser.parse_args()
    arrays = data.load_mnist(data.resolve_data_dir(args.data_dir), download=False)
    print(common.stack())
    print("{:<16} {:>10} {:>6} {:>14} {:>18} {:>16}".format(
        "model", "parameters", "batch", "train img/s", "epoch of 60k (s)", "infer img/s"))
    for name, spec in recipes.SPECS.items():
        batch, train_rate, infer_rate = measure(name, arrays, args.seconds)
        print("{:<16} {:>10,} {:>6} {:>14,.0f} {:>18.1f} {:>16,.0f}".format(
            name, spec.parameters, batch, train_rate, 60000 / train_rate, infer_rate))


if __name__ == "__main__":
    common.run(main)
