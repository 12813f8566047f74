"""tf1_mnist/legacy/seq2seq.py builds what TF 1.15.5's tf.contrib.legacy_seq2seq builds.

tests/scripts/seq2seq_models.py runs under ``tf1-mnist run`` on each stack: on the
legacy stack it uses TensorFlow's own module, here ours. Every variable is set by its
name, so the same names and shapes must give the same outputs and losses.
"""
import os

import pytest

from conftest import close, script_json
from tf1_mnist.compat import TF_VERSION

OTHER = os.environ.get("TF1_MNIST_OTHER_PYTHON")  # CI: the other stack's python


def test_the_models_have_tf_1_15_s_variables_and_numbers(tmp_path):
    ours, _ = script_json(tmp_path, "seq2seq_models.py")
    assert len(ours) == 12 and all(model["variables"] for model in ours.values())
    if TF_VERSION.startswith("1."):
        pytest.skip("this is TensorFlow 1.15's own module: compared from the TF 2 stack")
    if not OTHER:
        pytest.skip("TF1_MNIST_OTHER_PYTHON (the legacy stack's python) is not set; CI "
                    "sets it")
    theirs, _ = script_json(tmp_path, "seq2seq_models.py", OTHER)
    assert sorted(ours) == sorted(theirs)
    for name in sorted(ours):
        assert ours[name]["variables"] == theirs[name]["variables"], name
        assert close(ours[name]["values"], theirs[name]["values"]), name
