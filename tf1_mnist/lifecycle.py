"""The process's lifecycle: the exit statuses in one table, and a Ctrl-C or SIGTERM from
the moment the command line starts to the moment it exits.

SIGINT (Ctrl-C) and SIGTERM (``docker stop``, Kubernetes) end the work the same way: the
signal is noted, a KeyboardInterrupt stops what runs, the commit points check the note
(a library may have swallowed the exception), and the process ends after one line with
the status a shell gives a process ended by that signal.
"""
import contextlib
import enum
import os
import signal
import sys


@enum.unique
class ExitStatus(enum.IntEnum):
    """Every status the command line exits with (each once: ``unique``)."""
    SUCCESS = 0
    ERROR = 1  # a mistake said in one line: a UserError, an unreadable image, a failed cell
    USAGE = 2  # a bad flag (argparse's own)
    INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C
    STOPPED = 128 + signal.SIGTERM  # 143: docker stop, Kubernetes


def install_handlers():
    """SIGINT and SIGTERM end the work as Ctrl-C does, where they still have Python's
    defaults (an ignored SIGINT, as under nohup, stays ignored). As a container's PID 1
    the process would otherwise ignore SIGTERM until Docker's SIGKILL, 10 s later."""
    for signum, default in ((signal.SIGINT, signal.default_int_handler),
                            (signal.SIGTERM, signal.SIG_DFL)):
        if signal.getsignal(signum) is default:
            signal.signal(signum, _on_signal)


def _on_signal(signum, frame):
    note_interrupt(signum)
    if _swallows_exceptions(frame):
        # Python would print this interrupt as "Exception ignored in ..." with a
        # traceback, and carry on: deliver the signal again a moment later instead.
        import threading

        threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
        return
    raise KeyboardInterrupt


def _swallows_exceptions(frame):
    """Whether ``frame`` is a callback whose exceptions Python only reports: a weakref
    callback of the import system's module locks (seen when SIGINT lands during
    ``import tensorflow``) or a ``__del__``."""
    if frame is None:
        return False
    code = frame.f_code
    return code.co_name == "__del__" or (code.co_name == "cb" and
                                         "importlib" in code.co_filename)


def end_interrupted():
    """Say what stopped the work on one line, and end the process with its status.

    Ending here, not by returning: TensorFlow 2.x can keep a copy of the interrupt in
    its pybind11 layer and raise it again at shutdown, which ended a run killed by SIGINT
    (-2) after the line was printed (seen once in CI). Files are already whole and the
    model directory's lock released by then. (TF 1.15 could also hang at exit closing a
    cluster task's session or tf.train.Server.)"""
    from tf1_mnist.errors import one_line

    what, status = interruption()
    print(one_line("{}; nothing was saved, the previous model (if any) is unchanged".format(
        what)), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


_interrupted = []


def note_interrupt(signum=signal.SIGINT):
    """Remember a SIGINT or SIGTERM (the command line's handler calls this before
    raising KeyboardInterrupt)."""
    _interrupted.append(signum)


def interruption():
    """``(what, exit status)`` of the signal that stopped the work: Ctrl-C (SIGINT) is
    "interrupted" and 130, ``docker stop`` or Kubernetes (SIGTERM) "stopped by SIGTERM"
    and 143, as a shell reports a process ended by either."""
    signum = _interrupted[-1] if _interrupted else signal.SIGINT
    if signum == signal.SIGTERM:
        return "stopped by SIGTERM", ExitStatus.STOPPED
    return "interrupted", ExitStatus.INTERRUPTED


def check_interrupted():
    """Raise KeyboardInterrupt if a Ctrl-C arrived, even one whose KeyboardInterrupt a
    library's bare ``except`` swallowed: the commit points call this."""
    if _interrupted:
        raise KeyboardInterrupt


def interrupted():
    """Whether a Ctrl-C or SIGTERM has been noted (and not cleared)."""
    return bool(_interrupted)


def clear_interrupt():
    """Forget a Ctrl-C or SIGTERM that was handled (``serve`` stops on one, as it
    should)."""
    del _interrupted[:]


@contextlib.contextmanager
def signals_noted():
    """Within: SIGINT and SIGTERM are only noted, and ``check_interrupted`` raises. For
    loops that wait in TensorFlow's C++ code, where a KeyboardInterrupt raised by a
    handler can be mangled (TF 2.x's pybind11: a RuntimeError instead)."""
    def note(signum, frame):
        note_interrupt(signum)

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
