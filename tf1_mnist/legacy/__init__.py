"""``tf1-mnist run SCRIPT [ARGS...]``: a classic TF1 MNIST script, unchanged, on either stack.

What changes for the script, and nothing else:

* On TensorFlow 2.x, ``import tensorflow as tf`` gives ``tf.compat.v1`` with v2
  behaviour disabled (graph mode, sessions, placeholders, ``tf.app.run``,
  ``tf.train``, ``tf.summary.FileWriter``, ``tf.losses``); ``from tensorflow.python...``
  imports keep working. On TF 1.15 TensorFlow is left exactly as it is.
* ``from tensorflow.examples.tutorials.mnist import input_data`` gives the verified
  drop-in, which seeds and shuffles with NumPy's global generator as TF 1.15's did,
  so a seeded script draws the same batches. A directory the script names without
  the MNIST files is filled from ``--data-dir`` / $TF1_MNIST_DATA_DIR, else by a
  verified download; one line on stderr says where the data came from. Any other
  module of that package (TensorFlow's own ``mnist.py``) comes from the script's folder.
* On TensorFlow 2.x the higher-level APIs of the era come back: ``tf.layers`` and
  ``tf.nn.rnn_cell`` through Keras 2 (tf-keras, chosen by ``TF_USE_LEGACY_KERAS=1``
  before TensorFlow is imported), ``tf.contrib``'s families that have a home today
  (contrib.py), ``tf.estimator`` (estimator.py), and NumPy 1.x's removed names
  (numpy1.py). ``tf.contrib.learn``'s MNIST reads through the drop-in on both stacks.
* What cannot work on TF 2.x (an API nothing carries, or a library not installed) is
  refused before the script runs, in one line naming the API and the line.

The script runs as under ``python SCRIPT``: its argv, ``__name__ == "__main__"``,
``__file__``, ``sys.path[0]``, working directory, output and exit status. An exception
from the script's own code keeps its traceback; this layer's errors are one line.
"""
import importlib.util
import os
import sys
import types

from tf1_mnist.errors import UserError
from tf1_mnist.legacy import scan

EXAMPLES = "tensorflow.examples.tutorials.mnist"
LEGACY_STACK = "run it on the legacy stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)"


def read_file(path, noun, wanted):
    """The bytes of the user's file ``path`` (a ``noun``: script, notebook); UserError,
    naming ``wanted``, for a missing, unreadable or non-file path."""
    if not os.path.exists(path):
        raise UserError("{}: no such {}; check the path".format(path, noun))
    if not os.path.isfile(path):
        raise UserError("{}: is not a file; give {}".format(path, wanted))
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise UserError("{}: cannot read it ({}); check its permissions".format(
            path, exc.strerror or exc))


def read_script(path):
    """The script's source, compiled; UserError for a missing, unreadable, non-Python
    or syntactically broken script."""
    source = read_file(path, "script", "a Python script")
    if b"\x00" in source:
        raise UserError("{}: is not a Python script (binary data); give the .py file"
                        .format(path))
    try:
        text = source.decode("utf-8")
        code = compile(text, path, "exec", dont_inherit=True)
    except UnicodeDecodeError:
        raise UserError("{}: is not a Python script (not UTF-8 text); give the .py file"
                        .format(path))
    except SyntaxError as exc:
        hint = " (Python 2 code? Python 3 is needed)" if "print" in (exc.text or "") else ""
        raise UserError("{}:{}: not valid Python 3: {}{}; fix the script".format(
            path, exc.lineno, exc.msg, hint))
    return text, code


