"""Benchmark `tf1-mnist run` on the test corpus: each classic TF1 script of tests/scripts/
(one per API family) run unchanged on this stack and on the other one, with its test
accuracy and wall time (start to exit, TensorFlow's import included) on each; each research
program of tests/programs/ as TensorFlow 2 runs it (`run -m`) and as TensorFlow 1.15 runs
it itself (`python -m`); and `run`'s start-up against a plain `import tensorflow`.

    python bench/run_scripts.py --other /path/to/the/other/stack/python \\
        [--out reports/run-scripts.md]

The time ratio is this stack's against the other's, measured in the same run.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import common  # noqa: E402  (puts the project on the import path)

SCRIPTS = os.path.join(common.ROOT, "tests", "scripts")
PROGRAMS = os.path.join(common.ROOT, "tests", "programs")
sys.path.insert(0, PROGRAMS)
import make_data  # noqa: E402  (the data the programs read)
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


# (module, its arguments, the data it reads, the line giving its figure, figure, uses)
PROGRAM_CASES = [
    ("gan.train", ["--epochs", "20"], make_data.images, r"g_loss: (\S+) label",
     "last g_loss", "scipy.misc.imread/imresize/imsave, Image.ANTIALIAS, textsize"),
    ("textcnn.train", [], make_data.reviews, r"^Vocabulary Size: (\d+)$", "vocabulary",
     "contrib.learn.preprocessing"),
    ("charrnn.train", ["--num_epochs", "20", "--seed", "0"], make_data.text,
     r"train_loss = (\S+)$", "last train_loss",
     "contrib.rnn, legacy_seq2seq, argparse, checkpoint"),
    ("gcn.train", ["--model", "gcn_cheby", "--epochs", "200", "--dropout", "0.5"],
     make_data.graph, r"accuracy= (\S+)$", "test accuracy",
     "scipy.sparse, eigen.arpack, sparse placeholders"),
]


def child_env(**extra):
    """This environment with the project first; without TF2_BEHAVIOR, which TensorFlow 2's
    import sets here and which makes TensorFlow 1.15 start eager."""
    env = dict(os.environ, PYTHONPATH=common.ROOT, **extra)
    env.pop("TF2_BEHAVIOR", None)
    return env


def timed(command, cwd, env):
    """(stdout, seconds) of ``command``; a failure is one line."""
    start = time.time()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    out, err = process.communicate()
    seconds = time.time() - start
    if process.returncode != 0:
        raise common.UserError("{} failed (exit {}): {}".format(
            " ".join(command), process.returncode, err.strip().splitlines()[-1:]))
    return out, seconds


def measure_program(python, tf1, module, args, make, pattern):
    """(figure, seconds) of the program in a fresh copy of tests/programs/: ``python -m``
    on TensorFlow 1.15, ``python -m tf1_mnist run -m`` on TensorFlow 2."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "programs")
        shutil.copytree(PROGRAMS, folder)
        make(folder)
        run = [] if tf1 else ["-m", "tf1_mnist", "run"]
        out, seconds = timed([python] + run + ["-m", module] + args, folder, child_env())
    return re.findall(pattern, out, re.M)[-1], seconds  # the last one printed


def startup(python, repeat=3):
    """Median seconds of ``run`` on an empty script and of ``python -c 'import
    tensorflow'``."""
    env = child_env()
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.py")
        open(empty, "w").close()
        commands = ([python, "-m", "tf1_mnist", "run", empty],
                    [python, "-c", "import tensorflow"])
        return [sorted(timed(c, tmp, env)[1] for _ in range(repeat))[repeat // 2]
                for c in commands]


def measure(python, script, args, pattern, data_dir):
    """(accuracy, seconds) of ``python -m tf1_mnist run script args`` in a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [python, "-m", "tf1_mnist", "run", os.path.join(SCRIPTS, script)] + \
            [a.format(tmp=tmp) for a in args]
        out, seconds = timed(command, tmp, child_env(TF1_MNIST_DATA_DIR=data_dir))
    return float(re.search(pattern, out, re.M).group(1)), seconds


def stack_of(python):
    out = subprocess.check_output([python, "-c", (
        "import sys, tf1_mnist.compat as c; "
        "print('Python %s + TF %s' % (sys.version.split()[0], c.TF_VERSION))")],
        env=child_env(), universal_newlines=True)
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
    # the TF 2 stack first, then TF 1.15 (either may be this one), where both are given
    by_tf1 = sorted(zip(names, pythons), key=lambda pair: pair[0].endswith("TF 1.15.5"))
    if [name.endswith("TF 1.15.5") for name, _ in by_tf1] == [False, True]:
        lines += ["", "Each research program of `tests/programs/`, on its own small data, run "
                  "with `run -m` on TensorFlow 2 and with plain `python -m` on TensorFlow "
                  "1.15:", "",
                  "| program | uses | figure | {0}, run -m | s | {1}, python -m | s | "
                  "time ratio |".format(by_tf1[0][0], by_tf1[1][0]),
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for module, margs, make, pattern, figure, uses in PROGRAM_CASES:
            (f1, s1), (f2, s2) = [measure_program(p, tf1, module, margs, make, pattern)
                                  for tf1, (_, p) in enumerate(by_tf1)]
            lines.append("| `{}` | {} | {} | {} | {:.1f} | {} | {:.1f} | {:.2f} |".format(
                " ".join([module] + margs), uses, figure, f1, s1, f2, s2, s1 / s2))
            print(lines[-1], flush=True)
    lines += ["", "Start-up (median of 3): `run` on an empty script against `python -c "
              "'import tensorflow'` on the same stack:", ""]
    for name, python in zip(names, pythons):
        run_s, import_s = startup(python)
        lines.append("- {}: `run` {:.2f} s, `import tensorflow` {:.2f} s, ratio {:.2f}".format(
            name, run_s, import_s, run_s / import_s))
        print(lines[-1], flush=True)
    common.write_out(args.out, lines)


if __name__ == "__main__":
    common.run(main)
