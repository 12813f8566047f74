"""Benchmark `tf1-mnist run` on the test corpus: each classic TF1 script of tests/scripts/
(one per API family) run unchanged on this stack and on the other one, with its test
accuracy and wall time (start to exit, TensorFlow's import included) on each.

    python bench/run_scripts.py --other /path/to/the/other/stack/python \\
        [--out reports/run-scripts.md]

The time ratio is this stack's against the other's, measured in the same run.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import common  # noqa: E402  (puts the project on the import path)

SCRIPTS = os.path.join(common.ROOT, "tests", "scripts")
# (script, its arguments ({tmp} is a fresh folder), the line giving its accuracy, family)
CASES = [
    ("layers_cnn.py", ["--steps", "300"], r"^layers accuracy (\S+)", "tf.layers"),
    ("contrib_layers.py", ["--steps", "300", "--data_dir", "{tmp}/mnist"],
     r"^contrib.layers accuracy (\S+)", "tf.contrib.layers, tf.app.flags, jit_scope"),
    ("contrib_rnn.py", ["300"], r"^rnn accuracy (\S+)", "tf.contrib.rnn"),
    ("estimator_custom.py", ["--model_dir", "{tmp}/model", "--steps", "300"],
     r"^estimator accuracy (\S+)", "tf.estimator (custom model_fn)"),
    ("estimator_canned.py", ["{tmp}/models", "300"], r"^dnn accuracy (\S+)",
     "tf.estimator canned (DNNClassifier)"),
]


def measure(python, script, args, pattern, data_dir):
    """(accuracy, seconds) of ``python -m tf1_mnist run script args`` in a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=common.ROOT, TF1_MNIST_DATA_DIR=data_dir)
        command = [python, "-m", "tf1_mnist", "run", os.path.join(SCRIPTS, script)] + \
            [a.format(tmp=tmp) for a in args]
        start = time.time()
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, universal_newlines=True)
        out, err = process.communicate()
        seconds = time.time() - start
    if process.returncode != 0:
        raise common.UserError("{} failed on {} (exit {}): {}".format(
            script, python, process.returncode, err.strip().splitlines()[-1:]))
    return float(re.search(pattern, out, re.M).group(1)), seconds


def stack_of(python):
    out = subprocess.check_output([python, "-c", (
        "import sys, tf1_mnist.compat as c; "
        "print('Python %s + TF %s' % (sys.version.split()[0], c.TF_VERSION))")],
        env=dict(os.environ, PYTHONPATH=common.ROOT), universal_newlines=True)
    return out.strip()


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--other", required=True, help="the other stack's python")
    parser.add_argument("--out", help="also write the table to this file")
    args = parser.parse_args()
    common.check_out(args.out)
    pythons = [sys.executable, args.other]
    names = [stack_of(p) for p in pythons]
    lines = ["Measured by `bench/run_scripts.py` ({} CPUs): accuracy on the test digits the "
             "script uses, and wall time from start to exit.".format(os.cpu_count()), "",
             "| script | API family | steps | {0}: accuracy | {0}: s | {1}: accuracy | "
             "{1}: s | time ratio |".format(*names),
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for script, script_args, pattern, family in CASES:
        (a1, s1), (a2, s2) = [measure(p, script, script_args, pattern, args.data_dir)
                              for p in pythons]
        lines.append("| `{}` | {} | 300 | {:.4f} | {:.1f} | {:.4f} | {:.1f} | {:.2f} |".format(
            script, family, a1, s1, a2, s2, s1 / s2))
        print(lines[-1], flush=True)
    common.write_out(args.out, lines)


if __name__ == "__main__":
    common.run(main)
