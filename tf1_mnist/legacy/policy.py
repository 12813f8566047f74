"""What ``run`` cannot carry on TensorFlow 2, said in one line.

``refusal`` is a pure function of what the program uses: it returns the message (a
missing library, or, for a notebook, an API with no home) and the stand-ins to place
(``Uncarried``); the installer places them. A stand-in lets a program name, import or
keep an API with no home, and refuses, naming the program's line, once it is used.
"""
import collections
import importlib.util
import os
import sys
import types

from tf1_mnist.errors import UserError

LEGACY_STACK = "run it on the legacy stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)"
NO_HOME = "which TensorFlow 2 removed and nothing carries today"
NOT_CARRIED = "which TensorFlow 2 removed and tf1-mnist run does not carry (docs/run.md)"
# Real TensorFlow modules a script imports by path (``from tensorflow.python.client
# import timeline``): Python's import finds them, so they are not checked as attributes.
IMPORTED_BY_PATH = ("python", "core", "examples")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Refusal = collections.namedtuple("Refusal", "message stand_ins")


def api_name(module_name):
    """'tensorflow.contrib.x' -> 'tf.contrib.x'."""
    return "tf" + module_name[len("tensorflow"):]


class Uncarried(types.ModuleType):
    """Stands where TF 1.15 had an API that nothing carries on TensorFlow 2. A program
    may name it, import it or anything below it (``from tensorflow.contrib.x.python
    import y``), or keep it; using it (a call, a subclass, an item, a loop) is the
    one-line UserError ``refused`` gives, naming the line of the use."""

    stand_in_below = True  # the engine's finder: every module below is one too

    def __init__(self, name, what, api=None):
        super(Uncarried, self).__init__(name)
        self.__path__ = []
        self.__dict__.update(_api=api or api_name(name), _what=what)

    def __getattr__(self, attr):
        if attr.startswith("__"):  # the import system's and tools' probes
            raise AttributeError(attr)
        child = Uncarried(self.__name__ + "." + attr, self._what, self._api)
        self.__dict__[attr] = child
        return child

    def _refuse(self, *args, **kwargs):
        raise refused("uses {}, {}".format(self._api, self._what))

    __call__ = __getitem__ = __iter__ = __enter__ = __mro_entries__ = _refuse


def refused(what, line=None, script=None):
    """``file:N what; run it on the legacy stack`` as a UserError: the file and line of
    the program's frame nearest to the use (outside this package), else ``script:line``."""
    frame = sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        if not os.path.abspath(path).startswith(_PACKAGE + os.sep) and \
                not path.startswith("<frozen") and "importlib" not in path:
            script, line = _shown(path), frame.f_lineno
            break
        frame = frame.f_back
    return UserError("{}:{} {}; {}".format(script, line, what, LEGACY_STACK))


def _shown(path):
    """A program's file as the user would name it: relative to here when below here."""
    if not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def refusal(uses, tf, needs, place, at_call_time=False):
    """What TensorFlow 2 (``tf``, as the program sees it) cannot run of ``uses`` ((line,
    'tf.x.y') pairs): a ``Refusal(message or None, stand_ins)``. ``needs``: ('tf.x',
    distribution, import name) for families that need a library. ``place(line)`` names a
    line. ``at_call_time`` (a script): only a missing library is refused now, and each
    use of an API with no home gets a stand-in ((parts, Uncarried) to place) instead."""
    stand_ins = []
    for line, name in uses:
        parts = name.split(".")[1:]
        for family, distribution, library in needs:
            if (name + ".").startswith(family + ".") and \
                    importlib.util.find_spec(library) is None:
                return Refusal("{} uses {}, which needs {} on TensorFlow 2.16+; install it: "
                               "{}".format(place(line), name, distribution,
                                           install_hint(needs)), stand_ins)
        if not parts or parts[0] in IMPORTED_BY_PATH:
            continue
        missing = _first_missing(tf, parts)
        if missing is None:
            continue
        api = ".".join(["tf"] + parts[:missing + 1])
        what = NO_HOME if parts[0] == "contrib" else NOT_CARRIED
        if not at_call_time:
            return Refusal("{} uses {}, {}; {}".format(place(line), api, what, LEGACY_STACK),
                           stand_ins)
        stand_ins.append((parts[:missing + 1], Uncarried("tensorflow" + api[2:], what)))
    return Refusal(None, stand_ins)


def install_hint(needs):
    """The command that installs every library of ``needs`` (requirements-run.txt's)."""
    from tf1_mnist.legacy.homes import RUN_LIBRARIES

    return "pip install --no-deps " + " ".join(RUN_LIBRARIES)


def _first_missing(tf, parts):
    """The index in ``parts`` of the first attribute ``tf`` lacks (a stand-in counts as
    lacking), following modules and classes only (what lies beyond a function or a
    value is the program's business)."""
    found = tf
    for i, attr in enumerate(parts):
        if not isinstance(found, (types.ModuleType, type)):
            return None
        try:
            found = getattr(found, attr)
        except Exception:  # noqa: BLE001 (a lazy module may fail in its own way)
            return i
        if isinstance(found, Uncarried):
            return i
    return None
