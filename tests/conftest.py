"""Shared fixtures: small IDX files made on the spot, the real MNIST, a trained model."""
import gzip
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from tf1_mnist import data

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TUTORIAL_IMAGE = os.path.join(ROOT, "..", "shared", "seeds", "test_img.png")
PROJECT_IMAGE = os.path.join(ROOT, "test_img.png")


def idx_images(images):
    images = np.asarray(images, dtype=np.uint8)
    return struct.pack(">IIII", data.IMAGES_MAGIC, *images.shape) + images.tobytes()


def idx_labels(labels):
    labels = np.asarray(labels, dtype=np.uint8)
    return struct.pack(">II", data.LABELS_MAGIC, len(labels)) + labels.tobytes()


def write_mnist_like(directory, n_train=60, n_test=20, seed=0, compress=True):
    """Four small IDX files that look like MNIST; returns the arrays written."""
    rng = np.random.RandomState(seed)
    arrays = {
        data.TRAIN_IMAGES: rng.randint(0, 256, (n_train, 28, 28)).astype(np.uint8),
        data.TRAIN_LABELS: rng.randint(0, 10, n_train).astype(np.uint8),
        data.TEST_IMAGES: rng.randint(0, 256, (n_test, 28, 28)).astype(np.uint8),
        data.TEST_LABELS: rng.randint(0, 10, n_test).astype(np.uint8),
    }
    os.makedirs(str(directory), exist_ok=True)
    for name, array in arrays.items():
        payload = idx_images(array) if array.ndim == 3 else idx_labels(array)
        if compress:
            with open(os.path.join(str(directory), name + ".gz"), "wb") as f:
                f.write(gzip.compress(payload))
        else:
            with open(os.path.join(str(directory), name), "wb") as f:
                f.write(payload)
    return arrays


def checksums_of(arrays):
    return {name: data.sha256_hex(idx_images(a) if a.ndim == 3 else idx_labels(a))
            for name, a in arrays.items()}


@pytest.fixture(scope="session")
def mnist_dir():
    """The real MNIST: $TF1_MNIST_DATA_DIR, else the quick start's MNIST_data/ in the
    project root; the test is skipped, with the reason shown, without either."""
    directory = os.environ.get(data.DATA_DIR_ENV) or os.path.join(ROOT, data.DEFAULT_DATA_DIR)
    if data.missing_files(directory):
        pytest.skip("real MNIST not found in {}: run `python -m tf1_mnist download` (or the "
                    "quick start's train) first, or set {} to a directory with the four "
                    "IDX files".format(directory, data.DATA_DIR_ENV))
    return os.path.abspath(directory)


@pytest.fixture(scope="session")
def tutorial_image():
    """The tutorial's own test_img.png (a 2), from ../shared/seeds; skipped without it."""
    if not os.path.isfile(TUTORIAL_IMAGE):
        pytest.skip("the tutorial's image is not at {}".format(TUTORIAL_IMAGE))
    return TUTORIAL_IMAGE


def run_cli(args, cwd=ROOT, env=None):
    """Run ``python -m tf1_mnist ARGS`` in a subprocess (``-m MODULE`` or ``-c CODE`` first
    runs that instead)."""
    command = [sys.executable] + (args if args[0] in ("-m", "-c") else
                                  ["-m", "tf1_mnist"] + args)
    full_env = dict(os.environ, PYTHONPATH=ROOT)
    full_env.update(env or {})
    process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


@pytest.fixture(scope="session")
def trained_model(mnist_dir, tmp_path_factory):
    """One full faithful run (the tutorial's recipe, seed 0) through the command line."""
    model_dir = str(tmp_path_factory.mktemp("faithful") / "model")
    code, out, err = run_cli(["train", "--seed", "0", "--data-dir", mnist_dir,
                              "--model-dir", model_dir])
    assert code == 0, err
    return model_dir, out


# --- pages, in headless Chromium (Debian's chromium and chromium-driver) --------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    selenium = pytest.importorskip("selenium", reason="selenium needs Python 3.8+: the page "
                                   "is tested on the 3.11 stack")
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Debian's chromium and chromium-driver are not installed "
                    "(.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1100,900",
                 "--user-data-dir=" + str(tmp_path_factory.mktemp("chromium"))):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    assert selenium
    yield driver
    driver.quit()


