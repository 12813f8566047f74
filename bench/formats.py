"""Benchmark `export`'s formats: for the seed-0 MLP and a one-epoch LeNet, each format's
size, test accuracy, agreement with the restored model on the 10,000 test digits and the
time one prediction takes in its runtime, on this stack.

TF Lite's interpreter and ONNX Runtime run one image per call in this process. The web
page (ONNX Runtime Web, WebAssembly, one thread) runs in headless Chromium, served on
127.0.0.1 (Python 3.8+ with selenium, Debian's chromium and chromium-driver, and ONNX
Runtime Web's npm package from --runtime or $TF1_MNIST_ORT_WEB; otherwise its row is left
out, saying why).

    python bench/formats.py [--out reports/formats-py311.md]
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import common  # noqa: E402  (puts the project on the import path)

import numpy as np  # noqa: E402

from tf1_mnist import data, export  # noqa: E402
from tf1_mnist.checkpoint import open_model  # noqa: E402
from tf1_mnist.recipes import configure  # noqa: E402

RUNTIMES = {"tflite": "TF Lite interpreter", "tflite-int8": "TF Lite interpreter",
            "onnx": "ONNX Runtime", "web": "ONNX Runtime Web in Chromium"}
WEB_TIMED = 1000  # single-image predictions timed in the browser


def models(arrays, directory, mlp_dir, lenet_dir):
    from tf1_mnist.train import Monitor, train

    quiet = Monitor(log=lambda line: None)
    if not mlp_dir:
        mlp_dir = os.path.join(directory, "mlp")
        train(arrays, mlp_dir, configure(seed=0), quiet)
    if not lenet_dir:
        lenet_dir = os.path.join(directory, "lenet")
        train(arrays, lenet_dir, configure("lenet", epochs=1, seed=0), quiet)
    return {"do-mlp": mlp_dir, "lenet": lenet_dir}


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


WEB_SCRIPT = """
var done = arguments[arguments.length - 1], timed = arguments[0];
fetch("test-images.bin").then(function (r) { return r.arrayBuffer(); }).then(function (b) {
  var pixels = new Uint8Array(b), inputs = [];
  for (var i = 0; i < pixels.length / 784; i++) {
    var x = new Float32Array(784);
    for (var k = 0; k < 784; k++) x[k] = pixels[784 * i + k] / 255;
    inputs.push(x);
  }
  return window.tf1mnist.run([inputs[0]]).then(function () {  // warm up
    var start = performance.now(), chain = Promise.resolve();
    inputs.slice(0, timed).forEach(function (x) {
      chain = chain.then(function () { return window.tf1mnist.run([x]); });
    });
    return chain.then(function () {
      var ms = (performance.now() - start) / timed;
      return window.tf1mnist.run(inputs).then(function (rows) {
        done({ms: ms, classes: rows.map(function (p) {
          return p.indexOf(Math.max.apply(null, p)); })});
      });
    });
  });
}).catch(function (e) { done({error: String(e)}); });
"""


def web_row(model_dir, arrays, directory, runtime):
    """The page's measurements, or the reason there are none."""
    missing = [what for what, ok in (
        ("selenium (Python 3.8+)", _has("selenium")), ("chromium", shutil.which("chromium")),
        ("chromedriver", shutil.which("chromedriver")),
        ("ONNX Runtime Web (--runtime)", runtime or os.environ.get("TF1_MNIST_ORT_WEB")))
        if not ok]
    if missing:
        return "no " + ", ".join(missing)
    out = os.path.join(directory, "web-" + os.path.basename(model_dir))
    result = export.export_web(open_model(model_dir), out, arrays, runtime=runtime)
    with open(os.path.join(out, "test-images.bin"), "wb") as f:
        f.write(arrays["test_images"].tobytes())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1"], cwd=out, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    driver = _browser()
    try:
        time.sleep(1)
        driver.get("http://127.0.0.1:{}/".format(port))
        driver.set_script_timeout(600)
        answer = driver.execute_async_script(WEB_SCRIPT, WEB_TIMED)
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)
    if "error" in answer:
        return "the page failed: " + answer["error"]
    classes = np.array(answer["classes"])
    return dict(result, bytes=result["total_bytes"], seconds_per_image=answer["ms"] / 1000,
                accuracy=float(np.mean(classes == arrays["test_labels"])),
                agreement=float(np.mean(classes == reference(model_dir, arrays))))


def reference(model_dir, arrays):
    from tf1_mnist.restore import Predictor

    with Predictor(open_model(model_dir)) as predictor:
        return predictor.predictions(data.scale(arrays["test_images"].reshape(-1, 784)))


def _has(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--mlp-dir", default=None, help="a faithful MLP model (else trained)")
    parser.add_argument("--lenet-dir", default=None, help="a LeNet model (else trained)")
    parser.add_argument("--runtime", default=None, help="ONNX Runtime Web's npm package")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args()
    common.check_out(args.out)
    arrays = data.load_mnist(args.data_dir, download=False)
    lines = [common.stack() + "; one image per prediction; the seed-0 MLP (the tutorial's "
             "recipe) and LeNet after one epoch (seed 0)", "",
             "| network | format | size (bytes) | test accuracy | same class as the model | "
             "ms per image | runtime |", "| --- | --- | --- | --- | --- | --- | --- |"]
    notes = []
    print("\n".join(lines))
    with tempfile.TemporaryDirectory() as tmp:
        for network, model_dir in models(arrays, tmp, args.mlp_dir, args.lenet_dir).items():
            for fmt in ("tflite", "tflite-int8", "onnx", "web"):
                if fmt == "web":
                    r = web_row(model_dir, arrays, tmp, args.runtime)
                else:
                    r = export.converted(open_model(model_dir), arrays, fmt)[1]
                if isinstance(r, str):
                    notes.append("{} {}: {}".format(network, fmt, r))
                    continue
                accuracy = "{:.4f}".format(r["accuracy"])
                if "reference_accuracy" in r and fmt != "tflite-int8":
                    accuracy += " (model {:.4f})".format(r["reference_accuracy"])
                lines.append("| {} | {} | {:,} | {} | {:.2%} | {:.3f} | {} |".format(
                    network, fmt + (" (folder)" if fmt == "web" else ""), r["bytes"], accuracy,
                    r["agreement"], 1000 * r["seconds_per_image"], RUNTIMES[fmt]))
                print(lines[-1], flush=True)
    if notes:
        lines += [""] + ["Not measured: " + note for note in notes]
        print("\n".join(lines[-len(notes) - 1:]))
    common.write_out(args.out, lines)


if __name__ == "__main__":
    common.run(main)
