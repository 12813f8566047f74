"""The other tutorials' networks: sizes, a NumPy forward pass, epoch training, the CLI."""
import json
import os

import numpy as np
import pytest

from conftest import EPOCH_LINE, PROJECT_IMAGE, run_cli, small_arrays
from tf1_mnist import cli, networks, recipes
from tf1_mnist.compat import tf
from tf1_mnist.data import keras_style_split
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train

OTHERS = [name for name in recipes.NAMES if name != recipes.MLP]


def _build(name, seed=0):
    graph = tf.Graph()
    with graph.as_default():
        g = networks.build(name, recipes.SPECS[name].recipe, seed=seed)
        init = tf.global_variables_initializer()
    return graph, g, init


@pytest.mark.parametrize("name", recipes.NAMES)
def test_parameter_counts_and_output_shape(name):
    graph, g, _ = _build(name)
    with graph.as_default():
        count = sum(int(np.prod(v.shape.as_list())) for v in tf.trainable_variables())
    assert count == recipes.SPECS[name].parameters
    assert g.X.shape.as_list() == [None, 784] and g.output_layer.shape.as_list() == [None, 10]


def _np_conv(x, kernel, bias, padding):
    """tf.nn.conv2d with strides 1, NHWC, in plain NumPy."""
    kh, kw = kernel.shape[:2]
    if padding == "SAME":
        x = np.pad(x, ((0, 0), (kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2), (0, 0)))
    x = np.ascontiguousarray(x)
    n, h, w, c = x.shape
    s = x.strides
    patches = np.lib.stride_tricks.as_strided(
        x, shape=(n, h - kh + 1, w - kw + 1, kh, kw, c),
        strides=(s[0], s[1], s[2], s[1], s[2], s[3]))
    return np.tensordot(patches, kernel, axes=([3, 4, 5], [0, 1, 2])) + bias


