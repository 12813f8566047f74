"""The command line: one-line errors, the model directory, and train -> predict end to end."""
import json
import os
import re
import time

import pytest

from conftest import (PROJECT_IMAGE, ROOT, assert_one_line, run_cli, run_in_process,
                      small_datasets, write_mnist_like)
from tf1_mnist import checkpoint, cli, data
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train

LOG_LINE = re.compile(r"^Iteration (\d+) \t\| Loss = [0-9.e+-]+ \t\| Accuracy = [0-9.]+$")


def _one_error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def test_help_needs_no_tensorflow():
    code, out, _ = run_cli(["--help"])
    assert code == 0 and "train" in out and "predict" in out
    code, out, _ = run_cli(["train", "--help"])
    assert code == 0 and "default: 0.0001" in out and "default: 1000" in out
    probe = ("import sys\nfrom tf1_mnist import cli\n"
             "try:\n    cli.main(['predict', '--help'])\nexcept SystemExit:\n    pass\n"
             "print('tensorflow' in sys.modules)")
    code, out, _ = run_cli(["-c", probe])
    assert code == 0 and out.strip().endswith("False")


def test_predict_without_a_model(tmp_path):
    code, _, err = run_cli(["predict", PROJECT_IMAGE, "--model-dir", str(tmp_path / "none")])
    assert code == 1
    assert "no trained model in" in _one_error_line(err)
    assert "python -m tf1_mnist train" in err


def test_bad_arguments_are_usage_errors():
    code, _, err = run_cli(["train", "--batch-size", "0"])
    assert code == 2 and "must be a positive integer" in err and "Traceback" not in err
    code, _, err = run_cli(["train", "--dropout", "1.5"])
    assert code == 2 and "must be in (0, 1]" in err


