"""tf1_mnist/legacy/rnn.py builds what TF 1.15.5's tf.contrib.rnn builds, and
``run`` shows tf-keras's per-call deprecations once per API, in one line.

tests/scripts/rnn_cells.py runs under ``tf1-mnist run`` on each stack: on the legacy
stack it uses TensorFlow's own tf.contrib.rnn, here ours. Every variable is set by its
name, then three Adam steps run, so the same names and shapes must give the same
outputs, gradients and losses. tests/scripts/contrib_rnn.py is the era's MNIST RNN
with tf.contrib.rnn's cells and tf.contrib.learn's load_dataset.
"""
import os
import re
import warnings

import pytest

from conftest import close, ours, run_in, script_folder, script_json
from tf1_mnist.compat import TF_VERSION

OTHER = os.environ.get("TF1_MNIST_OTHER_PYTHON")  # CI: the other stack's python


def test_the_cells_have_tf_1_15_s_variables_numbers_and_gradients(tmp_path):
    ours, err = script_json(tmp_path, "rnn_cells.py")
    assert len(ours) == 17 and all(model["variables"] for model in ours.values())
    assert "UserWarning" not in err
    if TF_VERSION.startswith("1."):
        pytest.skip("this is TensorFlow 1.15's own tf.contrib.rnn: compared from the TF 2 "
                    "stack")
    if not OTHER:
        pytest.skip("TF1_MNIST_OTHER_PYTHON (the legacy stack's python) is not set; CI "
                    "sets it")
    theirs, _ = script_json(tmp_path, "rnn_cells.py", OTHER)
    assert sorted(ours) == sorted(theirs)
    for name in sorted(ours):
        assert ours[name]["variables"] == theirs[name]["variables"], name
        assert close(ours[name]["values"], theirs[name]["values"]), name


def test_a_deprecated_api_is_shown_once_in_one_line(capsys):
    from tf1_mnist.legacy import runner

    with warnings.catch_warnings(record=True) as others:  # restores showwarning after
        warnings.simplefilter("always")
        runner.deprecations_once()
        runner.deprecations_once()  # installed once, whatever calls it again
        for line in (3, 4, 5):
            warnings.warn_explicit(
                "`tf.layers.dense` is deprecated and will be removed in a future version. "
                "Please use `tf.keras.layers.Dense` instead.",
                UserWarning, "/tmp/ipykernel_1/1.py", line)
        warnings.warn_explicit("`tf.nn.rnn_cell.GRUCell` is deprecated and will be "
                               "removed in a future version.", UserWarning, "x.py", 1)
        warnings.warn_explicit("something else", UserWarning, "x.py", 2)
    assert capsys.readouterr().err.splitlines() == [
        "WARNING:tensorflow:`tf.layers.dense` is deprecated and will be removed in a "
        "future version. Please use `tf.keras.layers.Dense` instead.",
        "WARNING:tensorflow:`tf.nn.rnn_cell.GRUCell` is deprecated and will be removed "
        "in a future version."]
    assert [str(w.message) for w in others] == ["something else"]


@pytest.mark.slow
def test_contrib_rnn_cells_and_load_dataset(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "contrib_rnn.py")
    code, out, err = run_in(folder, ["contrib_rnn.py", "100"], data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"^rnn accuracy (\S+)$", out, re.M).group(1)) > 0.3
    assert "labels are u" in out  # load_dataset's labels: integers, as TF 1.15 gave
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST-data lacks the "
                          "files)".format(mnist_dir)]
    assert not os.path.exists(os.path.join(folder, "MNIST-data"))
