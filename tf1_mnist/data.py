"""MNIST on disk: the four IDX files, verified, downloaded when missing.

Reads ``train-images-idx3-ubyte`` and friends from a data directory, gzipped or
not, checks every header (magic number, 28x28, a record count that agrees with the
file length, labels 0-9) and the SHA-256 of the decompressed bytes, and downloads
missing files from the mirror TensorFlow 1.x used, with a fallback mirror. A file
is only ever moved into place after its decompressed bytes matched the checksum.
No TensorFlow here.
"""
import gzip
import hashlib
import os
import sys
import tempfile
import zlib

import numpy as np

from tf1_mnist import files
from tf1_mnist.errors import UserError

DEFAULT_DATA_DIR = "MNIST_data"
DATA_DIR_ENV = "TF1_MNIST_DATA_DIR"

# The mirror TensorFlow 1.x's input_data used first, then the one torchvision uses.
MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)
# Your own copy instead (behind a firewall, in CI): a URL whose directory holds the four
# .gz files; the SHA-256 checks are the same.
MIRROR_ENV = "TF1_MNIST_MIRROR"

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# SHA-256 of the decompressed bytes: the same for the mirrors' .gz files, for
# re-compressed copies and for files a user already gunzipped.
SHA256 = {
    TRAIN_IMAGES: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    TRAIN_LABELS: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    TEST_IMAGES: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    TEST_LABELS: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
ROWS = COLS = 28
NUM_CLASSES = 10

_GZIP_MAGIC = b"\x1f\x8b"


def resolve_data_dir(data_dir=None):
    """The data directory: the argument, else $TF1_MNIST_DATA_DIR, else MNIST_data/."""
    return data_dir or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR


def find_file(data_dir, name):
    """Path of ``name`` in ``data_dir``, as ``name.gz`` or ``name``; None if neither exists."""
    for candidate in (name + ".gz", name):
        path = os.path.join(data_dir, candidate)
        if os.path.isfile(path):
            return path
    return None


def read_bytes(path):
    """The decompressed contents of an IDX file, gzipped or not (decided by content)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise UserError("{}: cannot read it ({}); check the path and permissions"
                        .format(path, exc.strerror or exc))
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error):
        raise UserError("{}: the gzip data is truncated or corrupt; delete it so it is "
                        "downloaded again".format(path))


def parse_idx(data, path, magic):
    """Parse IDX bytes into a uint8 array: images [N, 28, 28] or labels [N].

    Every way the bytes can disagree with MNIST's format raises UserError naming
    ``path``: wrong magic number, wrong image size, a length that does not match the
    record count, a label outside 0-9.
    """
    what = "images" if magic == IMAGES_MAGIC else "labels"
    header_len = 16 if magic == IMAGES_MAGIC else 8
    fix = "delete it so it is downloaded again, or replace it with the original MNIST file"
    if len(data) < header_len:
        raise UserError("{}: only {} bytes, too short for an IDX {} header; {}"
                        .format(path, len(data), what, fix))
    header = np.frombuffer(data, dtype=">u4", count=header_len // 4)
    if int(header[0]) != magic:
        raise UserError("{}: magic number {} where an MNIST {} file has {}; {}"
                        .format(path, int(header[0]), what, magic, fix))
    count = int(header[1])
    if magic == IMAGES_MAGIC:
        rows, cols = int(header[2]), int(header[3])
        if (rows, cols) != (ROWS, COLS):
            raise UserError("{}: images are {}x{}, MNIST's are 28x28; {}"
                            .format(path, rows, cols, fix))
        shape = (count, rows, cols)
    else:
        shape = (count,)
    expected = header_len + int(np.prod(shape))
    if len(data) != expected:
        raise UserError("{}: header says {} {} ({} bytes) but the file has {} bytes "
                        "(truncated or padded); {}"
                        .format(path, count, what, expected, len(data), fix))
    array = np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(shape)
    if magic == LABELS_MAGIC and count and int(array.max()) >= NUM_CLASSES:
        raise UserError("{}: contains label {}, MNIST labels are 0-9; {}"
                        .format(path, int(array.max()), fix))
    return array


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def load_file(data_dir, name, checksums=SHA256):
    """Read, verify and parse one of the four files (``name`` without ``.gz``).

    ``checksums`` maps names to the SHA-256 of the decompressed bytes; pass None to
    skip that check (for files that are not MNIST itself, e.g. in tests).
    """
    path = find_file(data_dir, name)
    if path is None:
        raise UserError("{}: not found in {}; run with network access to download it, "
                        "or copy the MNIST file there".format(name + ".gz", data_dir))
    data = read_bytes(path)
    magic = IMAGES_MAGIC if "-images-" in name else LABELS_MAGIC
    array = parse_idx(data, path, magic)
    if checksums is not None and sha256_hex(data) != checksums[name]:
        raise UserError("{}: the contents are not MNIST's (SHA-256 mismatch: another data "
                        "set with the same file names, or a damaged copy); delete it so the "
                        "original is downloaded again".format(path))
    return array


def load_mnist(data_dir=None, download=True, checksums=SHA256, mirrors=None):
    """The four MNIST arrays as uint8: train images/labels, test images/labels.

    Returns a dict with keys ``train_images`` [60000, 28, 28], ``train_labels``
    [60000], ``test_images`` [10000, 28, 28], ``test_labels`` [10000]. Missing files
    are downloaded first when ``download`` is true, from ``mirrors`` (default:
    ``default_mirrors()``, read when called).
    """
    data_dir = resolve_data_dir(data_dir)
    if download:
        ensure_files(data_dir, mirrors=mirrors, checksums=checksums)
    arrays = {name: load_file(data_dir, name, checksums) for name in FILES}
    for images, labels in ((TRAIN_IMAGES, TRAIN_LABELS), (TEST_IMAGES, TEST_LABELS)):
        if len(arrays[images]) != len(arrays[labels]):
            raise UserError("{}: {} images but {} has {} labels; the two files are from "
                            "different sets, replace both with the MNIST originals"
                            .format(data_dir, len(arrays[images]), labels,
                                    len(arrays[labels])))
    return {
        "train_images": arrays[TRAIN_IMAGES],
        "train_labels": arrays[TRAIN_LABELS],
        "test_images": arrays[TEST_IMAGES],
        "test_labels": arrays[TEST_LABELS],
    }


def scale(images, keras=False):
    """uint8 images -> float32 in [0, 1], same shape.

    TF 1.x's ``input_data`` multiplied by ``1.0 / 255.0``; the Keras tutorials divided
    by 255. The two differ in the last bit for half the pixel values, so each network
    gets the scaling its tutorial used and its numbers stay comparable.
    """
    images = np.asarray(images).astype(np.float32)
    return images / np.float32(255) if keras else images * np.float32(1.0 / 255.0)


def one_hot(labels, num_classes=NUM_CLASSES, dtype=np.float32):
    """Dense labels [N] -> one-hot [N, num_classes]."""
    return np.eye(num_classes, dtype=dtype)[np.asarray(labels)]


def keras_style_split(arrays, validation):
    """Training, validation and test pairs (images float32 [N, 784], one-hot labels) as
    the Keras tutorials had them: all 60,000 training images, validating on the test
    set ("test"), on the last fraction of the training images (a float, Keras'
    ``validation_split``), or on nothing (None: the validation pair is None)."""
    def prepare(images, labels):
        return scale(images.reshape(len(images), -1), keras=True), one_hot(labels)
    train = prepare(arrays["train_images"], arrays["train_labels"])
    test = prepare(arrays["test_images"], arrays["test_labels"])
    if validation == "test":
        return train, test, test
    if validation:
        cut = int(len(train[0]) * (1 - validation))
        return (train[0][:cut], train[1][:cut]), (train[0][cut:], train[1][cut:]), test
    return train, None, test


def missing_files(data_dir):
    return [name for name in FILES if find_file(data_dir, name) is None]


def ensure_files(data_dir, mirrors=None, checksums=SHA256, out=sys.stderr):
    """Download whichever of the four files ``data_dir`` lacks.

    Each file goes to a temporary name in ``data_dir`` and is moved to its final
    ``.gz`` name (``files``' durable way, mode 0644) only after its decompressed bytes
    matched ``checksums``; a failed or interrupted download leaves nothing behind, not
    even the directories it created. Without any reachable mirror this raises one
    UserError naming the missing files and where to put them.
    """
    missing = missing_files(data_dir)
    if not missing:
        return
    if mirrors is None:
        mirrors = default_mirrors()
    created = _make_dirs(data_dir)
    failures = []
    try:
        for name in missing:
            error = _download_one(data_dir, name, mirrors, checksums, out)
            if error:
                failures.append((name, error))
    finally:
        if failures or sys.exc_info()[0] is not None:
            for directory in reversed(created):
                try:
                    os.rmdir(directory)  # only if empty: never a downloaded file
                except OSError:
                    break
    if failures:
        names = ", ".join(name + ".gz" for name, _ in failures)
        raise UserError("could not download {} ({}); download them from {} (or copy them "
                        "from any MNIST copy) into {}/, or point --data-dir or ${} at a "
                        "directory that has them"
                        .format(names, failures[0][1], mirrors[0] if mirrors else "a mirror",
                                data_dir.rstrip("/"), DATA_DIR_ENV))


def default_mirrors(environ=None):
    """$TF1_MNIST_MIRROR alone when it is set, else ``MIRRORS``."""
    own = (os.environ if environ is None else environ).get(MIRROR_ENV, "").strip()
    if not own:
        return MIRRORS
    if "://" not in own:
        raise UserError("${}={!r} is not a URL; set it like https://example.org/mnist/ (a "
                        "directory holding the four .gz files)".format(MIRROR_ENV, own))
    return (own.rstrip("/") + "/",)


def _make_dirs(data_dir):
    """Create ``data_dir`` and missing parents; return the ones created, outermost first."""
    created, path = [], os.path.abspath(data_dir)
    while not os.path.exists(path):
        created.insert(0, path)
        path = os.path.dirname(path)
    try:
        os.makedirs(data_dir, exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create the data directory ({}); choose another with "
                        "--data-dir".format(data_dir, exc.strerror or exc))
    return created


def _download_one(data_dir, name, mirrors, checksums, out):
    """Try each mirror in turn; return None on success, else what went wrong with each
    mirror, as text."""
    errors = []
    for mirror in mirrors:
        url = mirror + name + ".gz"
        try:
            fd, tmp = tempfile.mkstemp(prefix="." + name + ".", suffix=files.PART,
                                       dir=data_dir)
        except OSError as exc:
            return "cannot write into {} ({})".format(data_dir, exc.strerror or exc)
        try:
            with os.fdopen(fd, "wb") as f:
                fetch(url, f, name + ".gz", out)
                f.flush()
                os.fsync(f.fileno())
            data = read_bytes(tmp)
            if checksums is not None and sha256_hex(data) != checksums[name]:
                errors.append("{} served a file whose SHA-256 does not match MNIST's"
                              .format(url))
                continue
            os.chmod(tmp, files.file_mode())
            os.replace(tmp, os.path.join(data_dir, name + ".gz"))
            files.fsync_dir(data_dir)
            return None
        except UserError as exc:
            errors.append("{}: {}".format(url, exc))
        except (OSError, ValueError) as exc:
            errors.append("{}: {}".format(url, getattr(exc, "reason", None) or exc))
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    return "; ".join(errors) or "no mirror configured"


def fetch(url, f, label, out, chunk=1 << 16):
    """Copy ``url`` into file ``f``, with a progress bar on ``out`` when it is a terminal."""
    from urllib.request import urlopen

    from tf1_mnist.progress import bar

    with urlopen(url, timeout=30) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        if out is not None:
            out.write("Downloading {} from {}\n".format(label, url))
        done = 0
        with bar(out, total=total, desc=label, unit="B", unit_scale=True) as progress:
            while True:
                block = response.read(chunk)
                if not block:
                    break
                f.write(block)
                done += len(block)
                progress.update(len(block))
        if total and done != total:
            raise OSError("connection closed after {} of {} bytes".format(done, total))
