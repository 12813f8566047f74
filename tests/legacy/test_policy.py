"""tf1_mnist/legacy/policy.py: what TensorFlow 2 cannot carry is refused in one line,
when it is used."""
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, ours, run_in, script_folder
from tf1_mnist.compat import TF_VERSION

TF1 = TF_VERSION.startswith("1.")


def test_tf_contrib_without_a_home(tmp_path):
    folder = script_folder(tmp_path, "uses_contrib.py")
    code, out, err = run_in(folder, ["uses_contrib.py"])
    if TF1:
        assert code == 0 and "contrib worked KMeans" in out, err
    else:
        assert code == 1 and out == "" and err.strip() == (
            "error: uses_contrib.py:5 uses tf.contrib.factorization, which TensorFlow 2 "
            "removed and nothing carries today; run it on the legacy stack (the Docker "
            "image, or Python 3.6 + tensorflow 1.15.5)")


REFUSED = [
    ("import tensorflow as tf\n\ncell = tf.contrib.rnn.GridLSTMCell(10)\n",
     "s.py:3 uses tf.contrib.rnn.GridLSTMCell, which TensorFlow 2 removed and "
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
def test_what_tensorflow_2_cannot_carry_is_refused_when_used_not_when_named(tmp_path):
    # Used: the script runs up to that line, which is refused in one line, exit 1.
    with open(str(tmp_path / "s.py"), "w") as f:
        f.write("print('started')\n" + REFUSED[0][0])
    code, out, err = run_in(str(tmp_path), ["s.py"])
    assert code == 1 and out == "started\n"
    assert err == "error: s.py:4 uses tf.contrib.rnn.GridLSTMCell, which " \
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
    code, out, err = run_in(str(tmp_path), ["named.py"])
    assert (code, out) == (0, "ran to the end\n"), err
    assert ours(err) == []
    # Reached through an alias, a call, a method: the line of the use is named.
    with open(str(tmp_path / "named.py"), "a") as f:
        f.write("export(est)\n")
    code, out, err = run_in(str(tmp_path), ["named.py"])
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
    code, out, err = run_in(str(tmp_path), ["driver.py"] + names)
    assert code == 0, err
    legacy_stack = "run it on the legacy stack (the Docker image, or Python 3.6 + " \
        "tensorflow 1.15.5)"
    assert out.splitlines() == [line for name in names for line in (
        "imported", "UserError {}:3 uses tf.contrib.tensor_forest, which TensorFlow 2 "
        "removed and nothing carries today; {}".format(name, legacy_stack))]
    for name in (names[2], names[7]):  # the form, and one by name
        code, out, err = run_in(str(tmp_path), [name])
        assert (code, out) == (1, "imported\n") and err == (
            "error: {}:3 uses tf.contrib.tensor_forest, which TensorFlow 2 removed and "
            "nothing carries today; {}\n".format(name, legacy_stack))
