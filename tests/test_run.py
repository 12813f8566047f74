"""`tf1-mnist run SCRIPT`: classic TF1 MNIST scripts, unchanged, on the running stack.

The scripts in tests/scripts/ were written for these tests in the era's style: the
DigitalOcean tutorial's main.py from its text, softmax regression with argparse and
tf.app.run, a tf.nn.conv2d CNN with tf.app.flags, tf.train.Saver, summaries, dense
labels with tf.losses, a fully_connected_feed-style script with its sibling mnist.py,
and one that uses a part of tf.contrib with no TensorFlow 2 home. The higher-level APIs
of the era each have one: tf.layers (layers_cnn.py), tf.contrib.layers with tf.app.flags,
XLA's jit_scope and a timeline (contrib_layers.py), tf.contrib.rnn (contrib_rnn.py), a
custom tf.estimator (estimator_custom.py) and the canned ones (estimator_canned.py),
with tf.contrib.learn's three ways to read MNIST among them, every contrib import form
(contrib_imports.py), contrib's losses and metrics (contrib_losses_metrics.py), slim's batch_norm and dropout
with a placeholder is_training (slim_is_training.py) and
tf.estimator's contract on ten rows (estimator_semantics.py)."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, ours, run_in, work_folder
from tf1_mnist import data, legacy
from tf1_mnist.legacy import mnist as mnist_shim, scan
from tf1_mnist.compat import TF_VERSION

SCRIPTS = os.path.join(ROOT, "tests", "scripts")
TF1 = TF_VERSION.startswith("1.")


def _folder(tmp_path, *names):
    """A fresh folder holding the named scripts."""
    return work_folder(tmp_path, SCRIPTS, *names)


def _run(folder, args, data_dir=None, command=("-m", "tf1_mnist", "run")):
    return run_in(folder, args, data_dir, command=command)


@pytest.mark.slow
def test_the_tutorials_main_py(tmp_path, mnist_dir, tutorial_image):
    folder = _folder(tmp_path, "main.py")
    shutil.copy(tutorial_image, folder)
    code, out, err = _run(folder, ["main.py"], data_dir=mnist_dir)
    assert code == 0, err
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST_data/ lacks the "
                          "files)".format(mnist_dir)]
    iterations = re.findall(r"^Iteration (\d+) \t\| Loss = \S+ \t\| Accuracy = \S+$", out, re.M)
    assert iterations == [str(i) for i in range(0, 1000, 100)]
    accuracy = float(re.search(r"^Accuracy on test set: (\S+)$", out, re.M).group(1))
    assert 0.90 <= accuracy <= 0.93
    # The tutorial reported a 2. The script is unseeded and feeds the raw 0-255 pixels,
    # so the answer is not fixed: 20 of 20 runs here said 2, one CI run said 8.
    assert re.search(r"\nPrediction for test image: \d\n$", out), out
    assert not os.path.exists(os.path.join(folder, "MNIST_data"))  # nothing downloaded


@pytest.mark.slow
def test_argparse_flags_and_tf_app_run(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "softmax_flags.py")
    code, out, err = _run(folder, ["softmax_flags.py", "--data_dir", mnist_dir, "--steps",
                                   "300", "extra"])
    assert code == 0, err
    assert float(re.search(r"softmax accuracy (\S+)", out).group(1)) > 0.85
    assert "argv ['--data_dir', '{}', '--steps', '300', 'extra'] name __main__".format(
        mnist_dir) in out
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified)".format(mnist_dir)]


@pytest.mark.slow
def test_conv2d_cnn_with_absl_flags(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "cnn_conv2d.py")
    code, out, err = _run(folder, ["cnn_conv2d.py", "--steps", "40"], data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"cnn accuracy (\S+)", out).group(1)) > 0.3  # 40 steps from chance


@pytest.mark.slow
def test_saver_summaries_and_sparse_labels(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "saver.py", "summaries.py", "sparse_labels.py")
    code, out, err = _run(folder, ["saver.py", str(tmp_path / "ckpt")], data_dir=mnist_dir)
    assert code == 0, err
    assert "saved to True" in out and "restored identical True" in out
    assert glob.glob(str(tmp_path / "ckpt" / "model.ckpt.index"))
    code, out, err = _run(folder, ["summaries.py", str(tmp_path / "logs")], data_dir=mnist_dir)
    assert code == 0, err
    assert glob.glob(str(tmp_path / "logs" / "events.out.tfevents.*"))
    code, out, err = _run(folder, ["sparse_labels.py"], data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"sparse accuracy (\S+)", out).group(1)) > 0.85
    assert out.startswith("Extracting {}/train-images-idx3-ubyte.gz\n".format(mnist_dir))


def test_sibling_module_from_the_scripts_folder(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "feed_style.py", "mnist.py")
    code, out, err = _run(folder, ["feed_style.py"], data_dir=mnist_dir)
    assert code == 0, err
    assert "logits shape (3, 10)" in out
    assert "file feed_style.py path0 work cwd work" in out


def test_script_in_another_folder_runs_as_python_would(tmp_path, mnist_dir):
    """Working directory stays the caller's; sys.path[0] is the script's folder."""
    folder = _folder(tmp_path, "feed_style.py", "mnist.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out, err = _run(str(elsewhere), [os.path.join(folder, "feed_style.py")],
                          data_dir=mnist_dir)
    assert code == 0, err
    assert "file feed_style.py path0 work cwd elsewhere" in out


def test_tf_contrib_without_a_home(tmp_path):
    folder = _folder(tmp_path, "uses_contrib.py")
    code, out, err = _run(folder, ["uses_contrib.py"])
    if TF1:
        assert code == 0 and "contrib worked KMeans" in out, err
    else:
        assert code == 1 and out == "" and err.strip() == (
            "error: uses_contrib.py:5 uses tf.contrib.factorization, which TensorFlow 2 "
            "removed and nothing carries today; run it on the legacy stack (the Docker "
            "image, or Python 3.6 + tensorflow 1.15.5)")


def test_contrib_uses_are_found_in_every_form():
    text = ("import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"
            "from tensorflow.contrib import rnn\nfrom tensorflow.contrib.learn import x\n"
            "y = tf.contrib.layers.flatten\nimport tensorflow.compat.v1 as t1\n"
            "z = t1.contrib\n")
    assert scan.contrib_uses(text) == [
        (2, "tf.contrib.slim"), (3, "tf.contrib.rnn"), (4, "tf.contrib.learn"),
        (5, "tf.contrib.layers"), (7, "tf.contrib")]
    assert scan.contrib_uses("import numpy as tf\ntf.contrib = 1\n") == []


def test_api_uses_follow_imports_and_skip_assignments():
    text = ("import tensorflow as tf\nfrom tensorflow.contrib import rnn\n"
            "cell = rnn.BasicLSTMCell(8)\ntf.flags = None\n"
            "h = tf.layers.dense(x, 3).shape\nfrom tensorflow.python.client import timeline\n")
    assert scan.api_uses(text) == [
        (1, "tf"), (2, "tf.contrib.rnn"), (3, "tf.contrib.rnn.BasicLSTMCell"),
        (5, "tf.layers.dense"), (6, "tf.python.client.timeline")]


@pytest.mark.slow
def test_tf_layers_cnn(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "layers_cnn.py")
    code, out, err = _run(folder, ["layers_cnn.py", "--data_dir", mnist_dir, "--steps", "100",
                                   "--test_size", "2000"])
    assert code == 0, err
    assert float(re.search(r"^layers accuracy (\S+)$", out, re.M).group(1)) > 0.5
    assert "argv ['--data_dir', '{}', '--steps', '100', '--test_size', '2000'] name " \
        "__main__".format(mnist_dir) in out
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified)".format(mnist_dir)]


@pytest.mark.slow
@pytest.mark.skipif(not TF1, reason="compares with TensorFlow 1.15 running the script itself")
def test_seeded_tf_layers_script_prints_the_same_natively_and_under_run(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "layers_cnn.py")
    os.mkdir(os.path.join(folder, "MNIST_data"))
    for name in data.FILES:
        shutil.copy(data.find_file(mnist_dir, name), os.path.join(folder, "MNIST_data"))
    args = ["layers_cnn.py", "--steps", "60", "--test_size", "1000"]
    code, native, err = _run(folder, args, command=())
    assert code == 0, err
    assert "step 50 loss" in native and "layers accuracy" in native
    code, ours, err = _run(folder, args)
    assert code == 0, err
    assert ours == native


@pytest.mark.slow
def test_contrib_layers_app_flags_jit_scope_and_timeline(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "contrib_layers.py")
    trace = str(tmp_path / "step.json")
    missing = str(tmp_path / "no-mnist-here")
    code, out, err = _run(folder, ["contrib_layers.py", "--data_dir", missing, "--steps",
                                   "150", "--trace", trace, "extra"], data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"^contrib.layers accuracy (\S+)$", out, re.M).group(1)) > 0.2
    assert "argv ['extra']" in out
    assert "timeline written to step.json" in err  # tf.logging at INFO
    with open(trace) as f:
        assert json.load(f)["traceEvents"]
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; {} lacks the files)"
                          .format(mnist_dir, missing)]
    assert not os.path.exists(missing)


@pytest.mark.slow
def test_slim_batch_norm_and_dropout_with_a_placeholder_is_training_train(tmp_path, mnist_dir):
    """tf-slim 1.1 on TF 2.21 ended in AttributeError: module '...framework.ops' has no
    attribute 'Tensor' here (the names TF 2.21 moved; run puts them back)."""
    folder = _folder(tmp_path, "slim_is_training.py")
    code, out, err = _run(folder, ["slim_is_training.py", "300"], data_dir=mnist_dir)
    assert code == 0, err
    assert re.findall(r"^step (\d+), loss \d\.\d{4}$", out, re.M) == ["0", "100", "200"]
    # 300 steps: 0.9288 on TF 2.21, 0.9324 on TF 1.15 (tf-slim's initializers draw
    # without op seeds, so the two TensorFlow versions start from different weights)
    assert float(re.search(r"^slim accuracy (\S+)$", out, re.M).group(1)) > 0.9


def _eager_run(folder, mnist_dir, python=sys.executable):
    code, out, err = run_in(folder, ["eager_mnist.py", "200", "ck"], mnist_dir, python)
    assert code == 0, err
    return out


@pytest.mark.slow
def test_tf1_eager_scripts_run_eagerly_with_tfe_at_its_tf2_homes(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "eager_mnist.py")
    os.mkdir(os.path.join(folder, "ck"))
    out = _eager_run(folder, mnist_dir)
    lines = [line for line in out.splitlines() if not line.startswith("Extracting")]
    assert lines[0] == "executing eagerly: True | GPUs: 0"
    assert lines[1] == "step 0, loss 2.302585"  # zero weights: ln(10), every digit alike
    assert [line.split(",")[0] for line in lines[2:4]] == ["step 50", "step 100"]
    assert float(re.search(r"^test accuracy (\S+)$", out, re.M).group(1)) > 0.88
    assert lines[-3] == "d(x*x)/dx at 3: 6.0" and lines[-1] == "saved softmax"
    assert re.match(r"mean loss \d\.\d{4} \| tape \d\.\d{4}$", lines[-2])
    assert sorted(os.listdir(os.path.join(folder, "ck"))) == [
        "checkpoint", "softmax.data-00000-of-00001", "softmax.index"]
    other = os.environ.get("TF1_MNIST_OTHER_PYTHON")
    if other:  # CI: the same numbers on the other stack, digit for digit
        shutil.rmtree(os.path.join(folder, "ck"))
        os.mkdir(os.path.join(folder, "ck"))
        assert _eager_run(folder, mnist_dir, python=other) == out


@pytest.mark.slow
def test_an_official_style_estimator_exports_a_savedmodel_that_serves_its_predictions(
        tmp_path, mnist_dir):
    """Refused before for naming tf.estimator.export.PredictOutput; now it trains,
    evaluates, exports (TF 1.15's layout: a timestamped version folder, the path as
    bytes) and the SavedModel, loaded as TF Serving loads it, predicts what the
    Estimator predicts."""
    folder = _folder(tmp_path, "estimator_export.py")
    code, out, err = _run(folder, ["estimator_export.py", "200", "model", "export"],
                          data_dir=mnist_dir)
    assert code == 0, err
    lines = [line for line in out.splitlines() if not line.startswith("Extracting")]
    assert float(lines[0].split()[-1]) > 0.85, out
    assert lines[1:] == ["exported a bytes path", "signatures: ['classify', 'serving_default']",
                         "the SavedModel agrees with predict on 200 of 200 test digits"]
    versions = os.listdir(os.path.join(folder, "export"))
    assert len(versions) == 1 and versions[0].isdigit()  # no temp-* folder left


def test_seq2seq_sequence_loss_is_tf_1_15s_for_every_reduction(tmp_path):
    """Checked against NumPy (the same numbers TF 1.15's own sequence_loss prints: the
    script runs on both stacks); the decoders, which have no home, are refused by name."""
    folder = _folder(tmp_path, "seq2seq_loss.py")
    code, out, err = _run(folder, ["seq2seq_loss.py"])
    assert code == 0, err
    rng = np.random.RandomState(0)
    logits = rng.randn(3, 4, 5)
    targets = rng.randint(0, 5, size=(3, 4))
    weights = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], np.float64)
    log_softmax = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
    loss = -np.take_along_axis(log_softmax, targets[..., None], axis=2)[..., 0] * weights
    rows = out.replace("\n ", " ").splitlines()
    assert len(rows) == 9
    for row in rows:
        avg_time, avg_batch, sum_time, sum_batch = (bool(int(f)) for f in row.split()[:4])
        shown = np.array(eval(" ".join(row.split()[4:])))  # noqa: S307 (our own output)
        if avg_time and avg_batch:
            expected = loss.sum() / weights.sum()
        elif sum_time and sum_batch:
            expected = loss.sum() / np.count_nonzero(weights)
        elif avg_time or avg_batch:
            axis = 0 if avg_batch else 1
            expected = loss.sum(axis=axis) / weights.sum(axis=axis)
        elif sum_time or sum_batch:
            axis = 0 if sum_batch else 1
            expected = loss.sum(axis=axis) / np.count_nonzero(weights, axis=axis)
        else:
            expected = loss
        np.testing.assert_allclose(shown, expected, atol=1e-5, err_msg=row)
    if not TF1:
        with open(os.path.join(folder, "decoder.py"), "w") as f:
            f.write("import tensorflow as tf\nseq2seq = tf.contrib.seq2seq\n"
                    "loss, x = tf.contrib.seq2seq.sequence_loss, tf.zeros([2, 3, 4])\n"
                    "helper = tf.contrib.seq2seq.TrainingHelper(x, [3, 3])\n")
        code, out, err = _run(folder, ["decoder.py"])
        assert (code, out) == (1, "")
        assert err == ("error: decoder.py:4 uses tf.contrib.seq2seq.TrainingHelper, which "
                       "TensorFlow 2 removed and nothing carries today; run it on the legacy "
                       "stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)\n")


@pytest.mark.slow
def test_contrib_rnn_cells_and_load_dataset(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "contrib_rnn.py")
    code, out, err = _run(folder, ["contrib_rnn.py", "100"], data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"^rnn accuracy (\S+)$", out, re.M).group(1)) > 0.3
    assert "labels are u" in out  # load_dataset's labels: integers, as TF 1.15 gave
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST-data lacks the "
                          "files)".format(mnist_dir)]
    assert not os.path.exists(os.path.join(folder, "MNIST-data"))


@pytest.mark.slow
def test_custom_estimator_trains_evaluates_predicts_and_resumes(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "estimator_custom.py")
    model_dir = str(tmp_path / "estimator")
    args = ["estimator_custom.py", "--model_dir", model_dir, "--steps", "200", "x"]
    code, out, err = _run(folder, args, data_dir=mnist_dir)
    assert code == 0, err
    accuracy, step = re.search(r"^estimator accuracy (\S+) at step (\d+)$", out, re.M).groups()
    assert float(accuracy) > 0.8 and step == "200"
    predicted, labels = re.search(r"^predicted (\[.*\]) labels (\[.*\])$", out, re.M).groups()
    assert len(json.loads(predicted)) == len(json.loads(labels)) == 5
    assert "argv ['x']" in out
    assert "INFO:tensorflow:Saving checkpoints for 200 into" in err
    assert "Saving dict for global step 200: accuracy = " in err
    assert glob.glob(os.path.join(model_dir, "model.ckpt-200.index"))
    assert glob.glob(os.path.join(model_dir, "eval", "events.out.tfevents.*"))
    code, out, err = _run(folder, args, data_dir=mnist_dir)  # resumes from model_dir
    assert code == 0, err
    assert re.search(r"^estimator accuracy \S+ at step 400$", out, re.M)


@pytest.mark.slow
def test_canned_estimators_and_datasets_dict(tmp_path, mnist_dir):
    folder = _folder(tmp_path, "estimator_canned.py")
    code, out, err = _run(folder, ["estimator_canned.py", str(tmp_path / "models"), "200"],
                          data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"^linear accuracy (\S+)$", out, re.M).group(1)) > 0.8
    assert float(re.search(r"^dnn accuracy (\S+) ", out, re.M).group(1)) > 0.6
    assert "prediction keys ['all_class_ids', 'all_classes', 'class_ids', 'classes', " \
        "'logits', 'probabilities']" in out
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST-data lacks the "
                          "files)".format(mnist_dir)]


def test_contrib_import_forms(tmp_path):
    folder = _folder(tmp_path, "contrib_imports.py")
    code, out, err = _run(folder, ["contrib_imports.py"])
    assert code == 0, err
    assert out == ("(?, 3) (?, 2) read_data_sets LSTMStateTuple experimental_jit_scope\n")


def test_contrib_losses_and_metrics_take_their_arguments_in_tf_1_15s_order(tmp_path):
    folder = _folder(tmp_path, "contrib_losses_metrics.py")
    code, out, err = _run(folder, ["contrib_losses_metrics.py"])
    assert code == 0, err
    assert out == "['1.57546', '1.57546', '0.29630', '0.50000', '0.50000'] 3\n"


def test_estimator_contract_is_tf_1_15s(tmp_path):
    """The numbers estimator_semantics.py prints were taken from TF 1.15's own
    tf.estimator; run's on TensorFlow 2 must print the same."""
    folder = _folder(tmp_path, "estimator_semantics.py")
    code, out, err = _run(folder, ["estimator_semantics.py"])
    assert code == 0, err
    assert out == (
        "after steps=3: 3\nafter max_steps=3: 3\nafter max_steps=5: 5\n"
        "after one epoch of 3 batches: 8\n"
        "evaluate: mean_first 0.4500 global_step 8\n"
        "evaluate: mean_first 0.4500 global_step 8\n"
        "evaluate steps=1: mean_first 0.1500\n"
        "keys ['global_step', 'loss', 'mean_first']\n"
        "predict: 10 ['class', 'first'] ['0.00', '0.10', '0.20']\n"
        "predict batches: [4, 4, 2]\nw (2, 2) True\n"
        "ValueError shuffle\nno error\nValueError Missing\nValueError Can\n")