def test_train_without_data_or_network(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(data, "MIRRORS", ("http://127.0.0.1:9/",))
    monkeypatch.setattr("tf1_mnist.input_data.DEFAULT_SOURCE_URL", "http://127.0.0.1:9/")
    code = cli.main(["train", "--data-dir", str(tmp_path / "MNIST_data"),
                     "--model-dir", str(tmp_path / "model")])
    err = capsys.readouterr().err
    assert code == 1
    line = _one_error_line(err)
    assert "could not download train-images-idx3-ubyte.gz" in line
    assert "t10k-labels-idx1-ubyte.gz" in line and "MNIST_data" in line
    assert not os.path.exists(str(tmp_path / "model"))  # nothing created for a failed run


def test_train_refuses_a_directory_that_is_not_a_model(tmp_path, capsys):
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("precious")
    code = cli.main(["train", "--model-dir", str(tmp_path / "thesis")])
    assert code == 1
    assert "holds no tf1-mnist model" in _one_error_line(capsys.readouterr().err)
    assert os.listdir(str(tmp_path / "thesis")) == ["chapter1.tex"]


def test_small_run_writes_a_self_describing_model_and_predicts(tmp_path, capsys):
    arrays = write_mnist_like(tmp_path / "data", n_train=300, n_test=50)
    from conftest import checksums_of
    from tf1_mnist import input_data
    from tf1_mnist.recipes import configure
    from tf1_mnist.train import Monitor, train

    mnist = input_data.read_data_sets(str(tmp_path / "data"), one_hot=True, validation_size=50,
                                      seed=0, checksums=checksums_of(arrays))
    lines = []
    model_dir = str(tmp_path / "model")
    metrics = train(mnist, model_dir,
                    configure(hparams={"n_iterations": 3}, seed=0),
                    Monitor(log=lines.append, log_every=1))
    assert [LOG_LINE.match(line).group(1) for line in lines[:3]] == ["0", "1", "2"]
    assert lines[-1].startswith("Tutorial reported 0.9206; this run ")
    with open(os.path.join(model_dir, checkpoint.DESCRIPTION)) as f:
        description = json.load(f)
    assert description["model"] == "do-mlp" and description["variant"] == "faithful"
    assert description["hparams"]["n_hidden1"] == 512
    assert description["hparams"]["n_iterations"] == 3
    assert description["metrics"]["test_accuracy"] == metrics["test_accuracy"]
    assert description["trained_with"]["tensorflow"]

    # predict: one line per image, a bad image reported and skipped, exit 1
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello")
    code = cli.main(["predict", PROJECT_IMAGE, str(not_image), "--model-dir", model_dir])
    out, err = capsys.readouterr()
    assert code == 1
    assert re.match(r"^Prediction for test image: \d \t\| Probability = [0-9.]+ \t\| .*test_img"
                    r"\.png$", out.strip())
    assert "notes.txt: not a readable image" in _one_error_line(err)


def test_interrupted_save_keeps_the_previous_model(tmp_path):
    from tf1_mnist.compat import tf
    from tf1_mnist import model

    model_dir = str(tmp_path / "model")
    with tf.Graph().as_default():
        model.build(dict(model.DEFAULT_HPARAMS), training_ops=False)
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with checkpoint.Lock(model_dir):
                checkpoint.save(sess, saver, model_dir, {"model": "do-mlp",
                                                         "hparams": model.DEFAULT_HPARAMS,
                                                         "run": 1})
            before = sorted(os.listdir(model_dir))

            class Interrupted(object):
                def save(self, sess, prefix, **options):
                    saver.save(sess, prefix, **options)
                    raise KeyboardInterrupt  # e.g. Ctrl-C after the data file
            with pytest.raises(KeyboardInterrupt):
                with checkpoint.Lock(model_dir):
                    checkpoint.save(sess, Interrupted(), model_dir, {
                        "model": "do-mlp", "hparams": model.DEFAULT_HPARAMS, "run": 2})
    assert sorted(os.listdir(model_dir)) == before
    assert checkpoint.load_description(model_dir)["run"] == 1


def test_damaged_checkpoint_is_one_line(tmp_path, trained_model, capsys):
    import shutil
    model_dir = str(tmp_path / "model")
    shutil.copytree(trained_model[0], model_dir)
    name = checkpoint.load_description(model_dir)["checkpoint"]
    data_file = [n for n in os.listdir(model_dir) if n.startswith(name + ".data")][0]
    with open(os.path.join(model_dir, data_file), "r+b") as f:
        f.truncate(100)
    code = cli.main(["predict", PROJECT_IMAGE, "--model-dir", model_dir])
    line = _one_error_line(capsys.readouterr().err)
    assert code == 1 and "checkpoint is damaged" in line and "train again" in line


def test_full_faithful_run_reproduces_the_tutorial(trained_model):
    """The tutorial's recipe on the real MNIST: about 92% on the test set."""
    model_dir, out = trained_model
    lines = out.splitlines()
    iterations = [int(LOG_LINE.match(line).group(1)) for line in lines if LOG_LINE.match(line)]
    assert iterations == list(range(0, 1000, 100))
    test_line = [line for line in lines if line.startswith("Accuracy on test set: ")]
    accuracy = float(test_line[0].split(": ")[1])
    assert 0.90 <= accuracy <= 0.93
    assert any(line.startswith("Validation accuracy: 0.9") for line in lines)
    assert "Tutorial reported 0.9206; this run {:.4f}".format(accuracy) in out


def test_predict_end_to_end_through_the_command_line(trained_model, tutorial_image):
    model_dir, _ = trained_model
    code, out, err = run_cli(["-m", "tf1_mnist.predict", tutorial_image, PROJECT_IMAGE,
                              "--model-dir", model_dir])
    assert code == 0, err
    digits = [int(line.split("\t")[0].split(": ")[1]) for line in out.strip().splitlines()]
    assert digits == [2, 7]  # the tutorial's 2, and the project's own 7


def test_raw_mode_shows_the_tutorial_input_mismatch(trained_model):
    """Fed as the tutorial did (0-255, not centred), the seed-0 model reads the project's
    7 as a 3, as the README says."""
    model_dir, _ = trained_model
    code, out, _ = run_cli(["predict", "--raw", PROJECT_IMAGE, "--model-dir", model_dir])
    assert code == 0
    assert out.startswith("Prediction for test image: 3 "), out


def test_a_closed_pipe_is_no_traceback(trained_model, mnist_dir, tmp_path):
    """`tf1-mnist evaluate | head -1`: the reader leaves early. Unbuffered, with the
    picture's drawing between the report and the last line, so the pipe is surely
    closed by the time that line is written."""
    import subprocess
    import sys
    model_dir, _ = trained_model
    command = "{} -u -m tf1_mnist evaluate --model-dir {} --data-dir {} --confusion-png {} " \
              "| head -1".format(sys.executable, model_dir, mnist_dir, tmp_path / "c.png")
    process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True,
                               env=dict(os.environ, PYTHONPATH=ROOT))
    out, err = process.communicate(timeout=300)
    assert out.startswith("Accuracy on test set: ")
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_predict_top_and_show(trained_model, tmp_path, capsys):
    from PIL import Image
    picture = str(tmp_path / "shown.png")
    code = cli.main(["predict", PROJECT_IMAGE, "--top", "3", "--show", picture,
                     "--model-dir", trained_model[0]])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out[0].startswith("Prediction for test image: 7 \t| Probability = ")
    top = re.match(r"^  top 3: (\d) \(([0-9.]+)\), (\d) \(([0-9.]+)\), (\d) \(([0-9.]+)\)$",
                   out[1])
    assert top and top.group(1) == "7" and float(top.group(2)) >= float(top.group(4)) >= \
        float(top.group(6))
    assert out[2] == "Picture saved to " + picture
    with Image.open(picture) as image:
        assert image.size[0] > 500 and image.size[1] > 200
    assert cli.main(["predict", PROJECT_IMAGE, "--top", "11", "--model-dir",
                     trained_model[0]]) == 1
    assert "only 10 digits" in capsys.readouterr().err


