"""tf1_mnist/static_page.py, `export --format web`: the drawing page as a static folder,
the network running in the browser. Served by `python -m http.server` on 127.0.0.1 and driven in headless Chromium:
drawing, clearing, uploading; its JavaScript preprocessing against `images.preprocess`;
its classes for the 10,000 test digits against `predict`'s."""
import os
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import numpy as np
import pytest
from PIL import Image

from conftest import PROJECT_IMAGE, TUTORIAL_IMAGE, draw_clear_upload, run_cli, wait_for
from tf1_mnist import data, images, static_page

RUNTIME = os.environ.get(static_page.RUNTIME_ENV)


def _runtime():
    if not RUNTIME:
        pytest.skip("${} does not name ONNX Runtime Web's npm package (`npm pack "
                    "onnxruntime-web@{}`; .ci/run sets it)".format(static_page.RUNTIME_ENV,
                                                                 static_page.ORT_WEB_VERSION))
    return RUNTIME


def _serve_file(directory, name):
    """A static server on 127.0.0.1 for ``directory``; returns (process, url of name)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                                "127.0.0.1"], cwd=str(directory), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:{}/{}".format(port, name)
    deadline = time.time() + 120
    while True:
        try:
            urlopen(url, timeout=1).close()
            return process, url
        except OSError:
            assert process.poll() is None and time.time() < deadline, "http.server never came up"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def page(trained_model, mnist_dir, tmp_path_factory):
    """The faithful MLP's page, served on a free loopback port, with MNIST's test images
    beside it (for the agreement test only)."""
    out = str(tmp_path_factory.mktemp("web") / "mnist-web")
    code, said, err = run_cli(["export", "--format", "web", "--model-dir", trained_model[0],
                               "--out", out, "--data-dir", mnist_dir, "--runtime", _runtime()])
    assert code == 0, err
    arrays = data.load_mnist(mnist_dir, download=False)
    with open(os.path.join(out, "test-images.bin"), "wb") as f:
        f.write(arrays["test_images"].tobytes())
    server, url = _serve_file(out, "")
    yield url, out, said
    server.terminate()
    server.wait(timeout=10)


def test_the_folder_is_whole_and_needs_no_server_code(page):
    _, out, said = page
    assert said.startswith("Web page written to {}/ (model.onnx ".format(out)), said
    assert sorted(os.listdir(out)) == ["index.html", "model.onnx", "static", "test-images.bin"]
    assert sorted(os.listdir(os.path.join(out, "static"))) == sorted(
        list(static_page.PAGE_FILES) + list(static_page.RUNTIME_FILES) +
        ["NOTICE-onnxruntime-web.txt"])
    with open(os.path.join(out, "static", static_page.NOTICE)) as f:
        assert f.readline().startswith("ONNX Runtime Web {} (npm package onnxruntime-web)"
                                       .format(static_page.ORT_WEB_VERSION))  # the files shipped
    html = open(os.path.join(out, "index.html"), encoding="utf-8").read()
    assert "http://" not in html and "https://" not in html  # no CDN
    for element in ("canvas", "clear", "prediction", "probabilities", "network-input",
                    "upload", "prediction-raw"):
        assert 'id="{}"'.format(element) in html


def _errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.slow
def test_draw_clear_upload_in_the_browser(page, browser):
    url, _, _ = page
    draw_clear_upload(browser, url)
    if os.path.exists(TUTORIAL_IMAGE):
        browser.find_element("id", "clear").click()
        browser.find_element("id", "upload").send_keys(os.path.abspath(TUTORIAL_IMAGE))
        assert wait_for(browser, "prediction", lambda v: v != "") == "2"
    assert not _errors(browser)


def _rendered(mnist_dir):
    """Grayscale images as people's arrive: MNIST digits drawn dark on light at several
    sizes (one large enough for the photo path's median filter), plus the project's and
    the tutorial's test images."""
    arrays = data.load_mnist(mnist_dir, download=False)
    out = []
    for i, size in enumerate((28, 40, 96, 200, 300)):
        digit = Image.fromarray(255 - arrays["test_images"][i]).resize((size, size),
                                                                         Image.BILINEAR)
        out.append(np.asarray(digit, dtype=np.float64) / 255.0)
    for path in (PROJECT_IMAGE, TUTORIAL_IMAGE):
        if os.path.exists(path):
            out.append(images.open_image(path))
    return out


@pytest.mark.slow
def test_javascript_preprocessing_matches_python(page, browser, mnist_dir):
    url, _, _ = page
    browser.get(url)
    for gray in _rendered(mnist_dir):
        height, width = gray.shape
        js = browser.execute_script(
            "return Array.from(window.tf1mnist.preprocess(arguments[0], arguments[1], "
            "arguments[2]));", gray.ravel().tolist(), width, height)
        expected = images.preprocess(gray)
        assert np.abs(np.array(js) - expected).max() < 1e-6, (gray.shape,)
    rgba = np.random.RandomState(0).randint(0, 256, (30, 40, 4)).astype(np.uint8)
    rgba[:10, :, 3] = 0  # transparency flattened as images._to_gray does
    js = browser.execute_script("return Array.from(window.tf1mnist.grayFromRGBA(arguments[0], "
                                "40, 30));", rgba.ravel().tolist())
    expected = images._to_gray(Image.fromarray(rgba, "RGBA"))
    np.testing.assert_allclose(np.array(js).reshape(30, 40), expected, atol=1e-9)
    assert not _errors(browser)


@pytest.mark.slow
def test_browser_classes_agree_with_predict(page, browser, trained_model, mnist_dir):
    """ONNX Runtime Web, in the page, on the 10,000 test digits: the restored model's
    class for at least 99.8% of them."""
    from tf1_mnist.checkpoint import open_model
    from tf1_mnist.restore import Predictor

    url, _, _ = page
    browser.get(url)
    browser.set_script_timeout(300)
    classes = browser.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch("test-images.bin").then(function (r) { return r.arrayBuffer(); })
          .then(function (buffer) {
            var pixels = new Uint8Array(buffer), inputs = [];
            for (var i = 0; i < pixels.length / 784; i++) {
              var x = new Float32Array(784);
              for (var k = 0; k < 784; k++) x[k] = pixels[784 * i + k] / 255;
              inputs.push(x);
            }
            return window.tf1mnist.run(inputs);
          })
          .then(function (rows) {
            done(rows.map(function (p) { return p.indexOf(Math.max.apply(null, p)); }));
          })
          .catch(function (e) { done(String(e)); });
    """)
    assert isinstance(classes, list), classes
    arrays = data.load_mnist(mnist_dir, download=False)
    with Predictor(open_model(trained_model[0])) as predictor:
        expected = predictor.predictions(data.scale(arrays["test_images"].reshape(-1, 784)))
    assert len(classes) == 10000
    assert np.mean(np.array(classes) == expected) >= 0.998
    assert not _errors(browser)


def test_web_mistakes_are_one_line(trained_model, tmp_path, mnist_dir):
    """No runtime, a damaged runtime, a folder that is not ours: one line, nothing
    written or removed."""
    mine = tmp_path / "precious"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(b"not a tarball")
    empty = tmp_path / "empty"
    empty.mkdir()
    for out, runtime, says in (
            (mine, RUNTIME or str(bad), "is not a page this command wrote"),
            (tmp_path / "a", str(bad), "cannot read it as the npm package's tarball"),
            (tmp_path / "b", str(empty), "has no ort.wasm.min.js"),
            (tmp_path / "c", str(tmp_path / "none.tgz"), "no such file or folder")):
        code, _, err = run_cli(["export", "--format", "web", "--model-dir", trained_model[0],
                                "--out", str(out), "--data-dir", mnist_dir,
                                "--runtime", runtime])
        assert code == 1 and says in err and len(err.strip().splitlines()) == 1, err
    assert os.listdir(str(mine)) == ["notes.txt"]
    assert sorted(os.listdir(str(tmp_path))) == ["bad.tgz", "empty", "precious"]
    code, _, err = run_cli(["export", "--format", "onnx", "--runtime", str(bad),
                            "--model-dir", trained_model[0]])
    assert code == 1 and err.startswith("error: --runtime applies to --format web"), err


def test_runtime_download_is_verified_and_cached(tmp_path, monkeypatch):
    """The npm registry stands in as a loopback server: a tarball whose files are not ONNX
    Runtime Web's is refused and nothing is cached; the real one is cached, then used
    without the network."""
    import io
    import tarfile

    from tf1_mnist.errors import UserError

    served = tmp_path / "registry"
    served.mkdir()
    with tarfile.open(str(served / static_page.TARBALL), "w:gz") as tar:
        for name in static_page.RUNTIME_FILES:
            info = tarfile.TarInfo("package/dist/" + name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"fake"))
    monkeypatch.delenv(static_page.RUNTIME_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    process, url = _serve_file(served, static_page.TARBALL)
    try:
        monkeypatch.setattr(static_page, "TARBALL_URL", url)
        with pytest.raises(UserError) as info:
            static_page.runtime()
        assert "(SHA-256 differs)" in str(info.value) and "\n" not in str(info.value)
        assert not os.path.exists(static_page.cache_dir())
        if RUNTIME and not os.path.isdir(RUNTIME):
            with open(RUNTIME, "rb") as real, open(str(served / static_page.TARBALL), "wb") as f:
                f.write(real.read())
            assert sorted(static_page.runtime()) == sorted(static_page.RUNTIME_FILES)
            assert os.listdir(static_page.cache_dir()) == [static_page.TARBALL]
    finally:
        process.terminate()
        process.wait(timeout=10)
    if RUNTIME and not os.path.isdir(RUNTIME):  # the server is gone: from the cache
        assert sorted(static_page.runtime(download=False)) == sorted(static_page.RUNTIME_FILES)
