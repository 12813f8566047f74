"""`tf1-mnist export`: SavedModels for TF Serving that load on either stack."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, write_mnist_like
from tf1_mnist import cli, data, export, recipes
from tf1_mnist.checkpoint import open_model
from tf1_mnist.compat import TF_VERSION
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train

PROBE = os.path.join(ROOT, "tests", "saved_model_probe.py")
OTHER = os.environ.get("TF1_MNIST_OTHER_PYTHON")  # CI sets it to the other stack's python


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Made-up MNIST-like arrays, and one tiny trained model per network."""
    root = tmp_path_factory.mktemp("export")
    write_mnist_like(root / "data", n_train=5300, n_test=20)
    arrays = data.load_mnist(str(root / "data"), download=False, checksums=None)
    models = {}
    for name in recipes.NAMES:
        hp = {"n_iterations": 2, "batch_size": 60} if name == recipes.MLP else \
            {"epochs": 1, "batch_size": 500}
        models[name] = str(root / name)
        train(arrays, models[name], configure(name, hparams=hp, seed=0),
              Monitor(log=lambda line: None))
    return arrays, models


def _images(arrays, n=12):
    return data.scale(arrays["test_images"][:n].reshape(n, 784))


def _probe(python, saved_model, images, tmp_path, tag):
    np.save(str(tmp_path / "images.npy"), images)
    out = str(tmp_path / "{}.npz".format(tag))
    process = subprocess.Popen([python, PROBE, saved_model, str(tmp_path / "images.npy"), out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True)
    stdout, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    result = np.load(out)
    return stdout.strip(), result["classes"], result["probabilities"]


def _expected(model_dir, images):
    from tf1_mnist.restore import Predictor
    with Predictor(open_model(model_dir)) as predictor:
        return predictor.probabilities(list(images))


@pytest.mark.parametrize("name", recipes.NAMES)
@pytest.mark.slow
def test_every_network_exports_and_loads_here(name, small, tmp_path, capsys):
    arrays, models = small
    out = str(tmp_path / "serving")
    assert cli.main(["export", "--model-dir", models[name], "--out", out]) == 0
    assert "SavedModel written to {}/1/".format(out) in capsys.readouterr().out
    assert sorted(os.listdir(out)) == ["1"]
    images = _images(arrays)
    said, classes, probabilities = _probe(sys.executable, os.path.join(out, "1"), images,
                                          tmp_path, "here")
    assert said == "loaded with TensorFlow " + TF_VERSION
    expected = _expected(models[name], images)
    assert classes.dtype == np.int64 and classes.shape == (12,)
    assert probabilities.dtype == np.float32 and probabilities.shape == (12, 10)
    np.testing.assert_allclose(probabilities, expected, atol=1e-6)
    np.testing.assert_array_equal(classes, expected.argmax(axis=1))


@pytest.mark.slow
def test_versions_count_up_and_the_cli_lists_the_signature(small, tmp_path):
    arrays, models = small
    out = str(tmp_path / "serving")
    for _ in range(2):
        export.export(open_model(models[recipes.MLP]), out)
    os.mkdir(os.path.join(out, "not-a-version"))
    assert export.next_version(out) == 3 and sorted(os.listdir(out))[:2] == ["1", "2"]
    command = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
    shown = subprocess.check_output([command, "show", "--dir", os.path.join(out, "2"),
                                     "--tag_set", "serve", "--signature_def",
                                     "serving_default"], stderr=subprocess.STDOUT,
                                    universal_newlines=True)
    for text in ("inputs['images']", "DT_FLOAT", "(-1, 784)", "outputs['classes']",
                 "DT_INT64", "outputs['probabilities']", "(-1, 10)"):
        assert text in shown, shown


def test_a_failed_export_leaves_no_half_version(small, tmp_path, monkeypatch, capsys):
    from tf1_mnist.compat import tf
    arrays, models = small
    out = str(tmp_path / "serving")
    export.export(open_model(models[recipes.MLP]), out)

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tf.saved_model.builder.SavedModelBuilder, "save", full)
    code = cli.main(["export", "--model-dir", models[recipes.MLP], "--out", out])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and len(err.splitlines()) == 1
    assert os.listdir(out) == ["1"]  # no "2", no staging directory


def test_export_mistakes_are_one_line(tmp_path, capsys):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for argv in (["export", "--model-dir", str(tmp_path / "none")],
                 ["export", "--model-dir", str(tmp_path), "--out", str(a_file)]):
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and len(err.splitlines()) == 1


@pytest.mark.skipif(not OTHER, reason="TF1_MNIST_OTHER_PYTHON (the other stack's python) is "
                    "not set; CI sets it")
