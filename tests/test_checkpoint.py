"""The model directory: a bad model.json is one line, two trainings never write one
directory at once, stale files are cleaned, writes are durable and a full disk keeps the
previous model."""
import json
import os
import shutil

import pytest

from conftest import (PROJECT_IMAGE, assert_one_line, run_in_process, small_datasets,
                      start_interruptible, train_command, wait_for_lock)
from tf1_mnist import checkpoint, files
from tf1_mnist.compat import tf
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train

# --- bad model directories ----------------------------------------------------

def _model_json_mutations(good):
    hp = good["hparams"]
    cases = [("a JSON string", "just text"), ("a JSON list", [1, 2]), ("null", None),
             ("a number", 7)]
    for key in ("model", "hparams", "checkpoint"):
        cases.append(("no " + key, {k: v for k, v in good.items() if k != key}))
    cases += [("unknown model", dict(good, model="resnet")),
              ("bogus variant", dict(good, variant="bogus")),
              ("checkpoint 123", dict(good, checkpoint=123)),
              ("checkpoint null", dict(good, checkpoint=None)),
              ("checkpoint path", dict(good, checkpoint="../../etc/passwd")),
              ("checkpoint missing", dict(good, checkpoint="ckpt-gone")),
              ("hparams a list", dict(good, hparams=[1, 2])),
              ("n_input 100", dict(good, hparams=dict(hp, n_input=100)))]
    for key in ("n_hidden1", "n_hidden2", "n_hidden3", "learning_rate", "dropout",
                "batch_size"):
        cases.append(("no hparams " + key,
                      dict(good, hparams={k: v for k, v in hp.items() if k != key})))
        for value in (None, -1, 0, "512", True, 1e400 if key == "learning_rate" else [3]):
            cases.append(("hparams {}={!r}".format(key, value),
                          dict(good, hparams=dict(hp, **{key: value}))))
    cases.append(("n_hidden1 a float", dict(good, hparams=dict(hp, n_hidden1=512.5))))
    cases.append(("dropout 2", dict(good, hparams=dict(hp, dropout=2))))
    return cases


def test_fuzz_bad_model_json(tmp_path, small_model, capsys):
    with open(os.path.join(small_model, checkpoint.DESCRIPTION)) as f:
        good = json.load(f)
    cases = _model_json_mutations(good)
    assert len(cases) >= 40
    raw = [("invalid JSON", "{"), ("empty file", ""), ("binary", "\x00\xff")]
    for number, (why, content) in enumerate(
            [(w, json.dumps(c)) for w, c in cases] + raw):
        model_dir = str(tmp_path / str(number))
        shutil.copytree(small_model, model_dir)
        with open(os.path.join(model_dir, checkpoint.DESCRIPTION), "w") as f:
            f.write(content)
        for argv in (["predict", PROJECT_IMAGE], ["evaluate", "--data-dir", str(tmp_path)]):
            code, _, err = run_in_process(argv + ["--model-dir", model_dir], capsys)
            assert_one_line(code, err, 1)
            assert "model.json" in err, (why, err)


def test_model_json_that_is_a_directory_or_unreadable(tmp_path, small_model, capsys):
    model_dir = str(tmp_path / "m")
    shutil.copytree(small_model, model_dir)
    os.remove(os.path.join(model_dir, "model.json"))
    os.mkdir(os.path.join(model_dir, "model.json"))
    code, _, err = run_in_process(["predict", PROJECT_IMAGE, "--model-dir", model_dir], capsys)
    assert_one_line(code, err, 1)


# --- the model directory: lock, cleanup, durability -------------------------

def test_cleanup_spares_directories_and_removes_stale_files(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "ckpt-precious").mkdir()
    (model_dir / "ckpt-precious" / "data").write_text("keep me")
    (model_dir / ".model.json.x7f3.part").write_text("left by kill -9")
    (model_dir / "ckpt-20200101-000000-deadbeef.index").write_text("orphan of a dead run")
    (model_dir / "model.json").write_text("{}")  # so the directory counts as a model's
    train(small_datasets(tmp_path), str(model_dir),
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    names = sorted(os.listdir(str(model_dir)))
    assert "ckpt-precious" in names and (model_dir / "ckpt-precious" / "data").exists()
    assert not any(n.endswith(".part") for n in names)
    assert "ckpt-20200101-000000-deadbeef.index" not in names
    description = checkpoint.load_description(str(model_dir))
    assert os.path.exists(str(model_dir / (description["checkpoint"] + ".index")))


def test_written_files_are_readable_by_others(tmp_path):
    model_dir = str(tmp_path / "model")
    train(small_datasets(tmp_path), model_dir,
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    expected = files.file_mode()
    for name in os.listdir(model_dir):
        if name != checkpoint.LOCK:
            assert os.stat(os.path.join(model_dir, name)).st_mode & 0o777 == expected, name


def test_disk_full_during_save_is_one_line_and_keeps_the_model(tmp_path, monkeypatch, capsys):
    model_dir = str(tmp_path / "model")
    train(small_datasets(tmp_path), model_dir,
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    before = sorted(os.listdir(model_dir))
    original = tf.train.Saver.save

    def full(self, sess, path, **options):
        original(self, sess, path, **options)
        raise tf.errors.ResourceExhaustedError(None, None, "No space left on device\nmore")
    monkeypatch.setattr(tf.train.Saver, "save", full)
    with pytest.raises(Exception) as info:
        train(small_datasets(tmp_path, seed=1), model_dir,
              configure(hparams={"n_iterations": 2}, seed=1), Monitor(log=lambda line: None))
    assert "cannot save the checkpoint (No space left on device)" in str(info.value)
    assert "\n" not in str(info.value)
    assert sorted(os.listdir(model_dir)) == before
    checkpoint.load_description(model_dir)


@pytest.mark.slow
def test_two_trainings_into_one_directory(tmp_path, mnist_dir):
    """The second stops at once naming the first; with --wait it waits; the model that
    remains is whole either way."""
    model_dir = str(tmp_path / "model")
    # Long enough to still hold the lock when the second has started (about 5 s to import
    # TensorFlow): on an idle machine 1000 iterations ended first, and the second found
    # the directory free (CI, once).
    first = start_interruptible(train_command(model_dir, mnist_dir, "--n-iterations", "5000"))
    wait_for_lock(model_dir, first)
    second = start_interruptible(train_command(model_dir, mnist_dir, "--n-iterations", "5"))
    out, err = second.communicate(timeout=300)
    assert second.returncode == 1 and "another training is writing this model directory" \
        in err and "pid {}".format(first.pid) in err and "Traceback" not in err
    waiting = start_interruptible(train_command(model_dir, mnist_dir, "--n-iterations", "5", "--wait"))
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = waiting.communicate(timeout=300)
    assert first.returncode == 0 and waiting.returncode == 0, err1 + err2
    assert "Model saved" in out1 and "Model saved" in out2
    description = checkpoint.load_description(model_dir)
    assert description["hparams"]["n_iterations"] == 5  # the waiting run committed last
    checkpoints = {n.split(".")[0] for n in os.listdir(model_dir) if n.startswith("ckpt-")}
    assert checkpoints == {description["checkpoint"]}


