"""Benchmark `reproduce --jobs`: the same sweep one training at a time and N at a time.

Prints the wall time of the sweep as one process on all cores' threads (the way before
--jobs), as --jobs 1 and as --jobs N, the speed-up, and whether the --jobs 1 and --jobs N
numbers agree (they must). Each way runs in a fresh process. Figures are from this
run only.

Usage: TF1_MNIST_DATA_DIR=../shared/mnist python bench/sweep.py [--model do-mlp]
       [--seeds 6] [--jobs 2] [--epochs N] [--out FILE]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import common  # noqa: E402  (puts the project on the import path)

from tf1_mnist import data, recipes, reproduce  # noqa: E402
from tf1_mnist.errors import UserError  # noqa: E402


MODES = ("all-threads", "jobs")


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--model", choices=recipes.NAMES, default=recipes.MLP)
    parser.add_argument("--seeds", type=int, default=6, help="trainings in the sweep")
    parser.add_argument("--jobs", type=int, default=2, help="trainings at once, against 1")
    parser.add_argument("--epochs", type=int, default=None, help="other models: epochs")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    parser.add_argument("--only", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(_measure(args)))
        return
    if args.seeds < 1 or args.jobs < 2:
        raise UserError("--seeds must be at least 1 and --jobs at least 2")
    common.check_out(args.out)  # fail now, not after the sweep
    # Each way runs in a fresh process, as a user's command would: in a process that has
    # already run a session on TensorFlow's default thread pool, later one-thread sessions
    # can differ in the last bits.
    walls, results = {}, {}
    ways = (("all", "all-threads", 1), (1, "jobs", 1), (args.jobs, "jobs", args.jobs))
    for key, mode, jobs in ways:
        walls[key], results[key] = _child(args, mode, jobs)
    command = "python bench/sweep.py --model {} --seeds {} --jobs {}{}".format(
        args.model, args.seeds, args.jobs,
        "" if args.epochs is None else " --epochs {}".format(args.epochs))
    lines = ["{}: {} {} trainings (`{}`), each way in a fresh process".format(
                 common.stack(), args.seeds, args.model, command), "",
             "| way | wall time (s) |", "| --- | --- |",
             "| one at a time, TensorFlow's default threads (before `--jobs`) | {:.1f} |".format(
                 walls["all"]),
             "| `--jobs 1`: one at a time, one thread | {:.1f} |".format(walls[1]),
             "| `--jobs {0}`: {0} at a time, one thread each | {1:.1f} |".format(
                 args.jobs, walls[args.jobs]), "",
             "Speed-up of `--jobs {}` over one process on all cores: **{:.2f}x**; `--jobs 1` "
             "and `--jobs {}` give the same numbers: {}.".format(
                 args.jobs, walls["all"] / walls[args.jobs], args.jobs,
                 "yes" if results[1] == results[args.jobs] else "**no**")]
    print("\n".join(lines))
    common.write_out(args.out, lines)


def _child(args, mode, jobs):
    """Time one way of running the sweep in a fresh process: (seconds, results)."""
    command = [sys.executable, os.path.abspath(__file__), "--only", mode, "--model", args.model,
               "--seeds", str(args.seeds), "--jobs", str(jobs), "--data-dir", args.data_dir]
    if args.epochs is not None:
        command += ["--epochs", str(args.epochs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, universal_newlines=True)
    out, _ = process.communicate()
    if process.returncode != 0:
        raise UserError("the {} run stopped (exit {}); its error is above".format(
            mode, process.returncode))
    measured = json.loads(out.strip().splitlines()[-1])
    return measured["seconds"], measured["results"]


def _measure(args):
    arrays = data.load_mnist(args.data_dir, download=False)
    jobs = reproduce.plan(list(range(args.seeds)), network=args.model, variants=("faithful",),
                          long_epochs=0, epochs=args.epochs)
    start = time.time()
    if args.only == "all-threads":  # the way before --jobs: TensorFlow's default threads
        records = [reproduce.run_one(arrays, job, intra_op_threads=0)
                   for job in jobs]
    else:
        records = reproduce.run(arrays, jobs, log=lambda line: None,
                                processes=args.jobs, data_dir=args.data_dir)
    seconds = time.time() - start
    # the numbers of each run; an epoch's "seconds" is a timing, not a result
    results = [[r["test_accuracy"], r["validation_accuracy"],
                [{k: v for k, v in point.items() if k != "seconds"} for point in r["history"]]]
               for r in records]
    return {"seconds": seconds, "results": results}


if __name__ == "__main__":
    common.run(main)