@pytest.mark.slow
def test_savedmodels_cross_between_the_stacks(small, tmp_path):
    """Exported here, loaded there; exported there, loaded here; same predictions."""
    arrays, models = small
    images = _images(arrays)
    expected = _expected(models[recipes.MLP], images)
    here = export.export(open_model(models[recipes.MLP]), str(tmp_path / "here"))
    said, classes, probabilities = _probe(OTHER, here, images, tmp_path, "there")
    assert "loaded with TensorFlow" in said and TF_VERSION not in said
    np.testing.assert_array_equal(classes, expected.argmax(axis=1))
    np.testing.assert_allclose(probabilities, expected, atol=1e-5)
    there = str(tmp_path / "there")
    subprocess.check_call([OTHER, "-m", "tf1_mnist", "export", "--model-dir",
                           models[recipes.MLP], "--out", there],
                          env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    said, classes, probabilities = _probe(sys.executable, os.path.join(there, "1"), images,
                                          tmp_path, "back")
    assert said == "loaded with TensorFlow " + TF_VERSION
    np.testing.assert_array_equal(classes, expected.argmax(axis=1))
    np.testing.assert_allclose(probabilities, expected, atol=1e-5)
    shutil.rmtree(there)


# --- TF Lite ---------------------------------------------------------------------------

def _tflite_details(path):
    interpreter = export.tflite_interpreter()(model_path=path)
    interpreter.allocate_tensors()
    describe = lambda d: (d["name"].split(":")[0], list(d["shape"]), np.dtype(d["dtype"]).name)  # noqa
    return ([describe(d) for d in interpreter.get_input_details()],
            sorted(describe(d) for d in interpreter.get_output_details()))


@pytest.mark.skipif(sys.version_info < (3, 8), reason="LiteRT needs Python 3.8+; Python 3.6 "
                    "runs TF Lite with TensorFlow 1.15's own interpreter")
def test_tflite_files_run_on_litert_the_maintained_runtime():
    from ai_edge_litert.interpreter import Interpreter

    assert export.tflite_interpreter() is Interpreter


@pytest.fixture(scope="module")
def lenet_model(mnist_dir, tmp_path_factory):
    """LeNet after one quick epoch (batch 128) on the real MNIST."""
    model_dir = str(tmp_path_factory.mktemp("lenet") / "model")
    train(data.load_mnist(mnist_dir, download=False), model_dir,
          configure("lenet", hparams={"epochs": 1, "batch_size": 128}, seed=0),
          Monitor(log=lambda line: None))
    return model_dir


@pytest.mark.slow
@pytest.mark.parametrize("network", ["do-mlp", "lenet"])
def test_tflite_float_and_int8_agree_with_predict(network, trained_model, lenet_model,
                                                   mnist_dir, tmp_path, capsys):
    """Float: the restored model's class for at least 99.8% of the 10,000 test digits;
    int8: accuracy within one percentage point of float; names, shapes and dtypes as
    documented; written whole."""
    model_dir = trained_model[0] if network == "do-mlp" else lenet_model
    arrays = data.load_mnist(mnist_dir, download=False)
    out = str(tmp_path / "mnist.tflite")
    assert cli.main(["export", "--format", "tflite", "--model-dir", model_dir, "--out", out,
                     "--data-dir", mnist_dir]) == 0
    line = capsys.readouterr().out
    assert line.startswith("TF Lite model written to {} (float32, ".format(out)), line
    flt = export.export_file(open_model(model_dir), out, arrays, "tflite")
    assert flt["agreement"] >= 0.998, flt
    assert "the same class as the restored model for {:.2%}".format(flt["agreement"]) in line
    assert _tflite_details(out) == ([("X", [1, 784], "float32")],
                                    [("prediction", [1], "int64"),
                                     ("probabilities", [1, 10], "float32")])
    out8 = str(tmp_path / "mnist-int8.tflite")
    q = export.export_file(open_model(model_dir), out8, arrays, "tflite-int8")
    assert abs(q["accuracy"] - flt["accuracy"]) <= 0.01, (q, flt)
    assert q["bytes"] < flt["bytes"] / 3  # int8 weights: about a quarter of float32
    assert _tflite_details(out8) == ([("X", [1, 784], "int8")],
                                     [("probabilities", [1, 10], "int8")])
    assert sorted(os.listdir(str(tmp_path))) == ["mnist-int8.tflite", "mnist.tflite"]


@pytest.mark.parametrize("name", recipes.NAMES)
@pytest.mark.slow
def test_every_network_converts_to_tflite_and_onnx(name, small):
    """Every --model: TF Lite (float and int8) and ONNX convert and run; float formats
    give the restored model's class for every test digit of the made-up set."""
    arrays, models = small
    for fmt in ("tflite", "tflite-int8", "onnx"):
        _, measured = export.converted(open_model(models[name]), arrays, fmt)
        assert measured["bytes"] > 0
        if fmt != "tflite-int8":
            assert measured["agreement"] == 1.0, (fmt, measured)


# --- ONNX ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("network", ["do-mlp", "lenet"])
def test_onnx_agrees_with_predict(network, trained_model, lenet_model, mnist_dir, tmp_path,
                                  capsys):
    """ONNX Runtime's class is the restored model's for at least 99.8% of the 10,000 test
    digits, probabilities within float32 rounding; names, shapes and dtypes as
    documented; written whole."""
    import onnxruntime

    from tf1_mnist.restore import Predictor

    model_dir = trained_model[0] if network == "do-mlp" else lenet_model
    out = str(tmp_path / "mnist.onnx")
    assert cli.main(["export", "--format", "onnx", "--model-dir", model_dir, "--out", out,
                     "--data-dir", mnist_dir]) == 0
    line = capsys.readouterr().out
    assert line.startswith("ONNX model written to {} (float32, ".format(out)), line
    session = onnxruntime.InferenceSession(out, providers=["CPUExecutionProvider"])
    assert [(i.name, i.shape, i.type) for i in session.get_inputs()] == [
        ("images", ["N", 784], "tensor(float)")]
    assert sorted((o.name, o.shape, o.type) for o in session.get_outputs()) == [
        ("classes", ["N"], "tensor(int64)"), ("probabilities", ["N", 10], "tensor(float)")]
    arrays = data.load_mnist(mnist_dir, download=False)
    images = data.scale(arrays["test_images"].reshape(-1, 784)).astype(np.float32)
    probabilities, classes = session.run(["probabilities", "classes"], {"images": images})
    with Predictor(open_model(model_dir)) as predictor:
        expected = predictor.probabilities(images)
    agreement = np.mean(classes == expected.argmax(axis=1))
    assert agreement >= 0.998
    assert "the same class as the restored model for {:.2%}".format(agreement) in line, line
    np.testing.assert_allclose(probabilities, expected, atol=1e-4)
    assert os.listdir(str(tmp_path)) == ["mnist.onnx"]


def test_tflite_mistakes_are_one_line(tmp_path, capsys):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for argv in (["export", "--format", "tflite", "--model-dir", str(tmp_path / "none")],
                 ["export", "--format", "tflite-int8", "--model-dir", str(tmp_path / "none")],
                 ["export", "--format", "onnx", "--model-dir", str(tmp_path / "none")],
                 ["export", "--format", "keras"]):
        code = cli.main(argv) if argv[2] != "keras" else None
        if code is None:  # argparse refuses an unknown format itself
            with pytest.raises(SystemExit) as exit_info:
                cli.main(argv)
            code = exit_info.value.code
        assert code in (1, 2)
        err = capsys.readouterr().err
        assert err.strip().splitlines()[-1].startswith(("error: ", "tf1-mnist export: error:"))


def test_files_convert_without_mnist_and_say_the_check_was_skipped(small, tmp_path, capsys,
                                                                    monkeypatch):
    """Offline, with no MNIST at hand: tflite and onnx are written (converting needs no
    data) with one line saying their accuracy was not checked; int8, which is calibrated
    on MNIST, names --data-dir; nothing is downloaded."""
    _, models = small
    monkeypatch.setattr(data, "MIRRORS", ("http://127.0.0.1:9/",))
    empty = str(tmp_path / "no-mnist")
    for fmt in ("tflite", "onnx"):
        out = str(tmp_path / ("m." + fmt))
        assert cli.main(["export", "--format", fmt, "--model-dir", models[recipes.MLP],
                         "--data-dir", empty, "--out", out]) == 0
        printed = capsys.readouterr().out
        assert printed.startswith("{} model written to {} (float32, ".format(
            "TF Lite" if fmt == "tflite" else "ONNX", out))
        assert printed.endswith("; its accuracy was not checked: no MNIST in {}/ (point "
                                "--data-dir at a copy to measure it)\n".format(empty))
        assert os.path.getsize(out) > 100000
    out = str(tmp_path / "m-int8.tflite")
    assert cli.main(["export", "--format", "tflite-int8", "--model-dir", models[recipes.MLP],
                     "--data-dir", empty, "--out", out]) == 1
    assert capsys.readouterr().err == (
        "error: tflite-int8 is calibrated on 300 MNIST training images, and no MNIST was "
        "found; point --data-dir (or $TF1_MNIST_DATA_DIR) at a copy, or run `tf1-mnist "
        "download`\n")
    assert not os.path.exists(out) and not os.path.exists(empty)