def _np_pool(x):
    """2x2 max-pooling, stride 2, VALID."""
    n, h, w, c = x.shape
    return x[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


# Each network as its tutorial describes it (see recipes.SPECS' notes), layer by layer:
# ("conv", scope, padding, relu), ("pool",), ("flatten",), ("dense", scope, relu).
# Dropout is absent: keep_prob defaults to 1.
LAYERS = {
    "lenet": [("conv", "conv1", "SAME", True), ("pool",), ("conv", "conv2", "VALID", True),
              ("pool",), ("flatten",), ("dense", "dense1", True), ("dense", "dense2", True),
              ("dense", "logits", False)],
    "cnn-32-64": [("conv", "conv1", "VALID", True), ("conv", "conv2", "VALID", True),
                  ("pool",), ("flatten",), ("dense", "logits", False)],
    "cnn-28-128": [("conv", "conv1", "VALID", False), ("pool",), ("flatten",),
                   ("dense", "dense1", True), ("dense", "logits", False)],
    "ann-300-200-100": [("flatten",), ("dense", "dense1", True), ("dense", "dense2", True),
                        ("dense", "dense3", True), ("dense", "logits", False)],
    "cnn-32-16": [("conv", "conv1", "VALID", False), ("conv", "conv2", "VALID", False),
                  ("flatten",), ("dense", "dense1", True), ("dense", "logits", False)],
}


def _numpy_forward(layers, w, x):
    h = x.reshape(-1, 28, 28, 1).astype(np.float64)
    for layer in layers:
        if layer[0] == "conv":
            h = _np_conv(h, w[layer[1] + "/weights"], w[layer[1] + "/biases"], layer[2])
        elif layer[0] == "pool":
            h = _np_pool(h)
        elif layer[0] == "flatten":
            h = h.reshape(len(h), -1)
        else:
            h = h @ w[layer[1] + "/weights"] + w[layer[1] + "/biases"]
        if layer[-1] is True:
            h = np.maximum(h, 0)
    return h


@pytest.mark.parametrize("name", OTHERS)
def test_forward_pass_against_numpy(name):
    """micrograd's way: the graph's logits against an independent NumPy computation
    with the same weights (random kernels; biases made non-zero, since zero biases
    would hide a missing or misplaced one)."""
    graph, g, init = _build(name)
    x = np.random.RandomState(0).rand(3, 784).astype(np.float32)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        with graph.as_default():
            variables = {v.op.name: v for v in tf.trainable_variables()}
            rng = np.random.RandomState(1)
            for v in variables.values():
                if v.op.name.endswith("biases"):
                    v.load(rng.uniform(-0.1, 0.1, v.shape.as_list()), sess)
        logits = sess.run(g.output_layer, {g.X: x})
        w = sess.run(variables)
    assert set(LAYERS) == set(OTHERS)
    np.testing.assert_allclose(logits, _numpy_forward(LAYERS[name], w, x), rtol=1e-4,
                               atol=1e-4)


def test_keras_style_initialisation_and_seeding():
    values = []
    for seed in (3, 3, None):
        graph, _, init = _build("lenet", seed=seed)
        with tf.Session(graph=graph) as sess:
            sess.run(init)
            with graph.as_default():
                values.append(sess.run({v.op.name: v for v in tf.trainable_variables()}))
    kernel = values[0]["dense1/weights"]  # 400 -> 120: Glorot limit sqrt(6 / 520)
    assert np.abs(kernel).max() <= np.sqrt(6.0 / 520) + 1e-6
    assert not values[0]["dense1/biases"].any()
    np.testing.assert_array_equal(kernel, values[1]["dense1/weights"])
    assert not np.array_equal(kernel, values[2]["dense1/weights"])


def test_keras_style_split():
    arrays = small_arrays()
    train, validation, test = keras_style_split(arrays, 0.25)
    assert len(train[0]) == 150 and len(validation[0]) == 50 and len(test[0]) == 40
    np.testing.assert_allclose(validation[0][0], arrays["train_images"][150].ravel() / 255.0,
                               rtol=1e-6)  # Keras takes the last fraction, unshuffled
    train, validation, _ = keras_style_split(arrays, "test")
    assert len(train[0]) == 200 and validation[0] is _[0]
    assert keras_style_split(arrays, None)[1] is None
    assert train[1].shape == (200, 10) and train[0].max() <= 1.0


@pytest.mark.parametrize("name", OTHERS)
def test_epoch_training_saves_a_self_describing_model(name, tmp_path):
    lines = []
    model_dir = str(tmp_path / "model")
    metrics = train(small_arrays(), model_dir,
                    configure(name, seed=0, hparams={"epochs": 2}), Monitor(log=lines.append))
    assert [EPOCH_LINE.match(line).group(1) for line in lines[:2]] == ["1", "2"]
    has_validation = recipes.SPECS[name].validation is not None
    assert (EPOCH_LINE.match(lines[0]).group(3) != "-") == has_validation
    assert lines[-2].startswith("\nAccuracy on test set: ")
    with open(os.path.join(model_dir, "model.json")) as f:
        description = json.load(f)
    assert description["model"] == name and description["hparams"]["epochs"] == 2
    assert len(metrics["history"]) == 2
    code = cli.main(["predict", PROJECT_IMAGE, "--model-dir", model_dir])
    assert code == 0  # predict needs no --model: model.json says which network


def test_epoch_training_is_repeatable(tmp_path):
    runs = [train(small_arrays(), str(tmp_path / "m"),
                  configure("cnn-28-128", seed=1, hparams={"epochs": 1}),
                  Monitor(log=lambda line: None)) for _ in range(2)]
    for run in runs:
        for point in run["history"]:
            point.pop("seconds")
    assert runs[0] == runs[1]


@pytest.mark.slow
def test_reproduce_another_model(mnist_dir, tmp_path):
    out = str(tmp_path / "ann")
    code, stdout, err = run_cli(["reproduce", "--model", "ann-300-200-100", "--seeds", "2",
                                 "--epochs", "1", "--data-dir", mnist_dir, "--out", out])
    assert code == 0, err
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    assert [r["seed"] for r in report["runs"]] == [0, 1]
    summary = report["summaries"][0]
    assert summary["schedule"] == "1 epochs" and summary["reported"] is None
    assert summary["mean"] > 0.9  # one epoch of a 3-layer ReLU net on MNIST
    assert "| ann-300-200-100 | 1 epochs | 2 (0-1) |" in open(os.path.join(out, "report.md")).read()
