"""tf1_mnist/legacy/contrib.py: tf.contrib's losses, metrics and sequence_loss,
computed as TF 1.15 computed them."""
import os

import numpy as np

from conftest import run_in, script_folder
from tf1_mnist.compat import TF_VERSION

TF1 = TF_VERSION.startswith("1.")


def test_seq2seq_sequence_loss_is_tf_1_15s_for_every_reduction(tmp_path):
    """Checked against NumPy (the same numbers TF 1.15's own sequence_loss prints: the
    script runs on both stacks); the decoders, which have no home, are refused by name."""
    folder = script_folder(tmp_path, "seq2seq_loss.py")
    code, out, err = run_in(folder, ["seq2seq_loss.py"])
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
        code, out, err = run_in(folder, ["decoder.py"])
        assert (code, out) == (1, "")
        assert err == ("error: decoder.py:4 uses tf.contrib.seq2seq.TrainingHelper, which "
                       "TensorFlow 2 removed and nothing carries today; run it on the legacy "
                       "stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)\n")


def test_contrib_losses_and_metrics_take_their_arguments_in_tf_1_15s_order(tmp_path):
    folder = script_folder(tmp_path, "contrib_losses_metrics.py")
    code, out, err = run_in(folder, ["contrib_losses_metrics.py"])
    assert code == 0, err
    assert out == "['1.57546', '1.57546', '0.29630', '0.50000', '0.50000'] 3\n"
