"""tf1_mnist/legacy/estimator.py: tf.estimator as TF 1.15 ran it.

A custom estimator (estimator_custom.py), the canned ones with tf.contrib.learn's three
ways to read MNIST (estimator_canned.py), an official-style exporter
(estimator_export.py) and tf.estimator's contract on ten rows (estimator_semantics.py)."""
import glob
import json
import os
import re

import pytest

from conftest import ours, run_in, script_folder


@pytest.mark.slow
def test_an_official_style_estimator_exports_a_savedmodel_that_serves_its_predictions(
        tmp_path, mnist_dir):
    """Refused before for naming tf.estimator.export.PredictOutput; now it trains,
    evaluates, exports (TF 1.15's layout: a timestamped version folder, the path as
    bytes) and the SavedModel, loaded as TF Serving loads it, predicts what the
    Estimator predicts."""
    folder = script_folder(tmp_path, "estimator_export.py")
    code, out, err = run_in(folder, ["estimator_export.py", "200", "model", "export"],
                          data_dir=mnist_dir)
    assert code == 0, err
    lines = [line for line in out.splitlines() if not line.startswith("Extracting")]
    assert float(lines[0].split()[-1]) > 0.85, out
    assert lines[1:] == ["exported a bytes path", "signatures: ['classify', 'serving_default']",
                         "the SavedModel agrees with predict on 200 of 200 test digits"]
    versions = os.listdir(os.path.join(folder, "export"))
    assert len(versions) == 1 and versions[0].isdigit()  # no temp-* folder left


@pytest.mark.slow
def test_custom_estimator_trains_evaluates_predicts_and_resumes(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "estimator_custom.py")
    model_dir = str(tmp_path / "estimator")
    args = ["estimator_custom.py", "--model_dir", model_dir, "--steps", "200", "x"]
    code, out, err = run_in(folder, args, data_dir=mnist_dir)
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
    code, out, err = run_in(folder, args, data_dir=mnist_dir)  # resumes from model_dir
    assert code == 0, err
    assert re.search(r"^estimator accuracy \S+ at step 400$", out, re.M)


@pytest.mark.slow
def test_canned_estimators_and_datasets_dict(tmp_path, mnist_dir):
    folder = script_folder(tmp_path, "estimator_canned.py")
    code, out, err = run_in(folder, ["estimator_canned.py", str(tmp_path / "models"), "200"],
                          data_dir=mnist_dir)
    assert code == 0, err
    assert float(re.search(r"^linear accuracy (\S+)$", out, re.M).group(1)) > 0.8
    assert float(re.search(r"^dnn accuracy (\S+) ", out, re.M).group(1)) > 0.6
    assert "prediction keys ['all_class_ids', 'all_classes', 'class_ids', 'classes', " \
        "'logits', 'probabilities']" in out
    assert ours(err) == ["tf1-mnist run: MNIST from {} (verified; MNIST-data lacks the "
                          "files)".format(mnist_dir)]


def test_estimator_contract_is_tf_1_15s(tmp_path):
    """The numbers estimator_semantics.py prints were taken from TF 1.15's own
    tf.estimator; run's on TensorFlow 2 must print the same."""
    folder = script_folder(tmp_path, "estimator_semantics.py")
    code, out, err = run_in(folder, ["estimator_semantics.py"])
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