def test_tensorflow_2s_graph_errors_are_named_by_their_cause():
    """TF 2's OpError puts pages of stack before the cause (this one is what a SavedModel
    export said on a full disk here); the one line names the cause."""
    from tf1_mnist.errors import first_line

    message = ("Graph execution error:\n\nDetected at node 'save_1/SaveV2' defined at (most "
               "recent call last):\n    File \"<string>\", line 5, in <module>\nNode: "
               "'save_1/SaveV2'\n/mnt/tiny/export/variables_temp/part-00000; No space left on "
               "device\n\t [[{{node save_1/SaveV2}}]]\nHint: If you want to see ...")
    assert first_line(RuntimeError(message)) == \
        "/mnt/tiny/export/variables_temp/part-00000; No space left on device"
    assert first_line(OSError(28, "No space left on device")) == "No space left on device"
    assert first_line(ValueError("")) == "ValueError"


def test_only_the_entry_points_import_the_command_line():
    """No import circle: cli imports the modules that do the work, lazily; none of them
    imports cli back (python -m tf1_mnist.predict is a package's __main__ for that)."""
    import ast
    import glob

    package = os.path.dirname(cli.__file__)
    importers = []
    for path in glob.glob(os.path.join(package, "**", "*.py"), recursive=True):
        with open(path) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module == "tf1_mnist":
                names = ["tf1_mnist." + a.name for a in node.names]
            if "tf1_mnist.cli" in names:
                importers.append(os.path.relpath(path, package))
    assert sorted(importers) == ["__main__.py", os.path.join("predict", "__main__.py")]


# --- bad flags ------------------------------------------------------------------

