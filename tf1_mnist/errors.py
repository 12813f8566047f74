"""The one exception type the command line turns into a one-line message, and the one
line an error becomes. (How a Ctrl-C or SIGTERM ends the process: ``lifecycle``.)"""


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