REFUSED = [
    ("import tensorflow as tf\n\ncell = tf.contrib.rnn.LayerNormBasicLSTMCell(10)\n",
     "s.py:3 uses tf.contrib.rnn.LayerNormBasicLSTMCell, which TensorFlow 2 removed and "
     "nothing carries today"),
    ("from tensorflow.contrib import tensor_forest\n",
     "s.py:1 uses tf.contrib.tensor_forest, which TensorFlow 2 removed and nothing carries "
     "today"),
    ("import tensorflow.contrib.tensorrt as trt\n",
     "s.py:1 uses tf.contrib.tensorrt, which TensorFlow 2 removed and nothing carries today"),
    ("import tensorflow as tf\nest = tf.estimator.BoostedTreesClassifier([], 1)\n",
     "s.py:2 uses tf.estimator.BoostedTreesClassifier, which TensorFlow 2 removed and "
     "tf1-mnist run does not carry (docs/run.md)"),
    ("import tensorflow as tf\nest = tf.estimator.Estimator(f)\nest.train(g)\n"
     "est.experimental_export_all_saved_models('out', h)\n",
     "s.py:4 calls Estimator.experimental_export_all_saved_models, which tf1-mnist run "
     "does not carry on TensorFlow 2 (docs/run.md)"),
    ("import tensorflow as tf\nest = tf.estimator.DNNClassifier(\n    [10], c,\n"
     "    warm_start_from='old/')\n",
     "s.py:4 gives an estimator warm_start_from=, which tf1-mnist run does not carry on "
     "TensorFlow 2 (docs/run.md)"),
]


