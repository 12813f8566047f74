"""How a run ends when it is stopped: Ctrl-C at any moment and SIGTERM (docker stop),
one line, exit 130 or 143, never a traceback, the previous model intact."""
import shutil
import signal
import time

import pytest

from conftest import start_interruptible, train_command
from tf1_mnist import checkpoint

@pytest.mark.parametrize("delay", [0.1, 0.25, 1.0, 2.5, 4.0])
@pytest.mark.slow
def test_ctrl_c_at_any_moment(tmp_path, mnist_dir, delay, trained_model):
    """SIGINT early (while importing), during training or saving: one line, exit 130,
    never a traceback, and the previous model is intact."""
    model_dir = str(tmp_path / "model")
    shutil.copytree(trained_model[0], model_dir)
    before = checkpoint.load_description(model_dir)
    process = start_interruptible(train_command(model_dir, mnist_dir, "--seed", "7"))
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert "Traceback" not in err, err
    if process.returncode == 0:  # finished before the signal arrived: nothing to test
        pytest.skip("the run finished within {} s".format(delay))
    assert process.returncode == 130, err
    assert len(err.strip().splitlines()) <= 1 and "Model saved" not in out
    assert checkpoint.load_description(model_dir) == before


def _wait_for_output(process, text, limit=200):
    """Read ``process``'s stdout line by line until one holds ``text``."""
    lines = []
    for _ in range(limit):
        line = process.stdout.readline()
        lines.append(line)
        if text in line or not line:
            break
    assert text in lines[-1], "".join(lines)


@pytest.mark.slow
def test_sigterm_stops_training_like_ctrl_c(tmp_path, mnist_dir, trained_model):
    """docker stop / Kubernetes send SIGTERM: one line, exit 143 (128 + 15), the previous
    model intact, at once rather than at Docker's SIGKILL 10 s later."""
    model_dir = str(tmp_path / "model")
    shutil.copytree(trained_model[0], model_dir)
    before = checkpoint.load_description(model_dir)
    process = start_interruptible(train_command(model_dir, mnist_dir, "--n-iterations", "200000"))
    _wait_for_output(process, "Iteration 100 ")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143, err
    assert err.strip().splitlines()[-1] == ("error: stopped by SIGTERM; nothing was saved, the "
                                           "previous model (if any) is unchanged")
    assert "Traceback" not in err and "Model saved" not in out
    assert checkpoint.load_description(model_dir) == before
