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
* What cannot work on TF 2.x (``tf.contrib``) is refused before the script runs, in
  one line naming the place.

The script runs as under ``python SCRIPT``: its argv, ``__name__ == "__main__"``,
``__file__``, ``sys.path[0]``, working directory, output and exit status. An exception
from the script's own code keeps its traceback; this layer's errors are one line.
"""
import ast
import os
import sys
import types

from tf1_mnist.errors import UserError

EXAMPLES = "tensorflow.examples.tutorials.mnist"
LEGACY_STACK = "run it on the legacy stack (the Docker image, or Python 3.6 + tensorflow 1.15.5)"


def read_script(path):
    """The script's source, compiled; UserError for a missing, unreadable, non-Python
    or syntactically broken script."""
    if not os.path.exists(path):
        raise UserError("{}: no such script; check the path".format(path))
    if not os.path.isfile(path):
        raise UserError("{}: is not a file; give a Python script".format(path))
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as exc:
        raise UserError("{}: cannot read it ({}); check its permissions".format(
            path, exc.strerror or exc))
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


def contrib_uses(text):
    """(line, name) of each use of ``tf.contrib`` in the script: attribute chains on a
    name bound to ``tensorflow``, and imports from ``tensorflow.contrib``."""
    tree = ast.parse(text)
    aliases = {"tensorflow"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "tensorflow" or alias.name == "tensorflow.compat.v1":
                    aliases.add(alias.asname or alias.name.split(".")[0])
                if alias.name.startswith("tensorflow.contrib"):
                    found.append((node.lineno, "tf.contrib." + alias.name.split(".", 2)[2]
                                  if alias.name.count(".") > 1 else "tf.contrib"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "tensorflow.contrib":
                found += [(node.lineno, "tf.contrib." + a.name) for a in node.names]
            elif node.module.startswith("tensorflow.contrib."):
                found.append((node.lineno, "tf.contrib." + node.module.split(".", 2)[2]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "contrib" and \
                isinstance(node.value, ast.Name) and node.value.id in aliases:
            parent = _parents(tree).get(node)
            name = "tf.contrib." + parent.attr if isinstance(parent, ast.Attribute) \
                else "tf.contrib"
            found.append((node.lineno, name))
    return sorted(set(found))


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _package(name, path=None):
    module = types.ModuleType(name)
    module.__path__ = path or []
    module.__package__ = name
    return module


def install(script_dir, data_dir=None):
    """Make ``tensorflow`` and its MNIST tutorial package what a TF1 script expects."""
    from tf1_mnist.compat import TF_VERSION, tf
    from tf1_mnist import input_data

    if not TF_VERSION.startswith("1."):
        sys.modules["tensorflow"] = tf  # tf.compat.v1, v2 behaviour disabled
    # The MNIST tutorial package: input_data is the drop-in, its siblings come from the
    # script's folder (TensorFlow's own mnist.py is not in any wheel).
    parent = sys.modules["tensorflow"]
    for name, path in (("tensorflow.examples", None), ("tensorflow.examples.tutorials", None),
                       (EXAMPLES, [script_dir])):
        module = _package(name, path)
        sys.modules[name] = module
        setattr(parent, name.rsplit(".", 1)[1], module)
        parent = module
    shim = types.ModuleType(EXAMPLES + ".input_data")
    shim.__dict__.update({k: getattr(input_data, k) for k in dir(input_data)
                          if not k.startswith("__")})
    shim.read_data_sets = _read_data_sets_for(input_data, data_dir)
    shim.DataSet = _tf1_data_set()
    shim.__doc__ = input_data.__doc__
    sys.modules[shim.__name__] = shim
    parent.input_data = shim


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
    from tf1_mnist.compat import TF_VERSION

    if not TF_VERSION.startswith("1."):
        uses = contrib_uses(text)
        if uses:
            line, name = uses[0]
            raise UserError("{}:{} uses {}, which TensorFlow 2 removed; {}".format(
                script, line, name, LEGACY_STACK))
    script_dir = os.path.dirname(os.path.abspath(script))
    install(script_dir, data_dir)
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
    except KeyboardInterrupt:
        raise
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