def install(script_dir, data_dir=None, uses=()):
    """Make ``tensorflow`` and its MNIST tutorial package what a TF1 script expects;
    ``uses`` (from ``scan.api_uses``) says which TF 1.15 modules need their data fixed
    (``patch_learn`` does it later, for a notebook's cells). Returns the ``input_data``
    the script sees."""
    from tf1_mnist.compat import TF_VERSION, tf
    from tf1_mnist import input_data
    from tf1_mnist.legacy import contrib

    if not TF_VERSION.startswith("1."):
        sys.modules["tensorflow"] = tf  # tf.compat.v1, v2 behaviour disabled
    # The MNIST tutorial package: input_data is the drop-in, its siblings come from the
    # script's folder (TensorFlow's own mnist.py is not in any wheel).
    parent = sys.modules["tensorflow"]
    for name, path in (("tensorflow.examples", None), ("tensorflow.examples.tutorials", None),
                       (EXAMPLES, [script_dir])):
        module = contrib.package(name, path)
        sys.modules[name] = module
        setattr(parent, name.rsplit(".", 1)[1], module)
        parent = module
    shim = types.ModuleType(EXAMPLES + ".input_data")
    shim.__dict__.update({k: getattr(input_data, k) for k in dir(input_data)
                          if not k.startswith("__")})
    read_data_sets, data_set = _read_data_sets_for(input_data, data_dir), _tf1_data_set()
    shim.read_data_sets, shim.DataSet = read_data_sets, data_set
    shim.__doc__ = input_data.__doc__
    sys.modules[shim.__name__] = shim
    parent.input_data = shim
    if TF_VERSION.startswith("1."):
        patch_learn(shim, uses)
    else:
        _install_tf2(tf, read_data_sets, data_set, wants_eager(uses))
    return shim


def patch_learn(shim, uses):
    """On TF 1.15, once ``uses`` names ``tf.contrib.learn``: its MNIST reads through
    ``shim`` (the ``input_data`` that ``install`` returned). Whether it was done is kept
    on ``shim``."""
    from tf1_mnist.legacy import contrib

    if getattr(shim, "learn_patched", False) or \
            not any(name.startswith("tf.contrib.learn") for _, name in uses):
        return
    contrib.patch_learn_datasets(shim.read_data_sets, shim.DataSet)
    shim.learn_patched = True


def wants_eager(uses):
    """Whether the script runs TF 1.x's eager API (``tf.enable_eager_execution()``, or
    ``tf.contrib.eager``): then it runs eagerly on TF 2, as it did on TF 1.x."""
    return any(name in EAGER_CALLS or name.startswith("tf.contrib.eager")
               for _, name in uses)


EAGER_CALLS = ("tf.enable_eager_execution", "tf.compat.v1.enable_eager_execution")


def _install_tf2(tf, read_data_sets, data_set, eager=False):
    """What TensorFlow 2 removed and ``run`` carries: tf.contrib, tf.estimator, NumPy 1;
    ``eager``: TF 2's eager behaviour back (the package's compat turned it off)."""
    import numpy
    from tf1_mnist.legacy import contrib, estimator, numpy1

    if eager:
        tf.enable_v2_behavior()

    contrib.install(tf, read_data_sets, data_set)
    tf.python = sys.modules["tensorflow.python"]  # as TF 1.15's tf.python
    tf.estimator, inputs = estimator.module()
    sys.modules[tf.estimator.__name__], sys.modules[inputs.__name__] = tf.estimator, inputs
    sys.modules[tf.estimator.export.__name__] = tf.estimator.export
    numpy1.restore(numpy)


# Families that need a library beside TensorFlow 2.16+, and the distribution giving it.
NEEDS = (
    (("layers",), "tf_keras"), (("keras",), "tf_keras"), (("nn", "rnn_cell"), "tf_keras"),
    (("contrib", "rnn"), "tf_keras"), (("contrib", "keras"), "tf_keras"),
    (("contrib", "layers"), "tf_slim"), (("contrib", "slim"), "tf_slim"),
    (("contrib", "framework"), "tf_slim"),
)
DISTRIBUTIONS = {"tf_keras": "tf-keras", "tf_slim": "tf-slim"}
# requirements-run.txt's pins (a test keeps them equal), named so the hint works from any
# folder: --no-deps, or tf-keras would pull in a second TensorFlow over tensorflow-cpu.
RUN_LIBRARIES = ("tf-keras==2.21.0", "tf-slim==1.1.0")
INSTALL_EXTRAS = "pip install --no-deps " + " ".join(RUN_LIBRARIES)
# Real TensorFlow modules a script imports by path (``from tensorflow.python.client
# import timeline``): Python's import finds them, so they are not checked as attributes.
IMPORTED_BY_PATH = ("python", "core", "examples")


