"""The one exception type the command line turns into a one-line message, and the
record of a Ctrl-C that some library might have swallowed."""


class UserError(Exception):
    """A mistake the user can fix: the message says what was wrong and what to do.

    The command line prints ``error: <message>`` and exits non-zero instead of
    showing a traceback. Library callers can catch it like any exception.
    """


def one_line(message):
    """``error: message`` on one line, whatever the message holds (a file name may
    contain a newline)."""
    return "error: " + str(message).replace("\r", "\\r").replace("\n", "\\n")


_interrupted = []


def note_interrupt():
    """Remember a SIGINT (the command line's handler calls this before raising)."""
    _interrupted.append(True)


def check_interrupted():
    """Raise KeyboardInterrupt if a Ctrl-C arrived, even one whose KeyboardInterrupt a
    library's bare ``except`` swallowed: the commit points call this."""
    if _interrupted:
        raise KeyboardInterrupt


def clear_interrupt():
    """Forget a Ctrl-C that was handled (``serve`` stops on one, as it should)."""
    del _interrupted[:]
