"""Training on TensorFlow's parameter-server runtime: 1 ps + 2 workers on loopback, as
separate processes, configured by TF_CONFIG."""
import json
import re
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import PROJECT_IMAGE, ROOT, run_cli
from tf1_mnist import checkpoint, cluster
from tf1_mnist.errors import UserError


def _ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _start(cluster, kind, index, args, log_path):
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CONFIG=json.dumps(
        {"cluster": cluster, "task": {"type": kind, "index": index}}))
    log = open(log_path, "w")
    return subprocess.Popen([sys.executable, "-m", "tf1_mnist", "train"] + args, cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT,
                            universal_newlines=True), log


def _cluster():
    ps, w0, w1 = _ports(3)
    return {"ps": ["127.0.0.1:%d" % ps],
            "worker": ["127.0.0.1:%d" % w0, "127.0.0.1:%d" % w1]}


def _finish(processes, timeout):
    end = time.time() + timeout
    codes = []
    for process, log in processes:
        try:
            codes.append(process.wait(max(1, end - time.time())))
        except subprocess.TimeoutExpired:
            for p, _ in processes:
                p.kill()
            raise AssertionError("a task hung past {} s: {}".format(timeout, [
                (os.path.basename(l.name), _read(l.name)[-1500:]) for _, l in processes]))
        finally:
            log.close()
    return codes


def _read(path):
    with open(path) as f:
        return f.read()


@pytest.mark.slow
def test_one_ps_two_workers_train_the_tutorial(tmp_path, mnist_dir):
    cluster = _cluster()
    model_dir = str(tmp_path / "model")
    common = ["--seed", "0", "--data-dir", mnist_dir, "--model-dir", model_dir,
              "--timeout", "120"]
    logs = [str(tmp_path / n) for n in ("ps.log", "w0.log", "w1.log")]
    tasks = [_start(cluster, "ps", 0, ["--timeout", "120"], logs[0]),
             _start(cluster, "worker", 0, common, logs[1]),
             _start(cluster, "worker", 1, common, logs[2])]
    assert _finish(tasks, 400) == [0, 0, 0], [_read(p)[-2000:] for p in logs]
    ps, chief, other = (_read(p) for p in logs)
    assert "ps 0: all workers are done; stopping" in ps
    assert "Iteration 0 \t| Loss = " in chief and "Model saved to" in chief
    accuracy = float([line for line in chief.splitlines()
                      if line.startswith("Accuracy on test set: ")][0].split(": ")[1])
    assert accuracy >= 0.90
    assert "Worker 1 done; worker 0 saves the model" in other and "Iteration" not in other
    description = checkpoint.load_description(model_dir)
    steps = description["cluster"].pop("global_steps")
    assert description["cluster"] == {"ps": 1, "worker": 2, "mode": "async"}
    # Asynchronous: each worker may take one step past the 1000 before it sees the stop.
    assert 1000 <= steps <= 1002, steps
    code, out, err = run_cli(["predict", PROJECT_IMAGE, "--model-dir", model_dir])
    assert code == 0 and out.startswith("Prediction for test image: 7"), err


@pytest.mark.slow
def test_a_dead_worker_stops_the_others_with_one_line(tmp_path, mnist_dir):
    """Synchronous training cannot go on without worker 1: killed, the chief and the ps
    each stop with one line within the timeout."""
    cluster = _cluster()
    common = ["--seed", "0", "--data-dir", mnist_dir, "--model-dir", str(tmp_path / "model"),
              "--sync", "--timeout", "20", "--n-iterations", "100000"]
    logs = [str(tmp_path / n) for n in ("ps.log", "w0.log", "w1.log")]
    ps = _start(cluster, "ps", 0, ["--timeout", "20"], logs[0])
    chief = _start(cluster, "worker", 0, common, logs[1])
    worker = _start(cluster, "worker", 1, common, logs[2])
    for _ in range(600):  # until the chief is training
        if "Iteration 0 \t|" in _read(logs[1]):
            break
        assert chief[0].poll() is None, _read(logs[1])[-2000:]
        time.sleep(0.25)
    worker[0].send_signal(signal.SIGKILL)
    codes = _finish([chief, ps], 180)
    _finish([worker], 10)
    chief_log, ps_log = _read(logs[1]), _read(logs[0])
    assert codes == [1, 1], (chief_log[-2000:], ps_log[-2000:])
    for text in (chief_log, ps_log):
        assert "Traceback" not in text
        assert len([line for line in text.splitlines() if line.startswith("error: ")]) == 1
    assert re.search(r"error: worker 0: (the cluster stopped answering|no progress for)",
                     chief_log)
    assert re.search(r"error: ps 0: (\d of 2 workers did not finish within 20 s|no word from "
                     r"the workers for 35 s)", ps_log)
    assert not os.path.exists(str(tmp_path / "model" / "model.json"))


@pytest.mark.parametrize("config, message", [
    ("{", "is not valid JSON"),
    ('{"task": {"type": "worker", "index": 0}}', "has no \"cluster\""),
    ('{"cluster": {"ps": [], "worker": ["a:1"]}, "task": {"type": "ps", "index": 0}}',
     "cluster.ps must be a non-empty list"),
    ('{"cluster": {"ps": ["a:1"], "worker": ["a:2"], "chief": ["a:3"]}, '
     '"task": {"type": "worker", "index": 0}}', "cluster.chief is not supported"),
    ('{"cluster": {"ps": ["a:1"], "worker": ["a:2"]}, "task": {"type": "worker", "index": 1}}',
     "\"task\" must be"),
    ('{"cluster": {"ps": ["a:1"], "worker": ["a:2"]}, "task": {"type": "evaluator"}}',
     "\"task\" must be"),
])
def test_bad_tf_config_is_one_line(config, message):
    with pytest.raises(UserError) as info:
        cluster.from_environment({"TF_CONFIG": config})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_no_tf_config_means_local_training():
    assert cluster.from_environment({}) is None
    assert cluster.from_environment({"TF_CONFIG": " "}) is None


@pytest.mark.slow
def test_sigterm_stops_a_waiting_ps_at_once(tmp_path):
    """A ps blocks in TensorFlow waiting for its workers; it still takes SIGTERM (docker
    stop) within its one-second waits: one line, exit 143."""
    cluster = _cluster()
    ps = _start(cluster, "ps", 0, ["--timeout", "300"], str(tmp_path / "ps.log"))
    deadline = time.time() + 300
    while "waiting for 2 workers" not in _read(str(tmp_path / "ps.log")):
        assert ps[0].poll() is None and time.time() < deadline, _read(str(tmp_path / "ps.log"))
        time.sleep(0.1)
    ps[0].send_signal(signal.SIGTERM)
    code, = _finish([ps], timeout=30)
    log = _read(str(tmp_path / "ps.log"))
    assert code == 143, log
    assert log.strip().splitlines()[-1].startswith("error: stopped by SIGTERM;"), log
    assert "Traceback" not in log
