"""`tf1-mnist serve`: TF Serving's REST API, the image endpoint, every bad request, many
clients at once, and the drawing page in a real browser (headless Chromium)."""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import numpy as np
import pytest

from conftest import PROJECT_IMAGE, ROOT
from tf1_mnist import data, images


class Server(object):
    """`python -m tf1_mnist serve --port 0` in a subprocess; .url once it is ready."""

    def __init__(self, model_dir):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tf1_mnist", "serve", "--model-dir", model_dir, "--port", "0"],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True)
        line = self.process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) ;", line)
        assert match, line + self.process.stderr.read()
        self.url = match.group(1)

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err


@pytest.fixture(scope="module")
def server(trained_model):
    running = Server(trained_model[0])
    yield running
    code, out, err = running.stop()
    assert code == 0 and "Stopped." in out and "Traceback" not in err, err


def call(server, path, body=None, method=None, headers=None):
    """(status, parsed JSON or text) of one request."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode("utf-8")
    request = Request(server.url + path.lstrip("/"), data=body, method=method,
                      headers=headers or {})
    try:
        with urlopen(request, timeout=60) as response:
            status, payload, kind = response.status, response.read(), response.headers
    except HTTPError as exc:
        status, payload, kind = exc.code, exc.read(), exc.headers
    if "json" in kind.get("Content-Type", ""):
        return status, json.loads(payload.decode("utf-8"))
    return status, payload.decode("utf-8", "replace")


def _test_digits(mnist_dir, n=5):
    arrays = data.load_mnist(mnist_dir, download=False)
    return data.scale(arrays["test_images"][:n].reshape(n, 784)), arrays["test_labels"][:n]


def test_status_and_metadata(server):
    status, body = call(server, "/v1/models/mnist")
    assert status == 200 and body["model_version_status"][0]["state"] == "AVAILABLE"
    status, body = call(server, "/v1/models/mnist/metadata")
    signature = body["metadata"]["signature_def"]["signature_def"]["serving_default"]
    assert status == 200 and set(signature["inputs"]) == {"images"}
    assert set(signature["outputs"]) == {"classes", "probabilities"}
    assert [d["size"] for d in signature["inputs"]["images"]["tensor_shape"]["dim"]] == \
        ["-1", "784"]


def test_predict_as_tf_serving_answers(server, trained_model, mnist_dir):
    from tf1_mnist.inference import Predictor
    x, labels = _test_digits(mnist_dir)
    with Predictor(trained_model[0]) as predictor:
        expected = predictor.probabilities(list(x))
    status, body = call(server, "/v1/models/mnist:predict", {"instances": x.tolist()})
    assert status == 200 and len(body["predictions"]) == 5
    classes = [p["classes"] for p in body["predictions"]]
    assert classes == list(np.argmax(expected, axis=1))
    np.testing.assert_allclose([p["probabilities"] for p in body["predictions"]], expected,
                               atol=1e-6)
    assert np.mean(np.array(classes) == labels) >= 0.8
    nested = {"instances": x.reshape(5, 28, 28).tolist()}  # 28x28 nested lists
    assert call(server, "/v1/models/mnist:predict", nested)[1] == body
    named = {"signature_name": "serving_default",
             "instances": [{"images": row} for row in x.tolist()]}
    assert call(server, "/v1/models/mnist:predict", named)[1] == body
    status, columnar = call(server, "/v1/models/mnist:predict", {"inputs": x.tolist()})
    assert status == 200 and columnar["outputs"]["classes"] == classes


def test_predict_an_image_file(server):
    with open(PROJECT_IMAGE, "rb") as f:
        status, body = call(server, "/v1/images:predict", f.read())
    assert status == 200 and body["prediction"] == 7
    assert abs(sum(body["probabilities"]) - 1) < 1e-4
    np.testing.assert_allclose(np.array(body["network_input"]).ravel(),
                               images.load_input(PROJECT_IMAGE), atol=1e-4)
    assert body["raw_prediction"] != 7  # the tutorial's raw feed misreads it (see README)


def _png_header(width, height):
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _blank_png():
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("L", (200, 200), 255).save(out, "PNG")
    return out.getvalue()


BAD_REQUESTS = [
    ("GET", "/v1/models/other", None, 404),
    ("GET", "/nothing/here", None, 404),
    ("GET", "/v1/models/mnist:predict", None, 405),
    ("PUT", "/v1/images:predict", b"x", 405),
    ("POST", "/", b"x", 405),
    ("POST", "/v1/models/mnist:predict", b"{not json", 400),
    ("POST", "/v1/models/mnist:predict", b"\xff\xfe", 400),
    ("POST", "/v1/models/mnist:predict", b"", 400),
    ("POST", "/v1/models/mnist:predict", b"[1, 2]", 400),
    ("POST", "/v1/models/mnist:predict", {"images": [[0] * 784]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": []}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": "abc"}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [[0.5] * 783]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [[[0.5] * 27] * 28]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [[0.5] * 784, [0.5] * 700]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [["a"] * 784]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [[2.0] * 784]}, 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [[-1.0] * 784]}, 400),
    ("POST", "/v1/models/mnist:predict", b'{"instances": [[NaN' + b', 0.5' * 783 + b']]}', 400),
    ("POST", "/v1/models/mnist:predict",
     b'{"instances": [[Infinity' + b', 0.5' * 783 + b']]}', 400),
    ("POST", "/v1/models/mnist:predict", {"instances": [{"pixels": [0] * 784}]}, 400),
    ("POST", "/v1/images:predict", b"", 400),
    ("POST", "/v1/images:predict", b"this is not an image", 400),
    ("POST", "/v1/images:predict", _png_header(12000, 12000), 400),  # decompression bomb
    ("POST", "/v1/images:predict", _blank_png(), 400),
    ("POST", "/v1/images:predict", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, 400),
]


def test_every_bad_request_is_a_4xx_with_an_error(server):
    for method, path, body, expected in BAD_REQUESTS:
        status, answer = call(server, path, body, method=method)
        assert status == expected, (method, path, status, answer)
        assert isinstance(answer, dict) and set(answer) == {"error"}, answer
        assert answer["error"] and "Traceback" not in answer["error"]
    status, answer = call(server, "/v1/images:predict", b"\0" * (11 * 1024 * 1024))
    assert status == 413 and "10 MB" in answer["error"]
    assert call(server, "/v1/models/mnist")[0] == 200  # no request killed the server


def test_twenty_clients_at_once(server, mnist_dir):
    x, _ = _test_digits(mnist_dir, 20)
    with open(PROJECT_IMAGE, "rb") as f:
        picture = f.read()
    expected = call(server, "/v1/models/mnist:predict", {"instances": x.tolist()})[1]
    failures = []

    def client(i):
        for j in range(5):
            if (i + j) % 2:
                status, body = call(server, "/v1/models/mnist:predict",
                                    {"instances": [x[i].tolist()]})
                want = expected["predictions"][i]
                got = body["predictions"][0] if status == 200 else {}
                ok = got.get("classes") == want["classes"] and np.allclose(
                    got["probabilities"], want["probabilities"], atol=1e-5)
            else:
                status, body = call(server, "/v1/images:predict", picture)
                ok = status == 200 and body["prediction"] == 7
            if not ok:
                failures.append((i, j, status, body))
    threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures[:3]


def test_sigterm_stops_the_server_cleanly(trained_model):
    """docker stop sends SIGTERM: the server stops as on Ctrl-C, with exit 0."""
    running = Server(trained_model[0])
    status, _ = call(running, "/v1/models/mnist")
    assert status == 200
    running.process.send_signal(signal.SIGTERM)
    out, err = running.process.communicate(timeout=30)
    assert running.process.returncode == 0 and out.strip().endswith("Stopped."), err
    assert "Traceback" not in err


def test_serve_without_a_model_is_one_line(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "tf1_mnist", "serve", "--model-dir",
                                str(tmp_path / "none")], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and err.startswith("error: no trained model in")
    assert len(err.strip().splitlines()) == 1


# --- the page, in headless Chromium ---------------------------------------------

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


def _text(driver, element_id):
    return driver.find_element("id", element_id).text.strip()


def _wait_for(driver, element_id, condition, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        value = _text(driver, element_id)
        if condition(value):
            return value
        time.sleep(0.1)
    raise AssertionError("#{} never satisfied the condition (last: {!r})".format(
        element_id, _text(driver, element_id)))


def _draw(driver, strokes):
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


def _ellipse(cx, cy, rx, ry, n=24):
    return [(int(cx + rx * np.sin(2 * np.pi * k / n)), int(cy - ry * np.cos(2 * np.pi * k / n)))
            for k in range(n + 1)]


def test_drawing_page_draw_clear_upload(server, browser):
    browser.get(server.url)
    assert _text(browser, "prediction") == "" and _text(browser, "prediction-raw") == ""
    _draw(browser, [[(140, 50 + 12 * k) for k in range(16)]])  # a 1, stroke by stroke
    assert _wait_for(browser, "prediction", lambda v: v != "") == "1"
    assert _wait_for(browser, "prediction-raw", lambda v: v != "")
    bars = browser.find_elements("css selector", "#probabilities .bar")
    assert len(bars) == 10 and "top" in bars[1].get_attribute("class")
    browser.find_element("id", "clear").click()
    assert _wait_for(browser, "prediction", lambda v: v == "") == ""
    _draw(browser, [_ellipse(140, 140, 55, 85)])  # a 0
    assert _wait_for(browser, "prediction", lambda v: v != "") == "0"
    browser.find_element("id", "clear").click()
    browser.find_element("id", "upload").send_keys(PROJECT_IMAGE)
    assert _wait_for(browser, "prediction", lambda v: v != "") == "7"
    screenshot = os.environ.get("TF1_MNIST_SCREENSHOT")
    if screenshot:  # how the README's picture is made
        browser.find_element("id", "clear").click()
        _draw(browser, [[(95, 75), (125, 58), (165, 55), (190, 75), (192, 105), (175, 135),
                         (140, 165), (105, 200), (90, 222), (120, 220), (160, 218),
                         (200, 220)]])  # a 2
        _wait_for(browser, "prediction", lambda v: v != "")
        time.sleep(0.5)
        browser.save_screenshot(screenshot)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
