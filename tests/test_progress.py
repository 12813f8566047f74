"""tf1_mnist/progress.py: tqdm's bar on a terminal, nothing off one."""
import io

from conftest import EPOCH_LINE, small_arrays
from tf1_mnist.recipes import configure
from tf1_mnist.train import Monitor, train


def test_progress_bar_on_a_terminal(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    terminal = Terminal()
    lines = []
    train(small_arrays(), str(tmp_path / "m"),
          configure("ann-300-200-100", seed=0, hparams={"epochs": 1}),
          Monitor(log=lines.append, progress=terminal))
    shown = terminal.getvalue()
    assert "\rEpoch 1/1:" in shown and "/7 [" in shown  # tqdm's bar, one step per batch
    assert EPOCH_LINE.match(lines[0])


def test_no_progress_bar_off_a_terminal(tmp_path):
    log = io.StringIO()
    train(small_arrays(), str(tmp_path / "m"),
          configure("ann-300-200-100", seed=0, hparams={"epochs": 1}),
          Monitor(log=lambda line: None, progress=log))
    assert log.getvalue() == ""