@pytest.mark.skipif(TF1, reason="TensorFlow 1.15 runs all of tf.contrib itself")
@pytest.mark.skipif(TF1, reason="TensorFlow 1.15 runs all of tf.contrib itself")
def test_what_tensorflow_2_cannot_carry_is_refused_when_used_not_when_named(tmp_path):
    # Used: the script runs up to that line, which is refused in one line, exit 1.
    with open(str(tmp_path / "s.py"), "w") as f:
        f.write("print('started')\n" + REFUSED[0][0])
    code, out, err = _run(str(tmp_path), ["s.py"])
    assert code == 1 and out == "started\n"
    assert err == "error: s.py:4 uses tf.contrib.rnn.LayerNormBasicLSTMCell, which " \
        "TensorFlow 2 removed and nothing carries today; run it on the legacy stack (the " \
        "Docker image, or Python 3.6 + tensorflow 1.15.5)\n"
    # Named, imported, kept, but never reached (a PREDICT-only branch, a function never
    # called): the script runs to its end.
    with open(str(tmp_path / "named.py"), "w") as f:
        f.write("import tensorflow as tf\nfrom tensorflow.contrib import tensor_forest\n"
                "import tensorflow.contrib.tensorrt as trt\nforest = tensor_forest\n"
                "def export(est):\n    est.experimental_export_all_saved_models('o', {})\n"
                "    return tf.contrib.factorization.KMeans(1, 2)\n"
                "est = tf.estimator.Estimator(lambda features, labels, mode: None)\n"
                "print('ran to the end')\n")
    code, out, err = _run(str(tmp_path), ["named.py"])
    assert (code, out) == (0, "ran to the end\n"), err
    assert ours(err) == []
    # Reached through an alias, a call, a method: the line of the use is named.
    with open(str(tmp_path / "named.py"), "a") as f:
        f.write("export(est)\n")
    code, out, err = _run(str(tmp_path), ["named.py"])
    assert code == 1 and err == (
        "error: named.py:6 calls Estimator.experimental_export_all_saved_models, which "
        "tf1-mnist run does not carry on TensorFlow 2 (docs/run.md); run it on the legacy "
        "stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)\n")
    # Every case's line as notebooks get it, before any cell runs: the same check in
    # one process (each would cost a TensorFlow import of its own).
    check = ("import json, sys\nfrom tf1_mnist import legacy\n"
             "from tf1_mnist.legacy import scan\nlegacy.prefer_keras2()\n"
             "legacy.install('.')\nprint(json.dumps([legacy.refusal('s.py', text, "
             "scan.api_uses(text)) for text in json.load(sys.stdin)]))\n")
    process = subprocess.Popen([sys.executable, "-c", check], cwd=str(tmp_path),
                               env=dict(os.environ, PYTHONPATH=ROOT), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, universal_newlines=True)
    out, _ = process.communicate(json.dumps([text for text, _ in REFUSED]), timeout=300)
    assert process.returncode == 0
    assert json.loads(out.splitlines()[-1]) == [
        expected + "; run it on the legacy stack (the Docker image, or Python 3.6 + "
        "tensorflow 1.15.5)" for _, expected in REFUSED]