BAD_FLAGS = [
    ["train", "--seed", "-1"], ["train", "--seed", "4294967296"], ["train", "--seed", "abc"],
    ["train", "--seed", "1.5"], ["train", "--epochs", "inf"], ["train", "--epochs", "nan"],
    ["train", "--epochs", "-1"], ["train", "--epochs", "0"], ["train", "--learning-rate", "inf"],
    ["train", "--learning-rate", "nan"], ["train", "--learning-rate", "0"],
    ["train", "--learning-rate", "-0.1"], ["train", "--batch-size", "0"],
    ["train", "--batch-size", "1e6"], ["train", "--batch-size", "-5"],
    ["train", "--dropout", "0"], ["train", "--dropout", "1.5"], ["train", "--dropout", "nan"],
    ["train", "--n-iterations", "ten"], ["train", "--n-iterations", "0"],
    ["train", "--n-iterations", "5", "--epochs", "1"], ["train", "--model", "bogus"],
    ["train", "--variant", "bogus"], ["train", "--no-such-flag"],
    ["reproduce", "--long-epochs", "nan"], ["reproduce", "--long-epochs", "inf"],
    ["reproduce", "--long-epochs", "-1"], ["reproduce", "--seeds", "0"],
    ["reproduce", "--seeds", "many"], ["reproduce", "--epochs", "0"],
    ["predict"], ["no-such-command"], ["evaluate", "extra"],
]


def test_fuzz_bad_flags(capsys):
    for argv in BAD_FLAGS:
        code, _, err = run_in_process(argv, capsys)
        assert_one_line(code, err, 2)
    code, _, err = run_in_process(["train", "--n-iterations", "ten"], capsys)
    assert "must be a positive integer, got 'ten'" in err


def test_fuzz_bad_paths(tmp_path, capsys):
    a_file = str(tmp_path / "a_file")
    with open(a_file, "w") as f:
        f.write("x")
    cases = [
        ["train", "--log-dir", a_file], ["train", "--model-dir", a_file],
        ["train", "--log-dir", os.path.join(a_file, "sub")],
        ["reproduce", "--out", a_file], ["reproduce", "--out", os.path.join(a_file, "sub")],
        ["reproduce", "--variants", "bogus"], ["evaluate", "--model-dir", a_file],
        ["reproduce", "--out", str(tmp_path)],  # holds a_file: never replaced by a report
        ["predict", PROJECT_IMAGE, "--model-dir", str(tmp_path / "none")],
    ]
    for argv in cases:
        started = time.time()
        code, _, err = run_in_process(argv + ["--data-dir", str(tmp_path / "no-data")]
                            if argv[0] in ("train", "reproduce") else argv, capsys)
        assert_one_line(code, err, 1)
        assert time.time() - started < 10  # refused before any training
    assert not os.path.exists(str(tmp_path / "no-data"))


def test_batch_larger_than_the_training_set_is_refused(tmp_path, capsys):
    with pytest.raises(Exception) as info:
        train(small_datasets(tmp_path), str(tmp_path / "m"),
              configure(hparams={"batch_size": 1000000}), Monitor(log=lambda line: None))
    assert "larger than the 250 training images" in str(info.value)
    assert not os.path.exists(str(tmp_path / "m"))


def test_mlp_only_flags_are_refused_for_other_models(capsys, tmp_path):
    model_dir = str(tmp_path / "model")
    for flags in (["--n-iterations", "5"], ["--dropout", "0.5"], ["--variant", "intended"],
                  ["--epochs", "1.5"]):
        assert cli.main(["train", "--model", "lenet", "--model-dir", model_dir] + flags) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: --") and len(err.splitlines()) == 1
        assert "applies to do-mlp only" in err or "whole number" in err
    assert not os.path.exists(model_dir)  # refused before anything was created


def test_check_reports_the_environment():
    from tf1_mnist.compat import tf

    code, out, _ = run_cli(["check"])
    assert code == 0
    for label in ("TensorFlow:", "Python:", "built with CUDA:", "GPUs visible:",
                  "CPU threads:"):
        assert label in out
    assert tf.__version__ in out
