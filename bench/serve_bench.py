"""Benchmark `tf1-mnist serve`: requests per second and p50/p95 latency of one-image
predictions, with 1 and with 20 concurrent clients, measured in this run.

Two kinds of request: POST /v1/images:predict with the project's test_img.png (decode
and preprocess on the server, as `predict` does), and POST /v1/models/mnist:predict with
one 784-float instance (TF Serving's REST API). The server is `python -m tf1_mnist
serve` in its own process on loopback; the clients are threads in this one.

Usage: python bench/serve_bench.py --model-dir model [--requests 400]
(without --model-dir, the faithful MLP is trained first, seed 0, from $TF1_MNIST_DATA_DIR)
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.request import Request, urlopen

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tf1_mnist import data  # noqa: E402
from tf1_mnist.errors import UserError  # noqa: E402


def start_server(model_dir):
    process = subprocess.Popen(
        [sys.executable, "-m", "tf1_mnist", "serve", "--model-dir", model_dir, "--port", "0"],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True)
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+/) ;", line)
    if not match:
        process.kill()
        raise UserError("the server did not start: " + process.stderr.read().strip()[-300:])
    return process, match.group(1)


def load(url, path, body, clients, total):
    """Send ``total`` requests from ``clients`` threads; (requests/s, p50 ms, p95 ms)."""
    latencies, errors = [], []
    per_client = total // clients

    def client():
        for _ in range(per_client):
            start = time.perf_counter()
            try:
                with urlopen(Request(url + path, data=body), timeout=60) as response:
                    response.read()
            except Exception as exc:  # a failed request is counted, not hidden
                errors.append(exc)
            latencies.append(time.perf_counter() - start)
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise UserError("{} of {} requests failed: {}".format(len(errors), len(latencies),
                                                               errors[0]))
    latencies.sort()
    return (len(latencies) / elapsed, 1000 * statistics.median(latencies),
            1000 * latencies[int(0.95 * (len(latencies) - 1))])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model-dir", default=None, help="a trained model (else one is "
                        "trained)")
    parser.add_argument("--data-dir", default=data.resolve_data_dir(),
                        help="MNIST, to train a model when --model-dir is not given")
    parser.add_argument("--requests", type=int, default=400, help="requests per measurement")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args()
    from tf1_mnist.compat import TF_VERSION

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model_dir
        if model_dir is None:
            from tf1_mnist.train import train
            model_dir = os.path.join(tmp, "model")
            train(data.load_mnist(args.data_dir, download=False), model_dir, seed=0,
                  log=lambda line: None)
        process, url = start_server(model_dir)
        try:
            with open(os.path.join(ROOT, "test_img.png"), "rb") as f:
                picture = f.read()
            arrays = data.load_mnist(args.data_dir, download=False)
            instance = json.dumps({"instances": [data.scale(
                arrays["test_images"][0].reshape(784)).tolist()]}).encode("utf-8")
            load(url, "v1/images:predict", picture, 4, 40)  # warm-up
            lines = ["Python {}, TensorFlow {}, {} CPUs, {} requests per row; server and "
                     "clients on this machine".format(sys.version.split()[0], TF_VERSION,
                                                      os.cpu_count(), args.requests), "",
                     "| request | clients | requests/s | p50 latency (ms) | p95 latency (ms) |",
                     "| --- | --- | --- | --- | --- |"]
            for line in lines:
                print(line)
            for name, path, body in (("image file, /v1/images:predict", "v1/images:predict",
                                      picture),
                                     ("784 floats, /v1/models/mnist:predict",
                                      "v1/models/mnist:predict", instance)):
                for clients in (1, 20):
                    rate, p50, p95 = load(url, path, body, clients, args.requests)
                    lines.append("| {} | {} | {:.0f} | {:.1f} | {:.1f} |".format(
                        name, clients, rate, p50, p95))
                    print(lines[-1])
            if args.out:
                from tf1_mnist import files
                files.write_file(args.out, "\n".join(lines) + "\n", what="table")
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=60)


if __name__ == "__main__":
    try:
        main()
    except UserError as exc:
        sys.exit("error: {}".format(exc))