# Every way code imports an API with no home (tf.contrib.tensor_forest), each then used
# on its line 3: (the import, the use).
IMPORT_FORMS = [
    ("import tensorflow.contrib.tensor_forest.python.tensor_forest",
     "tensorflow.contrib.tensor_forest.python.tensor_forest.ForestHParams()"),
    ("import tensorflow.contrib.tensor_forest.python.tensor_forest as tensor_forest",
     "tensor_forest.ForestHParams()"),
    ("from tensorflow.contrib.tensor_forest.python import tensor_forest",
     "tensor_forest.ForestHParams()"),
    ("from tensorflow.contrib.tensor_forest.python.tensor_forest import ForestHParams",
     "ForestHParams(num_classes=10)"),
    ("from tensorflow.contrib.tensor_forest.python.ops import data_ops, model_ops",
     "model_ops.tree_predictions_v4(None)"),
    ("from tensorflow.contrib import tensor_forest", "tensor_forest.python"
     ".tensor_forest.RandomForestGraphs(None)"),
    ("import tensorflow.contrib.tensor_forest", "tensorflow.contrib.tensor_forest.client()"),
    ("import importlib", "importlib.import_module('tensorflow.contrib.tensor_forest.python."
     "tensor_forest').ForestHParams()"),
    ("import tensorflow as tf", "getattr(tf.contrib, 'tensor_forest').python()"),
    ("import tensorflow as tf", "class Forest(tf.contrib.tensor_forest.python.tensor_forest"
     ".RandomForestGraphs):\n    pass"),
    ("import tensorflow as tf", "[x for x in tf.contrib.tensor_forest]"),
    ("", "__import__('tensorflow.contrib.tensor_forest.python', fromlist=['x']).x()"),
]


