"""Benchmark `tf1-mnist serve`: requests per second and p50/p95 latency of one-image
predictions, with 1 and with 20 concurrent clients, and under hostile load (300 slow
clients connected; 400 concurrent clients), measured in this run.

Two kinds of request: POST /v1/images:predict with the project's test_img.png (decode
and preprocess on the server, as `predict` does), and POST /v1/models/mnist:predict with
one 784-float instance (TF Serving's REST API). The server is `python -m tf1_mnist
serve` in its own process on loopback; the clients are threads in this one.

The hostile rows are measured twice: against `serve` as it is, and against the same
server with waitress's default settings (100 connections, idle ones kept 120 s) as the
baseline, started in the same run.

Usage: python bench/serve_bench.py --model-dir model [--requests 400]
(without --model-dir, the faithful MLP is trained first, seed 0, from $TF1_MNIST_DATA_DIR)
"""
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

import common  # noqa: E402  (puts the project on the import path)
from common import ROOT  # noqa: E402

from tf1_mnist import data  # noqa: E402
from tf1_mnist.errors import UserError  # noqa: E402


# `serve`, optionally with waitress's defaults in place of SERVER_SETTINGS (the baseline).
SERVER = """import sys
from tf1_mnist import cli, serve
if sys.argv[2] == "defaults":
    serve.SERVER_SETTINGS = {"threads": serve.SERVER_SETTINGS["threads"],
                             "connection_limit": 100, "channel_timeout": 120,
                             "cleanup_interval": 30}  # waitress's own defaults
    serve.REQUEST_SECONDS = float("inf")
sys.exit(cli.main(["serve", "--model-dir", sys.argv[1], "--port", "0", "--quiet"]))
"""


def start_server(model_dir, settings="ours"):
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, model_dir, settings],
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


def slow_clients(url, count):
    """``count`` sockets that send a request's headers and the start of its body, and
    then nothing (a slow-loris attack); the caller closes them."""
    import socket

    host, port = url.split("//")[1].rstrip("/").split(":")
    sockets = []
    for _ in range(count):
        s = socket.create_connection((host, int(port)), timeout=10)
        s.sendall(b"POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 100000\r\n\r\n[")
        sockets.append(s)
    return sockets


def answered(url, path, body, total, timeout):
    """One client sending ``total`` requests one after another, each given ``timeout``
    seconds: (answered, requests/s of those answered, p50 ms, p95 ms)."""
    latencies = []
    start = time.perf_counter()
    for _ in range(total):
        t = time.perf_counter()
        try:
            with urlopen(Request(url + path, data=body), timeout=timeout) as response:
                response.read()
        except Exception:  # no answer in time: counted as not answered
            continue
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - start
    if not latencies:
        return 0, 0.0, None, None
    latencies.sort()
    return (len(latencies), len(latencies) / elapsed, 1000 * statistics.median(latencies),
            1000 * latencies[int(0.95 * (len(latencies) - 1))])


def hostile_rows(model_dir, instance, requests):
    """The hostile cases against ``serve`` and against waitress's defaults."""
    rows = ["", "Under hostile load (784 floats, /v1/models/mnist:predict; each request given "
            "10 s):", "",
            "| case | server settings | answered | requests/s | p50 latency (ms) | "
            "p95 latency (ms) |", "| --- | --- | --- | --- | --- | --- |"]
    for line in rows:
        print(line)
    for settings, label in (("ours", "serve's"), ("defaults", "waitress defaults")):
        process, url = start_server(model_dir, settings)
        try:
            sockets = slow_clients(url, 300)
            try:
                total = requests if settings == "ours" else 3  # the baseline waits 10 s each
                got, rate, p50, p95 = answered(url, "v1/models/mnist:predict", instance,
                                               total, timeout=10)
            finally:
                for sock in sockets:
                    sock.close()
            rows.append(_row("1 client, 300 slow clients connected", label, got, total, rate,
                             p50, p95))
            print(rows[-1])
            rate, p50, p95 = load(url, "v1/models/mnist:predict", instance, 400, 400)
            rows.append(_row("400 concurrent clients, 1 request each", label, 400, 400, rate,
                             p50, p95))
            print(rows[-1])
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=60)
    return rows


def _row(case, label, got, total, rate, p50, p95):
    if not got:
        return "| {} | {} | 0 of {} | - | - | - |".format(case, label, total)
    return "| {} | {} | {} of {} | {:.0f} | {:.1f} | {:.1f} |".format(
        case, label, got, total, rate, p50, p95)


def main():
    parser = common.parser(__doc__, "MNIST, to train a model when --model-dir is not given")
    parser.add_argument("--model-dir", default=None, help="a trained model (else one is "
                        "trained)")
    parser.add_argument("--requests", type=int, default=400, help="requests per measurement")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model_dir
        if model_dir is None:
            from tf1_mnist.recipes import configure
            from tf1_mnist.train import Monitor, train
            model_dir = os.path.join(tmp, "model")
            train(data.load_mnist(args.data_dir, download=False), model_dir,
                  configure(seed=0), Monitor(log=lambda line: None))
        process, url = start_server(model_dir)
        try:
            with open(os.path.join(ROOT, "test_img.png"), "rb") as f:
                picture = f.read()
            arrays = data.load_mnist(args.data_dir, download=False)
            instance = json.dumps({"instances": [data.scale(
                arrays["test_images"][0].reshape(784)).tolist()]}).encode("utf-8")
            load(url, "v1/images:predict", picture, 4, 40)  # warm-up
            lines = ["{}, {} requests per row; server and clients on this machine".format(
                common.stack(), args.requests), "",
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
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=60)
        lines += hostile_rows(model_dir, instance, args.requests // 4)
        common.write_out(args.out, lines)


if __name__ == "__main__":
    common.run(main)