def text(driver, element_id):
    return driver.find_element("id", element_id).text.strip()


def wait_for(driver, element_id, condition, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        value = text(driver, element_id)
        if condition(value):
            return value
        time.sleep(0.1)
    raise AssertionError("#{} never satisfied the condition (last: {!r})".format(
        element_id, text(driver, element_id)))


def draw(driver, strokes):
    """Each stroke: a list of (x, y) in canvas pixels (0-280), drawn with the pointer."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("id", "canvas")
    for points in strokes:
        actions = ActionChains(driver)
        x0, y0 = points[0]
        actions.move_to_element_with_offset(canvas, x0 - 140, y0 - 140).click_and_hold()
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            actions.move_by_offset(xb - xa, yb - ya)
        actions.release().perform()


def ellipse(cx, cy, rx, ry, n=24):
    return [(int(cx + rx * np.sin(2 * np.pi * k / n)), int(cy - ry * np.cos(2 * np.pi * k / n)))
            for k in range(n + 1)]


def draw_clear_upload(driver, url):
    """What a person does on the drawing page at ``url`` (``serve``'s, or the folder
    `export --format web` writes): draw a 1 stroke by stroke, clear, draw a 0, clear,
    upload the project's 7; the page answers each."""
    driver.get(url)
    assert text(driver, "prediction") == "" and text(driver, "prediction-raw") == ""
    draw(driver, [[(140, 50 + 12 * k) for k in range(16)]])  # a 1
    assert wait_for(driver, "prediction", lambda v: v != "", 60) == "1"
    assert wait_for(driver, "prediction-raw", lambda v: v != "")
    bars = driver.find_elements("css selector", "#probabilities .bar")
    assert len(bars) == 10 and "top" in bars[1].get_attribute("class")
    driver.find_element("id", "clear").click()
    assert wait_for(driver, "prediction", lambda v: v == "") == ""
    draw(driver, [ellipse(140, 140, 55, 85)])  # a 0
    assert wait_for(driver, "prediction", lambda v: v != "") == "0"
    driver.find_element("id", "clear").click()
    driver.find_element("id", "upload").send_keys(PROJECT_IMAGE)
    assert wait_for(driver, "prediction", lambda v: v != "") == "7"


# --- shared by the tests of bad input and of how runs end ---------------------------

UNREACHABLE = ("http://127.0.0.1:9/",)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    """A model trained for 3 iterations on small made-up IDX files."""
    from tf1_mnist import input_data
    from tf1_mnist.recipes import configure
    from tf1_mnist.train import Monitor, train

    root = tmp_path_factory.mktemp("small")
    arrays = write_mnist_like(root / "data", n_train=300, n_test=50)
    mnist = input_data.read_data_sets(str(root / "data"), one_hot=True, validation_size=50,
                                      seed=0, checksums=checksums_of(arrays))
    train(mnist, str(root / "model"),
          configure(hparams={"n_iterations": 3}, seed=0), Monitor(log=lambda line: None))
    return str(root / "model")


def small_datasets(tmp_path, seed=0):
    from tf1_mnist import input_data

    arrays = write_mnist_like(tmp_path / "data", n_train=300, n_test=50)
    return input_data.read_data_sets(str(tmp_path / "data"), one_hot=True, validation_size=50,
                                     seed=seed, checksums=checksums_of(arrays))


def run_in_process(argv, capsys):
    """cli.main in-process; (exit code, stdout, stderr). argparse's exit is a code too."""
    from tf1_mnist import cli

    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code, err, expected_code):
    assert "Traceback" not in err, err
    assert code == expected_code, (code, err)
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if "error: " in line]
    assert len(errors) == 1, err
    if expected_code == 1:
        assert lines == errors and lines[0].startswith("error: ")  # exactly one line
    else:
        assert lines[-1] == errors[0]  # argparse: usage, then the one error line