@pytest.mark.skipif(TF1, reason="TensorFlow 1.15 has tf.contrib.tensor_forest")
def test_every_import_form_of_an_api_with_no_home_reaches_the_one_line(tmp_path):
    """Imported in any form, at any depth, statically or by name: the program runs up
    to the use, which is the one line naming it. All forms in one process, through one
    driver that runs each (the stand-ins come from the layer itself, not from reading
    the forms); and two forms as programs of their own."""
    names = []
    for i, (imported, used) in enumerate(IMPORT_FORMS):
        names.append("form{}.py".format(i))
        with open(str(tmp_path / names[-1]), "w") as f:
            f.write("{}\nprint('imported')\n{}\n".format(imported, used))
    with open(str(tmp_path / "driver.py"), "w") as f:
        f.write("import runpy, sys\nfor path in sys.argv[1:]:\n    try:\n"
                "        runpy.run_path(path)\n    except Exception as exc:\n"
                "        print(type(exc).__name__, exc)\n")
    code, out, err = _run(str(tmp_path), ["driver.py"] + names)
    assert code == 0, err
    legacy_stack = "run it on the legacy stack (the Docker image, or Python 3.6 + " \
        "tensorflow 1.15.5)"
    assert out.splitlines() == [line for name in names for line in (
        "imported", "UserError {}:3 uses tf.contrib.tensor_forest, which TensorFlow 2 "
        "removed and nothing carries today; {}".format(name, legacy_stack))]
    for name in (names[2], names[7]):  # the form, and one by name
        code, out, err = _run(str(tmp_path), [name])
        assert (code, out) == (1, "imported\n") and err == (
            "error: {}:3 uses tf.contrib.tensor_forest, which TensorFlow 2 removed and "
            "nothing carries today; {}\n".format(name, legacy_stack))


