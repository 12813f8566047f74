"""IDX reading, verification and download, on files the tests make (plus the real MNIST)."""
import contextlib
import gzip
import http.server
import io
import os
import struct
import threading

import numpy as np
import pytest

from conftest import (UNREACHABLE, assert_one_line, checksums_of, idx_images, idx_labels,
                      run_in_process, write_mnist_like)
from tf1_mnist import data
from tf1_mnist.errors import UserError


def test_reads_gzipped_and_plain_files_alike(tmp_path):
    arrays = write_mnist_like(tmp_path / "gz", compress=True)
    write_mnist_like(tmp_path / "raw", compress=False)
    for sub in ("gz", "raw"):
        loaded = data.load_mnist(str(tmp_path / sub), download=False,
                                 checksums=checksums_of(arrays))
        np.testing.assert_array_equal(loaded["train_images"], arrays[data.TRAIN_IMAGES])
        np.testing.assert_array_equal(loaded["test_labels"], arrays[data.TEST_LABELS])
        assert loaded["train_images"].dtype == np.uint8
        assert loaded["train_images"].shape == (60, 28, 28)


def _write(tmp_path, name, payload):
    path = tmp_path / name
    path.write_bytes(payload)
    return str(path)


@pytest.mark.parametrize("payload, message", [
    (b"\x00\x00", "too short"),
    (struct.pack(">IIII", 2049, 1, 28, 28) + bytes(784), "magic number 2049"),
    (struct.pack(">IIII", 2051, 1, 32, 32) + bytes(1024), "32x32"),
    (struct.pack(">IIII", 2051, 3, 28, 28) + bytes(784 * 2), "truncated or padded"),
    (struct.pack(">IIII", 2051, 1, 28, 28) + bytes(785), "truncated or padded"),
])
def test_corrupt_image_files_are_named_in_one_line(tmp_path, payload, message):
    path = _write(tmp_path, data.TRAIN_IMAGES, payload)
    with pytest.raises(UserError) as info:
        data.load_file(str(tmp_path), data.TRAIN_IMAGES, checksums=None)
    assert message in str(info.value)
    assert path in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("payload, message", [
    (idx_labels([1, 2, 10]), "label 10"),
    (idx_images(np.zeros((1, 28, 28))), "magic number 2051"),
    (struct.pack(">II", 2049, 5) + bytes(3), "truncated or padded"),
])
def test_corrupt_label_files(tmp_path, payload, message):
    _write(tmp_path, data.TEST_LABELS, payload)
    with pytest.raises(UserError, match=message):
        data.load_file(str(tmp_path), data.TEST_LABELS, checksums=None)


