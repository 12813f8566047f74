"""`tf1-mnist serve`: TF Serving's REST API, the image endpoint, every bad request, many
clients at once, and the drawing page in a real browser (headless Chromium)."""
import json
import os
import re
import signal
import socket
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

from conftest import PROJECT_IMAGE, ROOT, draw, draw_clear_upload, wait_for
from tf1_mnist import data, images


class Server(object):
    """`python -m tf1_mnist serve --port 0` in a subprocess; .url once it is ready."""

    def __init__(self, model_dir, *extra):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tf1_mnist", "serve", "--model-dir", model_dir, "--port",
             "0"] + list(extra),
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
    from tf1_mnist.checkpoint import open_model
    from tf1_mnist.restore import Predictor
    x, labels = _test_digits(mnist_dir)
    with Predictor(open_model(trained_model[0])) as predictor:
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


def _port_of(server):
    return int(server.url.rstrip("/").rsplit(":", 1)[1])


def _instances_body(n=1):
    return json.dumps({"instances": [[0.5] * 784] * n}).encode("utf-8")


def _wait_until_refused(port, seconds=60):
    """Until the server stops accepting (it closes its socket once it notes the signal)."""
    deadline = time.time() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        except OSError:
            return
        assert time.time() < deadline, "still accepting {} s after SIGTERM".format(seconds)
        time.sleep(0.05)


@pytest.mark.slow
def test_sigterm_finishes_requests_under_way_then_exits_0(trained_model):
    """docker stop sends SIGTERM: the server stops accepting, answers the request it is
    reading, exits 0 with "Stopped."; each request was one access line."""
    running = Server(trained_model[0])
    status, _ = call(running, "/v1/models/mnist")
    assert status == 200
    body = _instances_body(3)
    client = socket.create_connection(("127.0.0.1", _port_of(running)), timeout=30)
    # "Expect: 100-continue": the server says when it has read the headers, so the signal
    # comes while it is reading this request, however loaded the machine is.
    client.sendall("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nContent-Type: "
                   "application/json\r\nExpect: 100-continue\r\nContent-Length: {}\r\n"
                   "\r\n".format(len(body)).encode("ascii") + body[:len(body) // 2])
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = client.recv(65536)
        assert chunk, answer
        answer += chunk
    assert answer == b"HTTP/1.1 100 Continue\r\n\r\n"
    running.process.send_signal(signal.SIGTERM)
    _wait_until_refused(_port_of(running))
    client.sendall(body[len(body) // 2:])
    answer = b""
    while b"}]}" not in answer:
        chunk = client.recv(65536)
        assert chunk, answer
        answer += chunk
    client.close()
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"predictions"' in answer
    out, err = running.process.communicate(timeout=30)
    assert running.process.returncode == 0 and out.strip().endswith("Stopped."), err
    assert "Traceback" not in err
    assert re.search(r'^127\.0\.0\.1 "GET /v1/models/mnist" 200 \d+\.\d ms$', out, re.M), out
    assert re.search(r'^127\.0\.0\.1 "POST /v1/models/mnist:predict" 200 \d+\.\d ms$', out,
                     re.M), out


@pytest.mark.slow
def test_quiet_serves_without_access_lines(trained_model):
    running = Server(trained_model[0], "--quiet")
    assert call(running, "/v1/models/mnist")[0] == 200
    code, out, err = running.stop()
    assert code == 0 and out.strip().splitlines() == ["Stopped."], out  # the first line was read


@pytest.mark.slow
def test_slow_and_idle_clients_do_not_shut_out_others(server):
    """300 clients that send headers but never the body, and 100 that send nothing (a
    slow-loris attack from one machine): a normal request is still answered (waitress's
    default 100 connections would queue it behind them for 120 s)."""
    port, sockets = _port_of(server), []
    try:
        for i in range(400):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i < 300:
                s.sendall(b"POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 100000\r\n\r\n[")
            sockets.append(s)
        request = Request(server.url + "v1/models/mnist:predict", data=_instances_body())
        with urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert len(json.loads(response.read().decode())["predictions"]) == 1
    finally:
        for s in sockets:
            s.close()


@pytest.mark.parametrize("body", [
    b"[" * 100000 + b"]" * 100000,  # deep nesting: RecursionError in json
    b'{"instances": ' + b"[" * 50000 + b"0" + b"]" * 50000 + b"}",
    b'{"instances": [[' + b"9" * 5000 + b"]]}",  # a 5,000-digit integer
    b'{"instances": [[1e400]]}',  # a float that overflows to infinity
    json.dumps({"instances": [["0.5"] * 784]}).encode(),  # strings, not numbers
    json.dumps({"instances": [[True] * 784]}).encode(),
    json.dumps({"instances": [[None] * 784]}).encode(),
    json.dumps({"instances": [[[{"a": 1}]] * 784]}).encode(),  # an object at depth
    json.dumps({"instances": [[0.5] * 784, [0.5] * 783]}).encode(),  # ragged
    json.dumps({"instances": [[[0.5] * 28] * 27 + [[0.5] * 29]]}).encode(),
    json.dumps({"instances": {"images": {"images": [0.5] * 784}}}).encode(),
    json.dumps({"instances": [[2 ** 70] * 784]}).encode(),  # beyond int64
])
def test_hostile_json_is_a_400_with_an_error(server, body):
    status, answer = call(server, "/v1/models/mnist:predict", body)
    assert status == 400 and set(answer) == {"error"}, answer


def test_serve_without_a_model_is_one_line(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "tf1_mnist", "serve", "--model-dir",
                                str(tmp_path / "none")], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and err.startswith("error: no trained model in")
    assert len(err.strip().splitlines()) == 1


# --- the page, in headless Chromium (the browser fixture is in conftest.py) ----------

@pytest.mark.slow
def test_drawing_page_draw_clear_upload(server, browser):
    draw_clear_upload(browser, server.url)
    screenshot = os.environ.get("TF1_MNIST_SCREENSHOT")
    if screenshot:  # how the README's picture is made
        browser.find_element("id", "clear").click()
        draw(browser, [[(95, 75), (125, 58), (165, 55), (190, 75), (192, 105), (175, 135),
                         (140, 165), (105, 200), (90, 222), (120, 220), (160, 218),
                         (200, 220)]])  # a 2
        wait_for(browser, "prediction", lambda v: v != "")
        time.sleep(0.5)
        browser.save_screenshot(screenshot)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