@pytest.mark.skipif(TF1, reason="TensorFlow 1.15 has tf.layers built in")
def test_tf_layers_without_tf_keras_says_what_to_install(tmp_path):
    with open(str(tmp_path / "s.py"), "w") as f:
        f.write("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 4])\n"
                "h = tf.layers.dense(x, 2)\n")
    code = ("import sys; sys.modules['tf_keras'] = None  # as if not installed\n"
            "from tf1_mnist.cli import main; sys.exit(main(['run', 's.py']))\n")
    status, out, err = _run(str(tmp_path), [], command=("-c", code))
    assert status == 1 and out == ""
    assert err == ("error: s.py:3 uses tf.layers.dense, which needs tf-keras on TensorFlow "
                   "2.16+; install it: pip install --no-deps tf-keras==2.21.0 "
                   "tf-slim==1.1.0\n")


def test_the_install_hint_names_what_requirements_run_pins():
    with open(os.path.join(ROOT, "requirements-run.txt")) as f:
        pins = [line.split(";")[0].strip() for line in f
                if line.strip() and not line.startswith("#")]
    assert list(legacy.RUN_LIBRARIES) == pins


def test_numpy_1_names_come_back_under_run_only(tmp_path):
    script = ("import numpy as np\nx = np.reshape(np.arange(6), newshape=(2, 3))\n"
              "print(x.shape, np.float is float, np.int is int, np.object is object, "
              "np.asscalar(np.array([4])), np.float_ is np.float64, np.NaN != np.NaN)\n"
              "print([np.float32(0.5), np.int64(3)])  # TF1 scripts print sess.run lists\n")
    with open(str(tmp_path / "old_numpy.py"), "w") as f:
        f.write(script)
    code, out, err = _run(str(tmp_path), ["old_numpy.py"])
    assert code == 0, err
    assert out == "(2, 3) True True True 4 True True\n[0.5, 3]\n"
    import numpy
    if int(numpy.__version__.split(".")[0]) >= 2:  # outside run, NumPy stays as it is
        code, out, err = _run(str(tmp_path), ["old_numpy.py"], command=())
        assert code == 1 and "newshape" in err


