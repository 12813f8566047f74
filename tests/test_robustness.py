"""Nothing crashes, nothing is lost: a fuzz-style sweep of bad inputs, and the defects a
bad-input campaign found, each as a test (model directory lock, durable writes,
Ctrl-C, disk full, stale files)."""
import gzip
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from conftest import PROJECT_IMAGE, ROOT, checksums_of, idx_images, idx_labels, \
    write_mnist_like
from tf1_mnist import checkpoint, cli, data, files, images, input_data
from tf1_mnist.compat import tf
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train

UNREACHABLE = ("http://127.0.0.1:9/",)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    """A model trained for 3 iterations on small made-up IDX files."""
    root = tmp_path_factory.mktemp("small")
    arrays = write_mnist_like(root / "data", n_train=300, n_test=50)
    mnist = input_data.read_data_sets(str(root / "data"), one_hot=True, validation_size=50,
                                      seed=0, checksums=checksums_of(arrays))
    train(mnist, str(root / "model"),
          configure(hparams={"n_iterations": 3}, seed=0), Monitor(log=lambda line: None))
    return str(root / "model")


def _small_datasets(tmp_path, seed=0):
    arrays = write_mnist_like(tmp_path / "data", n_train=300, n_test=50)
    return input_data.read_data_sets(str(tmp_path / "data"), one_hot=True, validation_size=50,
                                     seed=seed, checksums=checksums_of(arrays))


def _run(argv, capsys):
    """cli.main in-process; (exit code, stdout, stderr). argparse's exit is a code too."""
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line(code, err, expected_code):
    assert "Traceback" not in err, err
    assert code == expected_code, (code, err)
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if "error: " in line]
    assert len(errors) == 1, err
    if expected_code == 1:
        assert lines == errors and lines[0].startswith("error: ")  # exactly one line
    else:
        assert lines[-1] == errors[0]  # argparse: usage, then the one error line


# --- bad images ---------------------------------------------------------------

