"""``tf1-mnist run SCRIPT`` and ``run -m MODULE``: a TF1 program as ``python`` runs it.

The program runs as under ``python SCRIPT`` or ``python -m MODULE``: its argv,
``__name__ == "__main__"``, ``__file__``, ``__package__`` and relative imports,
``sys.path[0]``, working directory, output and exit status. Before it starts, the TF1
layer is installed (``install``) and every file of the program that the entry point
imports is read for what it uses (``scan``): a library it needs and lacks is refused
then, an API with no home when it is used. An exception from the program's own code
keeps its traceback; this layer's errors are one line.
"""
import importlib.machinery
import importlib.util
import os
import re
import runpy
import sys
import traceback
import warnings

from tf1_mnist.errors import UserError
from tf1_mnist.legacy import scan

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def prefer_keras2():
    """Choose Keras 2 for ``tf.layers`` before TensorFlow 2.16+ is imported, if tf-keras
    is installed (TensorFlow reads the variable once, at import)."""
    if "tensorflow" not in sys.modules and importlib.util.find_spec("tf_keras") is not None:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")


EAGER_CALLS = ("tf.enable_eager_execution", "tf.compat.v1.enable_eager_execution")


def wants_eager(uses):
    """Whether the program runs TF 1.x's eager API (``tf.enable_eager_execution()``, or
    ``tf.contrib.eager``): then it runs eagerly on TF 2, as it did on TF 1.x."""
    return any(name in EAGER_CALLS or name.startswith("tf.contrib.eager")
               for _, name in uses)


def install(program_dir, data_dir=None, uses=()):
    """Make ``tensorflow`` what a TF1 program expects, and put the table of homes in
    place (``homes.py``, by ``engine.py``); ``uses`` (from ``scan.api_uses``) says
    whether it runs eagerly, and on TF 1.15 whether tf.contrib.learn's MNIST needs the
    drop-in. Returns the ``input_data`` the program sees."""
    import numpy
    from tf1_mnist.compat import TF_VERSION, tf
    from tf1_mnist.legacy import contrib, engine, homes, mnist, numpy1
    from tf1_mnist.legacy.policy import Uncarried

    tf2 = not TF_VERSION.startswith("1.")
    if tf2:
        sys.modules["tensorflow"] = tf  # tf.compat.v1, v2 behaviour disabled
        if wants_eager(uses):
            tf.enable_v2_behavior()  # the package's compat turned it off
    shim = mnist.install(program_dir, data_dir)
    if tf2:
        contrib.mend_batch_norm_path()
        numpy1.restore_behaviour(numpy)
        deprecations_once()
    else:
        mnist.patch_learn(shim, uses)
    engine.Engine(homes.in_force(tf2), Uncarried).install()
    return shim


# tf-keras warns at every call of a tf.layers function or tf.nn.rnn_cell class, with
# the calling line; TF 1.15 logged each deprecated API once.
_KERAS_DEPRECATION = re.compile(r"`(tf\.[\w.]+)` is deprecated and will be removed")


def deprecations_once():
    """Show tf-keras's deprecation of a TF1 API once per API, in one line, as TF 1.15
    logged it; any other warning as before."""
    shown, previous = set(), warnings.showwarning
    if getattr(previous, "tf1_mnist", False):
        return

    def showwarning(message, category, filename, lineno, file=None, line=None):
        found = _KERAS_DEPRECATION.match(str(message))
        if found is None or not issubclass(category, UserWarning):
            return previous(message, category, filename, lineno, file, line)
        if found.group(1) not in shown:
            shown.add(found.group(1))
            print("WARNING:tensorflow:" + " ".join(str(message).split()),
                  file=file or sys.stderr)
    showwarning.tf1_mnist = True
    warnings.showwarning = showwarning


def place_stand_ins(stand_ins):
    """Put each (parts, stand-in) of a ``Refusal`` at ``tf.<parts>`` and at its import
    path ``tensorflow.<parts>``."""
    tf = sys.modules["tensorflow"]
    for parts, stand_in in stand_ins:
        parent = tf
        for attr in parts[:-1]:
            parent = getattr(parent, attr)
        setattr(parent, parts[-1], stand_in)
        sys.modules.setdefault("tensorflow." + ".".join(parts), stand_in)