def test_train_pays_nothing_for_the_legacy_layer():
    code = ("import os, sys\nfrom tf1_mnist import cli, train, predict\n"
            "import tf1_mnist.compat\n"
            "print(sorted(m for m in sys.modules if m.startswith(("
            "'tf1_mnist.legacy', 'tf_keras', 'tf_slim'))), "
            "os.environ.get('TF_USE_LEGACY_KERAS'))\n")
    status, out, err = _run(ROOT, [], command=("-c", code))
    assert status == 0, err
    assert out == "[] None\n"


@pytest.mark.skipif(TF1, reason="the legacy stack is checked by tools/check_lock.py")
def test_one_tensorflow_distribution_is_installed(tmp_path):
    tool = [os.path.join(ROOT, "tools", "check_tensorflow.py"),
            os.path.join(ROOT, "requirements-run.txt")]
    status, out, err = _run(ROOT, tool, command=())
    assert status == 0, out + err
    assert out.endswith("requirements-run.txt: 0 problem(s)\n")
    # A second TensorFlow (what tf-keras's own dependency would install) is caught.
    fake = tmp_path / "tensorflow-2.21.0.dist-info"
    fake.mkdir()
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: tensorflow\n"
                                   "Version: 2.21.0\n")
    (fake / "RECORD").write_text("tensorflow/__init__.py,sha256=x,100\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    process = subprocess.Popen([sys.executable] + tool, env=env, stdout=subprocess.PIPE,
                               universal_newlines=True)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "2 TensorFlow distributions are installed (tensorflow, tensorflow-cpu)" in out
    assert "tensorflow: tensorflow/__init__.py is missing" in out


