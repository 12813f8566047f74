"""`tf1-mnist run SCRIPT`: classic TF1 MNIST scripts, unchanged, on the running stack.

The scripts in tests/scripts/ were written for these tests in the era's style: the
DigitalOcean tutorial's main.py from its text, softmax regression with argparse and
tf.app.run, a tf.nn.conv2d CNN with tf.app.flags, tf.train.Saver, summaries, dense
labels with tf.losses, a fully_connected_feed-style script with its sibling mnist.py,
and one that uses tf.contrib."""
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, TUTORIAL_IMAGE
from tf1_mnist import data, input_data, legacy
from tf1_mnist.compat import TF_VERSION

SCRIPTS = os.path.join(ROOT, "tests", "scripts")
TF1 = TF_VERSION.startswith("1.")


def _folder(tmp_path, *names):
    """A fresh folder holding the named scripts (and the tutorial's image)."""
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(os.path.join(SCRIPTS, name), str(folder))
    return str(folder)


def _run(folder, args, data_dir=None, command=("-m", "tf1_mnist", "run")):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop(data.DATA_DIR_ENV, None)
    if data_dir:
        env[data.DATA_DIR_ENV] = data_dir
    process = subprocess.Popen([sys.executable] + list(command) + list(args), cwd=folder,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def _ours(err):
    """This layer's lines on stderr (TensorFlow's own warnings aside)."""
    return [line for line in err.splitlines()
            if line.startswith(("tf1-mnist run:", "error:", "Traceback"))]


@pytest.mark.slow
def test_the_tutorials_main_py(tmp_path, mnist_dir, tutorial_image):
    folder = _folder(tmp_path, "main.py")
    shutil.copy(tutorial_image, folder)
    code, out, err = _run(folder, ["main.py"], data_dir=mnist_dir)
    assert code == 0, err
    assert _ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST_data/ lacks the "
                          "files)".format(mnist_dir)]
    iterations = re.findall(r"^Iteration (\d+) \t\| Loss = \S+ \t\| Accuracy = \S+$", out, re.M)
    assert iterations == [str(i) for i in range(0, 1000, 100)]
    accuracy = float(re.search(r"^Accuracy on test set: (\S+)$", out, re.M).group(1))
    assert 0.90 <= accuracy <= 0.93
    assert out.rstrip().endswith("Prediction for test image: 2")
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
    assert _ours(err) == ["tf1-mnist run: MNIST from {} (verified)".format(mnist_dir)]


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


def test_tf_contrib(tmp_path):
    folder = _folder(tmp_path, "uses_contrib.py")
    code, out, err = _run(folder, ["uses_contrib.py"])
    if TF1:
        assert code == 0 and "contrib worked (784, 10)" in out, err
    else:
        assert code == 1 and err.strip() == (
            "error: uses_contrib.py:4 uses tf.contrib.layers, which TensorFlow 2 removed; "
            "run it on the legacy stack (the Docker image, or Python 3.6 + tensorflow "
            "1.15.5)")


def test_contrib_uses_are_found_in_every_form():
    text = ("import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"
            "from tensorflow.contrib import rnn\nfrom tensorflow.contrib.learn import x\n"
            "y = tf.contrib.layers.flatten\nimport tensorflow.compat.v1 as t1\n"
            "z = t1.contrib\n")
    assert legacy.contrib_uses(text) == [
        (2, "tf.contrib.slim"), (3, "tf.contrib.rnn"), (4, "tf.contrib.learn"),
        (5, "tf.contrib.layers"), (7, "tf.contrib")]
    assert legacy.contrib_uses("import numpy as tf\ntf.contrib = 1\n") == []


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
        read_data_sets = legacy._read_data_sets_for(input_data, None)
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