def test_truncated_gzip_is_reported(tmp_path):
    whole = gzip.compress(idx_labels(np.arange(10) % 10))
    path = _write(tmp_path, data.TEST_LABELS + ".gz", whole[: len(whole) // 2])
    with pytest.raises(UserError, match="truncated or corrupt") as info:
        data.load_file(str(tmp_path), data.TEST_LABELS, checksums=None)
    assert path in str(info.value)


def test_checksum_mismatch_is_a_wrong_file(tmp_path):
    arrays = write_mnist_like(tmp_path)
    with pytest.raises(UserError, match="SHA-256 mismatch"):
        data.load_file(str(tmp_path), data.TRAIN_LABELS)  # MNIST's real checksums
    sums = checksums_of(arrays)
    assert data.load_file(str(tmp_path), data.TRAIN_LABELS, sums).shape == (60,)


def test_images_and_labels_must_agree_in_count(tmp_path):
    arrays = write_mnist_like(tmp_path)
    _write(tmp_path, data.TEST_LABELS + ".gz", gzip.compress(idx_labels([1, 2, 3])))
    arrays[data.TEST_LABELS] = np.array([1, 2, 3], np.uint8)
    with pytest.raises(UserError, match="different sets"):
        data.load_mnist(str(tmp_path), download=False, checksums=checksums_of(arrays))


def test_missing_file_without_download(tmp_path):
    with pytest.raises(UserError, match="train-images-idx3-ubyte.gz: not found"):
        data.load_mnist(str(tmp_path), download=False)


def test_data_dir_resolution(monkeypatch):
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    assert data.resolve_data_dir() == "MNIST_data"
    monkeypatch.setenv(data.DATA_DIR_ENV, "/elsewhere")
    assert data.resolve_data_dir() == "/elsewhere"
    assert data.resolve_data_dir("given") == "given"


# --- downloading, from a server on 127.0.0.1 -----------------------------------------

def _handler_for(directory):
    """A request handler serving the files of ``directory`` (Python 3.6 has no directory=)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = os.path.join(str(directory), os.path.basename(self.path))
            if not os.path.isfile(path):
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    return Handler


@contextlib.contextmanager
def serving(directory):
    """An HTTP server on a free loopback port serving ``directory``; yields its URL."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _handler_for(directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:{}/".format(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_download_fetches_verifies_and_shows_progress(tmp_path):
    arrays = write_mnist_like(tmp_path / "mirror")
    target = tmp_path / "MNIST_data"
    log = io.StringIO()
    with serving(tmp_path / "mirror") as url:
        data.ensure_files(str(target), mirrors=(url,), checksums=checksums_of(arrays), out=log)
    assert sorted(os.listdir(str(target))) == sorted(n + ".gz" for n in data.FILES)
    assert "Downloading train-images-idx3-ubyte.gz from " + url in log.getvalue()
    loaded = data.load_mnist(str(target), download=False, checksums=checksums_of(arrays))
    np.testing.assert_array_equal(loaded["train_images"], arrays[data.TRAIN_IMAGES])


def test_download_falls_back_to_the_second_mirror(tmp_path):
    arrays = write_mnist_like(tmp_path / "good")
    (tmp_path / "empty").mkdir()
    target = tmp_path / "MNIST_data"
    with serving(tmp_path / "empty") as broken, serving(tmp_path / "good") as good:
        data.ensure_files(str(target), mirrors=(broken, good), checksums=checksums_of(arrays),
                          out=io.StringIO())
    assert not data.missing_files(str(target))


def test_download_with_wrong_checksum_leaves_nothing(tmp_path):
    arrays = write_mnist_like(tmp_path / "mirror")
    sums = dict(checksums_of(arrays), **{data.TRAIN_LABELS: "0" * 64})
    target = tmp_path / "MNIST_data"
    with serving(tmp_path / "mirror") as url:
        with pytest.raises(UserError) as info:
            data.ensure_files(str(target), mirrors=(url,), checksums=sums, out=io.StringIO())
    assert "train-labels-idx1-ubyte.gz" in str(info.value)
    assert "does not match" in str(info.value)
    left = sorted(os.listdir(str(target)))
    assert data.TRAIN_LABELS + ".gz" not in left
    assert not [n for n in left if n.endswith(".part")]


def test_no_network_names_the_files_and_where_to_put_them(tmp_path):
    target = tmp_path / "MNIST_data"
    write_mnist_like(tmp_path / "partial")
    target.mkdir()
    for name in (data.TRAIN_IMAGES, data.TRAIN_LABELS):
        os.rename(str(tmp_path / "partial" / (name + ".gz")), str(target / (name + ".gz")))
    with pytest.raises(UserError) as info:
        # port 9 (discard) on loopback: nothing listens, so the connection is refused
        data.ensure_files(str(target), mirrors=("http://127.0.0.1:9/",), out=io.StringIO())
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz" in message
    assert "train-images" not in message  # already there, not asked for
    assert str(target) in message and "--data-dir" in message
    assert "\n" not in message
    assert sorted(os.listdir(str(target))) == sorted(
        [data.TRAIN_IMAGES + ".gz", data.TRAIN_LABELS + ".gz"])


def test_a_failed_download_names_every_mirror_it_tried(tmp_path):
    with pytest.raises(UserError) as info:
        data.ensure_files(str(tmp_path / "MNIST_data"),
                          mirrors=("http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"),
                          out=io.StringIO())
    message = str(info.value)
    assert "http://127.0.0.1:9/a/train-images-idx3-ubyte.gz: " in message
    assert "; http://127.0.0.1:9/b/train-images-idx3-ubyte.gz: " in message
    assert "\n" not in message


def test_real_mnist_loads_and_verifies(mnist_dir):
    arrays = data.load_mnist(mnist_dir, download=False)
    assert arrays["train_images"].shape == (60000, 28, 28)
    assert arrays["test_images"].shape == (10000, 28, 28)
    assert np.bincount(arrays["test_labels"]).tolist() == [
        980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_default_mirrors_are_read_when_called(tmp_path, monkeypatch):
    """Patching data.MIRRORS or input_data.DEFAULT_SOURCE_URL takes effect (a default
    bound at definition time would make the offline tests pass only offline)."""
    from tf1_mnist import input_data
    arrays = write_mnist_like(tmp_path / "mirror")
    with serving(tmp_path / "mirror") as url:
        monkeypatch.setattr(data, "MIRRORS", (url,))
        data.ensure_files(str(tmp_path / "a"), checksums=checksums_of(arrays), out=None)
        monkeypatch.setattr(data, "MIRRORS", ("http://127.0.0.1:9/",))
        monkeypatch.setattr(input_data, "DEFAULT_SOURCE_URL", url)
        mnist = input_data.read_data_sets(str(tmp_path / "b"), checksums=checksums_of(arrays),
                                          validation_size=10)
    assert not data.missing_files(str(tmp_path / "a"))
    assert mnist.train.num_examples == 50


def test_download_progress_bar_on_a_terminal(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    arrays = write_mnist_like(tmp_path / "mirror")
    terminal = Terminal()
    with serving(tmp_path / "mirror") as url:
        data.ensure_files(str(tmp_path / "t"), mirrors=(url,), checksums=checksums_of(arrays),
                          out=terminal)
    shown = terminal.getvalue()
    assert "train-images-idx3-ubyte.gz:" in shown and "\r" in shown  # tqdm's bar


def test_downloaded_files_are_readable_by_others(tmp_path):
    from tf1_mnist import files
    arrays = write_mnist_like(tmp_path / "mirror")
    with serving(tmp_path / "mirror") as url:
        data.ensure_files(str(tmp_path / "t"), mirrors=(url,), checksums=checksums_of(arrays),
                          out=None)
    for name in os.listdir(str(tmp_path / "t")):
        assert os.stat(str(tmp_path / "t" / name)).st_mode & 0o777 == files.file_mode()


def test_own_mirror_from_the_environment(tmp_path, monkeypatch):
    """$TF1_MNIST_MIRROR (the Docker build's MNIST_MIRROR) replaces the public mirrors,
    with the same checks; a value that is no URL is one line."""
    arrays = write_mnist_like(tmp_path / "mirror")
    monkeypatch.setattr(data, "MIRRORS", ("http://127.0.0.1:9/",))  # would fail
    with serving(tmp_path / "mirror") as url:
        monkeypatch.setenv(data.MIRROR_ENV, url.rstrip("/"))
        log = io.StringIO()
        data.ensure_files(str(tmp_path / "a"), checksums=checksums_of(arrays), out=log)
    assert not data.missing_files(str(tmp_path / "a"))
    assert "from " + url + "train-images-idx3-ubyte.gz" in log.getvalue()
    monkeypatch.setenv(data.MIRROR_ENV, "mirror.example.org/mnist")
    with pytest.raises(UserError, match=r"TF1_MNIST_MIRROR='mirror.example.org/mnist' is not "
                                        r"a URL"):
        data.ensure_files(str(tmp_path / "b"), out=None)
    assert not os.path.exists(str(tmp_path / "b"))


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
        code, _, err = run_in_process(["download", "--data-dir", str(directory)], capsys)
        assert_one_line(code, err, 1)
        assert os.path.basename(name.replace(".gz", "")) in err, why


# --- data directories -------------------------------------------------------

def test_failed_download_leaves_no_empty_tree(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(data, "MIRRORS", UNREACHABLE)
    target = tmp_path / "a" / "b" / "MNIST_data"
    code, _, err = run_in_process(["download", "--data-dir", str(target)], capsys)
    assert_one_line(code, err, 1)
    assert "could not download" in err and not os.path.exists(str(tmp_path / "a"))


def test_unwritable_data_dir_is_one_line(tmp_path, capsys, monkeypatch):
    """A read-only directory that lacks a file (simulated: the tests run as root)."""
    import tempfile
    monkeypatch.setattr(data, "MIRRORS", UNREACHABLE)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run_in_process(["download", "--data-dir", str(tmp_path)], capsys)
    assert_one_line(code, err, 1)
    assert "cannot write into" in err and "Permission denied" in err