@pytest.mark.parametrize("name, expected", [
    ("missing.py", "error: missing.py: no such script; check the path"),
    ("python2.py", "error: python2.py:1: not valid Python 3: "),
    ("picture.png", "error: picture.png: is not a Python script"),
    ("binary.py", "error: binary.py: is not a Python script (binary data)"),
    ("a_folder", "error: a_folder: is not a file; give a Python script"),
])
def test_what_cannot_run_says_so_in_one_line(tmp_path, name, expected):
    folder = _folder(tmp_path)
    # Written here, not committed: the tree must compile on Python 3.6 (the Docker image).
    with open(os.path.join(folder, "python2.py"), "w") as f:
        f.write('print "hello from Python 2"\n')
    shutil.copy(os.path.join(ROOT, "test_img.png"), os.path.join(folder, "picture.png"))
    with open(os.path.join(folder, "binary.py"), "wb") as f:
        f.write(b"print(1)\x00\x01")
    os.mkdir(os.path.join(folder, "a_folder"))
    code, out, err = _run(folder, [name])
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(expected), err


def test_the_scripts_own_exception_keeps_its_traceback(tmp_path):
    folder = _folder(tmp_path, "fails.py")
    code, _, err = _run(folder, ["fails.py"])
    assert code == 1
    assert err.startswith("Traceback (most recent call last):\n  File \"fails.py\", line 6")
    assert "tf1_mnist" not in err and "runpy" not in err  # only the user's frames
    assert err.strip().endswith("ValueError: the script's own mistake")


def test_exit_status_is_the_scripts(tmp_path):
    folder = str(tmp_path)
    with open(os.path.join(folder, "exits.py"), "w") as f:
        f.write("import sys\nprint('bye')\nsys.exit(3)\n")
    code, out, _ = _run(folder, ["exits.py"])
    assert code == 3 and out == "bye\n"


def test_missing_data_is_downloaded_into_the_named_directory(tmp_path, mnist_dir, monkeypatch):
    """No fallback directory: the files are downloaded (from a local mirror here) into
    the directory the script named, verified."""
    from test_data import serving
    monkeypatch.chdir(str(tmp_path))
    with serving(mnist_dir) as url:
        monkeypatch.setattr(data, "MIRRORS", (url,))
        read_data_sets = mnist_shim.read_data_sets_for(None)
        mnist = read_data_sets("MNIST_data/", one_hot=True)
    assert mnist.train.num_examples == 55000 and not data.missing_files("MNIST_data")


@pytest.mark.skipif(not TF1, reason="compares with TensorFlow 1.15's own input_data")
def test_same_batches_as_tensorflows_own_input_data(tmp_path, mnist_dir):
    """A script that seeds the graph before read_data_sets prints exactly the same
    numbers with TF 1.15's own module (plain python) and under run."""
    folder = _folder(tmp_path, "sparse_labels.py")
    os.mkdir(os.path.join(folder, "MNIST_data"))
    for name in data.FILES:
        shutil.copy(data.find_file(mnist_dir, name), os.path.join(folder, "MNIST_data"))
    code, original, err = _run(folder, ["sparse_labels.py"], command=())
    assert code == 0, err
    assert "first labels" in original
    code, ours, err = _run(folder, ["sparse_labels.py"])
    assert code == 0, err
    assert ours == original
