"""Benchmark `reproduce --jobs`: the same sweep one training at a time and N at a time.

Prints the wall time of the sweep as one process on all cores' threads (the way before
--jobs), as --jobs 1 and as --jobs N, the speed-up, and whether the --jobs 1 and --jobs N
numbers agree (they must). Figures are from this run only.

Usage: TF1_MNIST_DATA_DIR=../shared/mnist python bench/sweep.py [--model do-mlp]
       [--seeds 6] [--jobs 2] [--epochs N]
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tf1_mnist import data, networks, reproduce  # noqa: E402
from tf1_mnist.errors import UserError  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model", choices=networks.NAMES, default=networks.MLP)
    parser.add_argument("--seeds", type=int, default=6, help="trainings in the sweep")
    parser.add_argument("--jobs", type=int, default=2, help="trainings at once, against 1")
    parser.add_argument("--epochs", type=int, default=None, help="other models: epochs")
    parser.add_argument("--data-dir", default=data.resolve_data_dir(),
                        help="MNIST directory ($TF1_MNIST_DATA_DIR, else MNIST_data/)")
    args = parser.parse_args()
    from tf1_mnist.compat import TF_VERSION

    arrays = data.load_mnist(args.data_dir, download=False)
    jobs = reproduce.plan(list(range(args.seeds)), model=args.model, variants=("faithful",),
                          long_epochs=0, epochs=args.epochs)
    start = time.time()
    for job in jobs:  # the way before --jobs: one process, TensorFlow's default threads
        reproduce.run_one(arrays, args.model, job, intra_op_threads=0)
    all_cores = time.time() - start
    walls, results = {}, {}
    for processes in (1, args.jobs):
        start = time.time()
        records = reproduce.run(arrays, jobs, model=args.model, log=lambda line: None,
                                processes=processes, data_dir=args.data_dir)
        walls[processes] = time.time() - start
        results[processes] = [(r["test_accuracy"], r["history"]) for r in records]
    print("Python {}, TensorFlow {}, {} CPUs: {} {} trainings".format(
        sys.version.split()[0], TF_VERSION, os.cpu_count(), len(jobs), args.model))
    print("  one at a time, all cores' threads:  {:.1f} s".format(all_cores))
    print("  one at a time, one thread (--jobs 1): {:.1f} s".format(walls[1]))
    print("  {} at a time, one thread each:       {:.1f} s".format(args.jobs, walls[args.jobs]))
    print("  speed-up of --jobs {} over one process on all cores: {:.2f}x".format(
        args.jobs, all_cores / walls[args.jobs]))
    print("  same numbers:       {}".format(results[1] == results[args.jobs]))


if __name__ == "__main__":
    try:
        main()
    except UserError as exc:
        sys.exit("error: {}".format(exc))
