"""The one exception type the command line turns into a one-line message, and the
record of a Ctrl-C or SIGTERM that some library might have swallowed."""
import contextlib
import signal


class UserError(Exception):
    """A mistake the user can fix: the message says what was wrong and what to do.

    The command line prints ``error: <message>`` and exits non-zero instead of
    showing a traceback. Library callers can catch it like any exception.
    """

    def _render_traceback_(self):
        """What IPython shows instead of a traceback (a notebook under ``%load_ext
        tf1_mnist``): the command line's one line."""
        return [one_line(self)]


def first_line(exc):
    """The line of an exception's message that says what went wrong (TensorFlow's run to
    pages), or its type's name when it has none."""
    text = str(getattr(exc, "message", None) or getattr(exc, "strerror", None) or exc)
    return cause_line(text) or type(exc).__name__


def cause_line(text):
    """The first line of a message; of TensorFlow 2's "Graph execution error:", whose
    cause follows a "Node: ..." line after pages of stack, that line (e.g. "...: No
    space left on device")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0] == "Graph execution error:":
        after = [i + 1 for i, line in enumerate(lines) if line.startswith("Node:")]
        if after and after[0] < len(lines):
            return lines[after[0]]
    return lines[0] if lines else ""


def one_line(message):
    """``error: message`` on one line, whatever the message holds (a file name may
    contain a newline)."""
    return "error: " + str(message).replace("\r", "\\r").replace("\n", "\\n")


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
        return "stopped by SIGTERM", 128 + signum
    return "interrupted", 128 + signal.SIGINT


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
