"""The one exception type the command line turns into a one-line message."""


class UserError(Exception):
    """A mistake the user can fix: the message says what was wrong and what to do.

    The command line prints ``error: <message>`` and exits non-zero instead of
    showing a traceback. Library callers can catch it like any exception.
    """