def _png_header(width, height):
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                               0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _bad_images(directory):
    """(name, path, why) for images that must each give one error line."""
    d = str(directory)
    made = []

    def write(name, payload):
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(payload)
        made.append(path)

    rng = np.random.RandomState(0)
    with open(PROJECT_IMAGE, "rb") as f:
        png = f.read()
    write("notes.txt", b"hello")
    write("empty.png", b"")
    for i in range(8):
        write("random{}.png".format(i), rng.bytes(int(rng.randint(1, 2000))))
    for cut in (8, 20, 33, 60, len(png) // 2, len(png) - 30):  # -12 would drop only IEND
        write("truncated{}.png".format(cut), png[:cut])
    buffer_path = os.path.join(d, "photo.jpg")
    Image.fromarray(rng.randint(0, 255, (64, 64, 3)).astype(np.uint8)).save(buffer_path)
    with open(buffer_path, "rb") as f:
        jpeg = f.read()
    os.remove(buffer_path)
    for cut in (2, 10, 100):
        write("truncated{}.jpg".format(cut), jpeg[:cut])
    write("huge.png", _png_header(12000, 12000))  # 144 megapixels, header only
    write("wide.png", _png_header(1000000, 200))
    for name, value in (("white.png", 255), ("black.png", 0), ("grey.png", 128)):
        path = os.path.join(d, name)
        Image.fromarray(np.full((40, 40), value, np.uint8)).save(path)
        made.append(path)
    path = os.path.join(d, "transparent.png")
    Image.fromarray(np.zeros((40, 40, 4), np.uint8), "RGBA").save(path)
    made.append(path)
    for name, value in (("nan.tif", np.nan), ("inf.tif", np.inf), ("neginf.tif", -np.inf)):
        pixels = np.zeros((28, 28), np.float32)
        pixels[10:18, 12:16] = value
        path = os.path.join(d, name)
        Image.fromarray(pixels, "F").save(path)
        made.append(path)
    os.mkdir(os.path.join(d, "a_directory.png"))
    made.append(os.path.join(d, "a_directory.png"))
    fifo = os.path.join(d, "fifo.png")
    os.mkfifo(fifo)
    made.append(fifo)
    made.append("/dev/null")
    made.append(os.path.join(d, "missing.png"))
    made.append(os.path.join(d, "new\nline.png"))
    return made


def test_fuzz_bad_images(tmp_path, small_model, capsys):
    paths = _bad_images(tmp_path)
    assert len(paths) >= 30
    for path in paths:
        code, out, err = _run(["predict", path, "--model-dir", small_model], capsys)
        _assert_one_line(code, err, 1)
        assert out == ""
    # --raw reads them as the tutorial did: the same one-line refusals
    for path in paths:
        code, _, err = _run(["predict", "--raw", path, "--model-dir", small_model], capsys)
        _assert_one_line(code, err, 1)


def test_a_bad_image_in_a_batch_spares_the_good_ones(tmp_path, small_model, capsys):
    tiff = str(tmp_path / "digit.tif")
    Image.open(PROJECT_IMAGE).save(tiff)
    code, out, err = _run(["predict", PROJECT_IMAGE, str(tmp_path / "missing.png"), tiff,
                           "--model-dir", small_model], capsys)
    assert code == 1 and len(out.splitlines()) == 2 and len(err.splitlines()) == 1


def _modes(tmp_path):
    """The project's 7 saved in every mode Pillow writes, plus 16-bit and LAB."""
    base = Image.open(PROJECT_IMAGE).convert("L")
    made = {}
    for mode, ext in (("1", "png"), ("L", "png"), ("P", "png"), ("RGB", "png"),
                      ("RGBA", "png"), ("LA", "png"), ("CMYK", "jpg"), ("RGB", "tif"),
                      ("L", "bmp"), ("L", "gif"), ("RGB", "webp"), ("F", "tif"),
                      ("I", "png"), ("LAB", "tif"), ("YCbCr", "jpg"), ("HSV", "tif")):
        path = str(tmp_path / "seven-{}.{}".format(mode, ext))
        try:
            base.convert("RGB").convert(mode).save(path) if mode in ("LAB", "HSV", "YCbCr") \
                else base.convert(mode).save(path)
        except (OSError, ValueError, KeyError):
            continue  # this Pillow cannot write that combination
        made[mode + "." + ext] = path
    sixteen = np.asarray(base, np.uint16)  # all values <= 255 in a 16-bit PNG
    path = str(tmp_path / "seven-16bit-low.png")
    Image.fromarray(sixteen.astype(np.uint16)).save(path)
    made["16-bit <= 255"] = path
    path = str(tmp_path / "seven-16bit.png")
    Image.fromarray((sixteen.astype(np.uint32) * 257).astype(np.uint16)).save(path)
    made["16-bit"] = path
    return made


def test_every_mode_is_read_the_same(tmp_path):
    """The same picture in any mode gives (nearly) the same network input, on either
    stack: no mode crashes, none is silently read as blank."""
    reference = images.load_input(PROJECT_IMAGE)
    made = _modes(tmp_path)
    assert len(made) >= 12
    for label, path in made.items():
        difference = np.abs(images.load_input(path) - reference)
        if label.startswith("1."):  # bilevel: the anti-aliased edges become black or white
            assert difference.mean() < 0.1, label
        else:  # lossy formats (JPEG, WebP) and colour round trips move edges a little
            assert difference.max() < 0.3 and difference.mean() < 0.02, label
    low = images.load_input(made["16-bit <= 255"])
    np.testing.assert_allclose(low, reference, atol=1e-6)
    np.testing.assert_allclose(images.load_input(made["16-bit"]), reference, atol=1e-6)


def test_huge_image_is_refused_from_its_header_fast(tmp_path):
    path = str(tmp_path / "huge.png")
    with open(path, "wb") as f:
        f.write(_png_header(12000, 12000))
    start = time.time()
    with pytest.raises(Exception) as info:
        images.load_input(path)
    assert "12000x12000 pixels is more than the 120 megapixels" in str(info.value)
    assert time.time() - start < 2


# --- bad MNIST files ----------------------------------------------------------

def _idx_mutations():
    rng = np.random.RandomState(1)
    good_images = idx_images(rng.randint(0, 256, (60, 28, 28)))
    good_labels = idx_labels(rng.randint(0, 10, 60))
    mutations = [
        ("empty", data.TRAIN_IMAGES, b""),
        ("short header", data.TRAIN_IMAGES, good_images[:10]),
        ("labels magic in images", data.TRAIN_IMAGES, struct.pack(">I", 2049) + good_images[4:]),
        ("images magic in labels", data.TRAIN_LABELS, struct.pack(">I", 2051) + good_labels[4:]),
        ("truncated images", data.TRAIN_IMAGES, good_images[:-1]),
        ("padded images", data.TRAIN_IMAGES, good_images + b"\0"),
        ("truncated labels", data.TRAIN_LABELS, good_labels[:-3]),
        ("32x32 images", data.TRAIN_IMAGES, struct.pack(">IIII", 2051, 1, 32, 32) + bytes(1024)),
        ("label 10", data.TRAIN_LABELS, idx_labels([10] * 60)),
        ("label 255", data.TRAIN_LABELS, idx_labels([255] * 60)),
        ("corrupt gzip", data.TRAIN_IMAGES + ".gz", b"\x1f\x8b" + rng.bytes(100)),
        ("truncated gzip", data.TRAIN_IMAGES + ".gz", gzip.compress(good_images)[:50]),
        ("count says more", data.TRAIN_IMAGES,
         struct.pack(">IIII", 2051, 61, 28, 28) + good_images[16:]),
        ("random bytes", data.TEST_IMAGES, rng.bytes(5000)),
        ("random labels file", data.TEST_LABELS, rng.bytes(70)),
        ("not MNIST (checksum)", data.TRAIN_IMAGES, good_images),
    ]
    for i in range(6):
        blob = bytearray(good_images)
        blob[int(rng.randint(0, 16))] ^= 0xff  # a damaged header byte
        mutations.append(("header bit flip {}".format(i), data.TRAIN_IMAGES, bytes(blob)))
    return mutations


def test_fuzz_bad_mnist_files(tmp_path, capsys, monkeypatch, mnist_dir):
    monkeypatch.setattr(data, "MIRRORS", UNREACHABLE)
    mutations = _idx_mutations()
    assert len(mutations) >= 20
    for number, (why, name, payload) in enumerate(mutations):
        directory = tmp_path / str(number)
        directory.mkdir()
        for original in data.FILES:  # the real files, then one replaced
            os.symlink(data.find_file(mnist_dir, original),
                       str(directory / os.path.basename(data.find_file(mnist_dir, original))))
        for existing in (name.replace(".gz", ""), name.replace(".gz", "") + ".gz"):
            if os.path.lexists(str(directory / existing)):
                os.remove(str(directory / existing))
        with open(str(directory / name), "wb") as f:
            f.write(payload)
        code, _, err = _run(["download", "--data-dir", str(directory)], capsys)
        _assert_one_line(code, err, 1)
        assert os.path.basename(name.replace(".gz", "")) in err, why


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
            code, _, err = _run(argv + ["--model-dir", model_dir], capsys)
            _assert_one_line(code, err, 1)
            assert "model.json" in err, (why, err)


def test_model_json_that_is_a_directory_or_unreadable(tmp_path, small_model, capsys):
    model_dir = str(tmp_path / "m")
    shutil.copytree(small_model, model_dir)
    os.remove(os.path.join(model_dir, "model.json"))
    os.mkdir(os.path.join(model_dir, "model.json"))
    code, _, err = _run(["predict", PROJECT_IMAGE, "--model-dir", model_dir], capsys)
    _assert_one_line(code, err, 1)


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
        code, _, err = _run(argv, capsys)
        _assert_one_line(code, err, 2)
    code, _, err = _run(["train", "--n-iterations", "ten"], capsys)
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
        code, _, err = _run(argv + ["--data-dir", str(tmp_path / "no-data")]
                            if argv[0] in ("train", "reproduce") else argv, capsys)
        _assert_one_line(code, err, 1)
        assert time.time() - started < 10  # refused before any training
    assert not os.path.exists(str(tmp_path / "no-data"))


def test_batch_larger_than_the_training_set_is_refused(tmp_path, capsys):
    with pytest.raises(Exception) as info:
        train(_small_datasets(tmp_path), str(tmp_path / "m"),
              configure(hparams={"batch_size": 1000000}), Monitor(log=lambda line: None))
    assert "larger than the 250 training images" in str(info.value)
    assert not os.path.exists(str(tmp_path / "m"))


# --- data directories -------------------------------------------------------

def test_failed_download_leaves_no_empty_tree(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(data, "MIRRORS", UNREACHABLE)
    target = tmp_path / "a" / "b" / "MNIST_data"
    code, _, err = _run(["download", "--data-dir", str(target)], capsys)
    _assert_one_line(code, err, 1)
    assert "could not download" in err and not os.path.exists(str(tmp_path / "a"))


def test_unwritable_data_dir_is_one_line(tmp_path, capsys, monkeypatch):
    """A read-only directory that lacks a file (simulated: the tests run as root)."""
    import tempfile
    monkeypatch.setattr(data, "MIRRORS", UNREACHABLE)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = _run(["download", "--data-dir", str(tmp_path)], capsys)
    _assert_one_line(code, err, 1)
    assert "cannot write into" in err and "Permission denied" in err


# --- the model directory: lock, cleanup, durability -------------------------

def test_cleanup_spares_directories_and_removes_stale_files(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "ckpt-precious").mkdir()
    (model_dir / "ckpt-precious" / "data").write_text("keep me")
    (model_dir / ".model.json.x7f3.part").write_text("left by kill -9")
    (model_dir / "ckpt-20200101-000000-deadbeef.index").write_text("orphan of a dead run")
    (model_dir / "model.json").write_text("{}")  # so the directory counts as a model's
    train(_small_datasets(tmp_path), str(model_dir),
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    names = sorted(os.listdir(str(model_dir)))
    assert "ckpt-precious" in names and (model_dir / "ckpt-precious" / "data").exists()
    assert not any(n.endswith(".part") for n in names)
    assert "ckpt-20200101-000000-deadbeef.index" not in names
    description = checkpoint.load_description(str(model_dir))
    assert os.path.exists(str(model_dir / (description["checkpoint"] + ".index")))


def test_written_files_are_readable_by_others(tmp_path):
    model_dir = str(tmp_path / "model")
    train(_small_datasets(tmp_path), model_dir,
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    expected = files.file_mode()
    for name in os.listdir(model_dir):
        if name != checkpoint.LOCK:
            assert os.stat(os.path.join(model_dir, name)).st_mode & 0o777 == expected, name


def test_disk_full_during_save_is_one_line_and_keeps_the_model(tmp_path, monkeypatch, capsys):
    model_dir = str(tmp_path / "model")
    train(_small_datasets(tmp_path), model_dir,
          configure(hparams={"n_iterations": 2}, seed=0), Monitor(log=lambda line: None))
    before = sorted(os.listdir(model_dir))
    original = tf.train.Saver.save

    def full(self, sess, path, **options):
        original(self, sess, path, **options)
        raise tf.errors.ResourceExhaustedError(None, None, "No space left on device\nmore")
    monkeypatch.setattr(tf.train.Saver, "save", full)
    with pytest.raises(Exception) as info:
        train(_small_datasets(tmp_path, seed=1), model_dir,
              configure(hparams={"n_iterations": 2}, seed=1), Monitor(log=lambda line: None))
    assert "cannot save the checkpoint (No space left on device)" in str(info.value)
    assert "\n" not in str(info.value)
    assert sorted(os.listdir(model_dir)) == before
    checkpoint.load_description(model_dir)


def _train_command(model_dir, mnist_dir, *extra):
    return [sys.executable, "-m", "tf1_mnist", "train", "--seed", "0", "--model-dir", model_dir,
            "--data-dir", mnist_dir] + list(extra)


def _interruptible():
    """In the child: SIGINT back to its default. A shell starting a job in the background
    without job control ignores SIGINT for it, as nohup does, and the child inherits that
    (the command line rightly leaves an ignored SIGINT alone): the Ctrl-C tests then saw
    every run finish and skipped."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(command):
    return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, preexec_fn=_interruptible)


def _wait_for_lock(model_dir, process):
    lock = os.path.join(model_dir, checkpoint.LOCK)
    for _ in range(600):
        if os.path.exists(lock) and os.path.getsize(lock) > 0:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the first training never took the lock")


@pytest.mark.slow
def test_two_trainings_into_one_directory(tmp_path, mnist_dir):
    """The second stops at once naming the first; with --wait it waits; the model that
    remains is whole either way."""
    model_dir = str(tmp_path / "model")
    first = _start(_train_command(model_dir, mnist_dir))
    _wait_for_lock(model_dir, first)
    second = _start(_train_command(model_dir, mnist_dir, "--n-iterations", "5"))
    out, err = second.communicate(timeout=300)
    assert second.returncode == 1 and "another training is writing this model directory" \
        in err and "pid {}".format(first.pid) in err and "Traceback" not in err
    waiting = _start(_train_command(model_dir, mnist_dir, "--n-iterations", "5", "--wait"))
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = waiting.communicate(timeout=300)
    assert first.returncode == 0 and waiting.returncode == 0, err1 + err2
    assert "Model saved" in out1 and "Model saved" in out2
    description = checkpoint.load_description(model_dir)
    assert description["hparams"]["n_iterations"] == 5  # the waiting run committed last
    checkpoints = {n.split(".")[0] for n in os.listdir(model_dir) if n.startswith("ckpt-")}
    assert checkpoints == {description["checkpoint"]}


@pytest.mark.parametrize("delay", [0.1, 0.25, 1.0, 2.5, 4.0])
@pytest.mark.slow
def test_ctrl_c_at_any_moment(tmp_path, mnist_dir, delay, trained_model):
    """SIGINT early (while importing), during training or saving: one line, exit 130,
    never a traceback, and the previous model is intact."""
    model_dir = str(tmp_path / "model")
    shutil.copytree(trained_model[0], model_dir)
    before = checkpoint.load_description(model_dir)
    process = _start(_train_command(model_dir, mnist_dir, "--seed", "7"))
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert "Traceback" not in err, err
    if process.returncode == 0:  # finished before the signal arrived: nothing to test
        pytest.skip("the run finished within {} s".format(delay))
    assert process.returncode == 130, err
    assert len(err.strip().splitlines()) <= 1 and "Model saved" not in out
    assert checkpoint.load_description(model_dir) == before


def _wait_for_output(process, text, limit=200):
    """Read ``process``'s stdout line by line until one holds ``text``."""
    lines = []
    for _ in range(limit):
        line = process.stdout.readline()
        lines.append(line)
        if text in line or not line:
            break
    assert text in lines[-1], "".join(lines)


@pytest.mark.slow
def test_sigterm_stops_training_like_ctrl_c(tmp_path, mnist_dir, trained_model):
    """docker stop / Kubernetes send SIGTERM: one line, exit 143 (128 + 15), the previous
    model intact, at once rather than at Docker's SIGKILL 10 s later."""
    model_dir = str(tmp_path / "model")
    shutil.copytree(trained_model[0], model_dir)
    before = checkpoint.load_description(model_dir)
    process = _start(_train_command(model_dir, mnist_dir, "--n-iterations", "200000"))
    _wait_for_output(process, "Iteration 100 ")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143, err
    assert err.strip().splitlines()[-1] == ("error: stopped by SIGTERM; nothing was saved, the "
                                           "previous model (if any) is unchanged")
    assert "Traceback" not in err and "Model saved" not in out
    assert checkpoint.load_description(model_dir) == before
