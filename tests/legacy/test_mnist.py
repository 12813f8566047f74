"""tf1_mnist/legacy/mnist.py: MNIST as TF1 programs read it (input_data's drop-in)."""
import os
import shutil

import pytest

from conftest import run_in, script_folder
from tf1_mnist import data
from tf1_mnist.legacy import mnist as mnist_shim
from tf1_mnist.compat import TF_VERSION

TF1 = TF_VERSION.startswith("1.")


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
    folder = script_folder(tmp_path, "sparse_labels.py")
    os.mkdir(os.path.join(folder, "MNIST_data"))
    for name in data.FILES:
        shutil.copy(data.find_file(mnist_dir, name), os.path.join(folder, "MNIST_data"))
    code, original, err = run_in(folder, ["sparse_labels.py"], command=())
    assert code == 0, err
    assert "first labels" in original
    code, ours, err = run_in(folder, ["sparse_labels.py"])
    assert code == 0, err
    assert ours == original