def train_command(model_dir, mnist_dir, *extra):
    return [sys.executable, "-m", "tf1_mnist", "train", "--seed", "0", "--model-dir", model_dir,
            "--data-dir", mnist_dir] + list(extra)


def _interruptible():
    """In the child: SIGINT back to its default. A shell starting a job in the background
    without job control ignores SIGINT for it, as nohup does, and the child inherits that
    (the command line rightly leaves an ignored SIGINT alone): the Ctrl-C tests then saw
    every run finish and skipped."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_interruptible(command):
    return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, preexec_fn=_interruptible)


def wait_for_lock(model_dir, process):
    from tf1_mnist import checkpoint

    lock = os.path.join(model_dir, checkpoint.LOCK)
    deadline = time.time() + 300  # TensorFlow's import alone is slow on a loaded machine
    while not (os.path.exists(lock) and os.path.getsize(lock) > 0):
        assert process.poll() is None, process.communicate()
        assert time.time() < deadline, "the first training never took the lock"
        time.sleep(0.05)


# --- tf1-mnist run on scripts and notebooks ------------------------------------------

def work_folder(tmp_path, source, *names):
    """A fresh folder ``tmp_path``/work holding the named files from folder ``source``."""
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(os.path.join(source, name), str(folder))
    return str(folder)


SCRIPTS = os.path.join(ROOT, "tests", "scripts")  # the classic TF1 scripts run is tested on


def script_folder(tmp_path, *names):
    """A fresh folder holding the named scripts of tests/scripts/."""
    return work_folder(tmp_path, SCRIPTS, *names)


def script_json(tmp_path, name, python=sys.executable):
    """Run tests/scripts/``name`` under ``python``'s ``tf1-mnist run``: the JSON of its
    last line, and its stderr."""
    code, out, err = run_in(script_folder(tmp_path, name), [name], python=python)
    assert code == 0, err
    return json.loads(out.splitlines()[-1]), err


def close(a, b, tolerance=2e-5):
    """Whether numbers, or nested lists of them, agree within ``tolerance``."""
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tolerance) for x, y in zip(a, b))
    return abs(a - b) <= tolerance


def run_env(data_dir=None):
    """The environment of a command run in a test: this checkout's package first, and
    $TF1_MNIST_DATA_DIR only when ``data_dir`` is given."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop(data.DATA_DIR_ENV, None)
    # TensorFlow 2's import sets TF2_BEHAVIOR=1 in this process's environment: passed on,
    # it makes TensorFlow 1.15 (the other stack) start eager.
    env.pop("TF2_BEHAVIOR", None)
    if data_dir:
        env[data.DATA_DIR_ENV] = data_dir
    return env


def run_in(folder, args, data_dir=None, python=sys.executable,
           command=("-m", "tf1_mnist", "run")):
    """``python -m tf1_mnist run ARGS`` (or ``command``) in ``folder``: (status, out, err)."""
    process = subprocess.Popen([python] + list(command) + list(args), cwd=folder,
                               env=run_env(data_dir), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def ours(err):
    """tf1-mnist's lines on stderr (TensorFlow's own warnings aside)."""
    return [line for line in err.splitlines()
            if line.startswith(("tf1-mnist", "error:", "Traceback"))]


# --- the Keras tutorials' networks, trained by epochs ---------------------------------

EPOCH_LINE = re.compile(r"^Epoch (\d+)/(\d+) \t\| Loss = [0-9.]+ \t\| Accuracy = [0-9.]+ \t\| "
                        r"Validation accuracy = ([0-9.]+|-) \t\| [0-9.]+ s$")


def small_arrays(seed=0, n_train=200, n_test=40):
    """Random MNIST-shaped arrays, as ``data.load_arrays`` returns them."""
    rng = np.random.RandomState(seed)
    return {"train_images": rng.randint(0, 256, (n_train, 28, 28)).astype(np.uint8),
            "train_labels": rng.randint(0, 10, n_train).astype(np.uint8),
            "test_images": rng.randint(0, 256, (n_test, 28, 28)).astype(np.uint8),
            "test_labels": rng.randint(0, 10, n_test).astype(np.uint8)}