class Program(object):
    """A program to run: its entry file, how ``sys.argv[0]`` names it, the folder its
    own modules are found from, and the files the entry point imports."""

    def __init__(self, entry, shown, root, module=None):
        self.entry, self.shown, self.root, self.module = entry, shown, root, module
        self.files = scan.program_files(entry, root)

    def uses(self):
        """{file as shown: (line, 'tf.x.y') pairs} for every file of the program."""
        found = {}
        for path in self.files:
            try:
                with open(path, "rb") as f:
                    found[self._shown(path)] = scan.api_uses(f.read().decode("utf-8"))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                continue  # Python reports it itself, when the program imports it
        return found

    def _shown(self, path):
        return self.shown if path == self.entry else os.path.relpath(path)


def script_program(script):
    read_script(script)
    return Program(os.path.abspath(script), script, os.path.dirname(os.path.abspath(script)))


def module_program(name):
    """``run -m NAME``: the module found as ``python -m`` finds it from here (the
    current folder first), without running any of its packages' code."""
    if not name or name.startswith(".") or not all(
            part.isidentifier() for part in name.split(".")):
        raise UserError("-m {}: not a module name; give it as python -m takes it "
                        "(pkg.train)".format(name))
    spec = _find(name)
    if spec is not None and spec.submodule_search_locations is not None:
        spec = _find(name + ".__main__")
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise UserError("-m {}: no such module here; run it from the folder that holds "
                        "the package (or pip install -e it)".format(name))
    top = _find(name.split(".")[0])
    root = os.path.dirname(os.path.dirname(top.origin)) \
        if top.submodule_search_locations is not None else os.path.dirname(top.origin)
    read_script(spec.origin)
    return Program(spec.origin, os.path.relpath(spec.origin), root, module=name)


def _find(name):
    """The spec of ``name`` without importing it (nor its packages' ``__init__``)."""
    parts, path, spec = name.split("."), None, None
    for i in range(len(parts)):
        dotted = ".".join(parts[:i + 1])
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(dotted, path) if find is not None else None
            if spec is not None:
                break
        if spec is None:
            return None
        path = spec.submodule_search_locations
        if path is None and i < len(parts) - 1:
            return None
    return spec


def run(script, args, data_dir=None, module=False):
    """Run ``script`` (a file, or with ``module`` a module name) with ``args`` as
    ``python`` would; return its exit status. The program's own exceptions print their
    traceback (exit 1)."""
    if module:
        # As python -m puts the current folder first: by name since 3.7, '' before.
        sys.path.insert(0, os.getcwd() if sys.version_info >= (3, 7) else "")
        program = module_program(script)
    else:
        program = script_program(script)
    uses = program.uses()
    prefer_keras2()
    from tf1_mnist.compat import TF_VERSION

    install(program.root if module else os.path.dirname(program.entry), data_dir,
            [use for found in uses.values() for use in found])
    if not TF_VERSION.startswith("1."):
        _refuse_or_stand_in(uses)
    try:
        if module:
            sys.argv = [program.entry] + list(args)
            runpy.run_module(program.module, run_name="__main__", alter_sys=True)
        else:
            sys.argv = [script] + list(args)
            sys.path.insert(0, os.path.dirname(program.entry))
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
        # The program's own code failed: its traceback is theirs to read, without this
        # layer's frames.
        kind, value, tb = sys.exc_info()
        while tb is not None and _ours(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        traceback.print_exception(kind, value, tb)
        return 1
    finally:
        sys.stdout.flush()
    return 0


def _refuse_or_stand_in(uses):
    from tf1_mnist.legacy import homes
    from tf1_mnist.legacy.policy import refusal

    tf = sys.modules["tensorflow"]
    for shown, found in sorted(uses.items()):
        result = refusal(found, tf, homes.needs(), lambda line: "{}:{}".format(shown, line),
                         at_call_time=True)
        if result.message:
            raise UserError(result.message)
        place_stand_ins(result.stand_ins)


def _ours(path):
    """A frame of this layer or of Python's runners, not the program's."""
    return os.path.abspath(path).startswith(_PACKAGE + os.sep) or path.startswith("<frozen") \
        or os.path.basename(path) == "runpy.py"