def refusal(script, source, uses, place=None, at_call_time=False):
    """The one line saying why the script (its text or tree) cannot run on TensorFlow 2,
    or None. Called after ``install``: each use is looked up in the TensorFlow the script
    will see. ``place(line)`` names where a line is (default ``script:line``; a
    notebook's says which cell). ``at_call_time`` (a script): only a missing library is
    refused now; an API with no home gets a stand-in (``Uncarried``) that refuses when
    the script uses it, so a name the script never reaches costs nothing."""
    from tf1_mnist.legacy import estimator

    if place is None:
        def place(line):
            return "{}:{}".format(script, line)
    tf = sys.modules["tensorflow"]
    for line, name in uses:
        parts = name.split(".")[1:]
        where = "{} uses {}".format(place(line), name)
        for family, library in NEEDS:
            if tuple(parts[:len(family)]) == family and \
                    importlib.util.find_spec(library) is None:
                return "{}, which needs {} on TensorFlow 2.16+; install it: {}".format(
                    where, DISTRIBUTIONS[library], INSTALL_EXTRAS)
        if not parts or parts[0] in IMPORTED_BY_PATH:
            continue
        missing = _first_missing(tf, parts)
        if missing is not None:
            api = ".".join(["tf"] + parts[:missing + 1])
            what = "which TensorFlow 2 removed and nothing carries today" \
                if parts[0] == "contrib" else \
                "which TensorFlow 2 removed and tf1-mnist run does not carry (docs/run.md)"
            if not at_call_time:
                return "{} uses {}, {}; {}".format(place(line), api, what, LEGACY_STACK)
            _stand_in(tf, parts[:missing + 1], Uncarried(
                api, "uses {}, {}".format(api, what), script, line))
    if at_call_time:
        estimator.refuse_when_called(lambda what: refused(script, 1, what))
    elif any(name.startswith("tf.estimator") for _, name in uses):
        for line, method in scan.attribute_uses(source, estimator.UNCARRIED_METHODS):
            return "{} {}; {}".format(place(line), estimator.uncarried_method(method),
                                      LEGACY_STACK)
        for line, argument in scan.keyword_uses(source, estimator.UNCARRIED_ARGUMENTS):
            return "{} {}; {}".format(place(line), estimator.uncarried_argument(argument),
                                      LEGACY_STACK)
    return None


class Uncarried(types.ModuleType):
    """Stands where TF 1.15 had an API that nothing carries on TensorFlow 2: a script may
    name it, import it or keep it; using it (an attribute, a call) is the one-line
    UserError ``refused`` gives."""

    def __init__(self, api, what, script, line):
        super(Uncarried, self).__init__("tensorflow" + api[2:])
        self.__dict__.update(_what=what, _script=script, _line=line)

    def __getattr__(self, attr):
        if attr.startswith("__"):  # the import system's and tools' probes
            raise AttributeError(attr)
        raise refused(self._script, self._line, self._what)

    def __call__(self, *args, **kwargs):
        raise refused(self._script, self._line, self._what)


def refused(script, line, what):
    """``script:N what; run it on the legacy stack`` as a UserError, N being the line of
    the script's frame nearest to the use (else ``line``, the first that names it)."""
    frame, path = sys._getframe(1), os.path.abspath(script)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == path:
            line = frame.f_lineno
            break
        frame = frame.f_back
    return UserError("{}:{} {}; {}".format(script, line, what, LEGACY_STACK))


