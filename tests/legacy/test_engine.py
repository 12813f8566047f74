"""tf1_mnist/legacy/engine.py puts homes.py's rows in place: the era's higher-level
APIs, unchanged.

tf.layers (layers_cnn.py), tf.contrib.layers with tf.app.flags, XLA's jit_scope and a
timeline (contrib_layers.py), every contrib import form (contrib_imports.py), slim's
batch_norm and dropout with a placeholder is_training (slim_is_training.py), TF1 eager
with tfe (tests/scripts/eager_*.py); what to install when a home's library is missing,
and one TensorFlow distribution installed."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, ours, run_in, script_folder
from tf1_mnist import data, legacy
from tf1_mnist.compat import TF_VERSION

TF1 = TF_VERSION.startswith("1.")


@pytest.mark.slow
def test_tf_layers_cnn(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "layers_cnn.py")
    code, out, err = run_in(folder, ["layers_cnn.py", "--data_dir", mnist_dir, "--steps", "100",
                                   "--test_size", "2000"])
    assert code == 0, err
    assert float(re.search(r"^layers accuracy (\S+)$", out, re.M).group(1)) > 0.5
    assert "argv ['--data_dir', '{}', '--steps', '100', '--test_size', '2000'] name " \
        "__main__".format(mnist_dir) in out
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified)".format(mnist_dir)]


@pytest.mark.slow
@pytest.mark.skipif(not TF1, reason="compares with TensorFlow 1.15 running the script itself")
def test_seeded_tf_layers_script_prints_the_same_natively_and_under_run(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "layers_cnn.py")
    os.mkdir(os.path.join(folder, "MNIST_data"))
    for name in data.FILES:
        shutil.copy(data.find_file(mnist_dir, name), os.path.join(folder, "MNIST_data"))
    args = ["layers_cnn.py", "--steps", "60", "--test_size", "1000"]
    code, native, err = run_in(folder, args, command=())
    assert code == 0, err
    assert "step 50 loss" in native and "layers accuracy" in native
    code, ours, err = run_in(folder, args)
    assert code == 0, err
    assert ours == native


@pytest.mark.slow
def test_contrib_layers_app_flags_jit_scope_and_timeline(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "contrib_layers.py")
    trace = str(tmp_path / "step.json")
    missing = str(tmp_path / "no-mnist-here")
    code, out, err = run_in(folder, ["contrib_layers.py", "--data_dir", missing, "--steps",
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
    folder = script_folder(tmp_path, "slim_is_training.py")
    code, out, err = run_in(folder, ["slim_is_training.py", "300"], data_dir=mnist_dir)
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
    folder = script_folder(tmp_path, "eager_mnist.py")
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


def test_contrib_import_forms(tmp_path):
    folder = script_folder(tmp_path, "contrib_imports.py")
    code, out, err = run_in(folder, ["contrib_imports.py"])
    assert code == 0, err
    assert out == ("(?, 3) (?, 2) read_data_sets LSTMStateTuple experimental_jit_scope\n")


@pytest.mark.skipif(TF1, reason="TensorFlow 1.15 has tf.layers built in")
def test_tf_layers_without_tf_keras_says_what_to_install(tmp_path):
    with open(str(tmp_path / "s.py"), "w") as f:
        f.write("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 4])\n"
                "h = tf.layers.dense(x, 2)\n")
    code = ("import sys; sys.modules['tf_keras'] = None  # as if not installed\n"
            "from tf1_mnist.cli import main; sys.exit(main(['run', 's.py']))\n")
    status, out, err = run_in(str(tmp_path), [], command=("-c", code))
    assert status == 1 and out == ""
    assert err == ("error: s.py:3 uses tf.layers.dense, which needs tf-keras on TensorFlow "
                   "2.16+; install it: pip install --no-deps tf-keras==2.21.0 "
                   "tf-slim==1.1.0\n")


def test_the_install_hint_names_what_requirements_run_pins():
    with open(os.path.join(ROOT, "requirements-run.txt")) as f:
        pins = [line.split(";")[0].strip() for line in f
                if line.strip() and not line.startswith("#")]
    assert list(legacy.RUN_LIBRARIES) == pins


@pytest.mark.skipif(TF1, reason="the legacy stack is checked by tools/check_lock.py")
def test_one_tensorflow_distribution_is_installed(tmp_path):
    tool = [os.path.join(ROOT, "tools", "check_tensorflow.py"),
            os.path.join(ROOT, "requirements-run.txt")]
    status, out, err = run_in(ROOT, tool, command=())
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
