"""MNIST test digits rendered the ways people's images arrive (bench/roundtrip.py) and
read back by predict's preprocessing lose at most 1 percentage point of accuracy."""
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "bench"))
import roundtrip  # noqa: E402

from tf1_mnist import data  # noqa: E402
from tf1_mnist.recipes import configure  # noqa: E402
from tf1_mnist.train import Monitor, train  # noqa: E402

DIGITS = 1000


@pytest.fixture(scope="module")
def lenet_model(mnist_dir, tmp_path_factory):
    model_dir = str(tmp_path_factory.mktemp("lenet") / "model")
    train(data.load_mnist(mnist_dir, download=False), model_dir,
          configure("lenet", hparams={"epochs": 1}, seed=0), Monitor(log=lambda line: None))
    return model_dir


def test_renderings_look_like_what_they_claim(tmp_path, mnist_dir):
    from PIL import Image
    digit = data.load_mnist(mnist_dir, download=False)["test_images"][0]
    for rendering in roundtrip.RENDERINGS:
        path = roundtrip.render_all([digit], rendering, str(tmp_path))[0]
        image = Image.open(path)
        assert min(image.size) >= 84, rendering  # enlarged at least 3x
        if rendering == "transparent":
            assert image.mode == "RGBA" and image.getextrema()[3][0] == 0
        if rendering == "photo":
            assert path.endswith(".jpg")


@pytest.mark.slow
def test_round_trip_costs_at_most_one_point(trained_model, lenet_model, mnist_dir):
    arrays = data.load_mnist(mnist_dir, download=False)
    results = roundtrip.accuracies({"do-mlp": trained_model[0], "lenet": lenet_model},
                                   arrays, DIGITS, log=lambda line: None)
    print(roundtrip.table(results, DIGITS))
    for model, row in results.items():
        for rendering in roundtrip.RENDERINGS:
            assert row[rendering] >= row["original"] - 0.01, (model, rendering, row)