def _stand_in(tf, parts, stand_in):
    """Put ``stand_in`` at ``tf.<parts>`` and at its import path ``tensorflow.<parts>``."""
    parent = tf
    for attr in parts[:-1]:
        parent = getattr(parent, attr)
    setattr(parent, parts[-1], stand_in)
    sys.modules.setdefault("tensorflow." + ".".join(parts), stand_in)


def _first_missing(tf, parts):
    """The index in ``parts`` of the first attribute ``tf`` lacks, following modules and
    classes only (what lies beyond a function or a value is the script's business)."""
    found = tf
    for i, attr in enumerate(parts):
        if isinstance(found, Uncarried) or not isinstance(found, (types.ModuleType, type)):
            return None  # a stand-in refuses by itself, when used
        try:
            found = getattr(found, attr)
        except Exception:  # noqa: BLE001 (a lazy module may fail in its own way)
            return i
    return None


def prefer_keras2():
    """Choose Keras 2 for ``tf.layers`` before TensorFlow 2.16+ is imported, if tf-keras
    is installed (TensorFlow reads the variable once, at import)."""
    if "tensorflow" not in sys.modules and importlib.util.find_spec("tf_keras") is not None:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")


def _tf1_data_set():
    from tf1_mnist import input_data

    class DataSet(input_data.DataSet):
        """TF 1.15's batches, for seeded scripts: NumPy's global generator."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("global_numpy_seeding", True)
            super(DataSet, self).__init__(*args, **kwargs)

    return DataSet


def _read_data_sets_for(input_data, fallback_dir):
    from tf1_mnist import data

    def read_data_sets(train_dir, *args, **kwargs):
        """TF 1.15's ``read_data_sets``: the files the script names, else the data
        directory tf1-mnist was given, else a verified download there."""
        kwargs.setdefault("global_numpy_seeding", True)  # TF 1.15's batches
        where = "{} (verified)".format(train_dir)
        if data.missing_files(train_dir):
            if fallback_dir and not data.missing_files(fallback_dir):
                where = "{} (verified; {} lacks the files)".format(fallback_dir, train_dir)
                train_dir = fallback_dir
            else:
                where = "{} (downloaded and verified)".format(train_dir)
        if kwargs.get("fake_data"):
            return input_data.read_data_sets(train_dir, *args, **kwargs)
        datasets = input_data.read_data_sets(train_dir, *args, **kwargs)
        sys.stderr.write("tf1-mnist run: MNIST from {}\n".format(where))
        for name in data.FILES:  # TF 1.15's own lines, on stdout as there
            print("Extracting", data.find_file(train_dir, name))
        return datasets
    read_data_sets.__doc__ = input_data.read_data_sets.__doc__
    return read_data_sets


def run(script, args, data_dir=None):
    """Run ``script`` with ``args`` as ``python script args`` would; return its exit
    status. The script's own exceptions print their traceback (exit 1)."""
    import runpy
    import traceback

    text, _ = read_script(script)
    uses = scan.api_uses(text)
    prefer_keras2()
    from tf1_mnist.compat import TF_VERSION

    script_dir = os.path.dirname(os.path.abspath(script))
    install(script_dir, data_dir, uses)
    if not TF_VERSION.startswith("1."):
        refused = refusal(script, text, uses, at_call_time=True)
        if refused:
            raise UserError(refused)
    sys.argv = [script] + list(args)
    sys.path.insert(0, script_dir)
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, UserError):
        raise  # an interrupt, or this layer's one-line error (missing data, say)
    except BaseException:
        # The user's own code failed: its traceback is theirs to read, without
        # this layer's frames.
        kind, value, tb = sys.exc_info()
        while tb is not None and tb.tb_frame.f_code.co_filename != os.path.abspath(script) \
                and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        traceback.print_exception(kind, value, tb)
        return 1
    finally:
        sys.stdout.flush()
    return 0
