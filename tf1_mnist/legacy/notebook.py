"""Classic TF1 notebooks, unchanged: ``tf1-mnist run NB.ipynb`` and ``%load_ext tf1_mnist``.

Both give a notebook's cells what ``run`` gives a script (``legacy.install``): inside
the Jupyter kernel, ``load`` makes ``import tensorflow as tf`` TF1, ``input_data`` the
verified drop-in, and brings back tf.layers, tf.contrib, tf.estimator and NumPy 1.x's
names on TensorFlow 2. Each cell is checked as it runs (an AST transformer), so an API
with no home is refused in one line naming the cell, before any of the cell runs. The
``%tensorflow_version`` magic of Colab is accepted.

``run`` executes a notebook file in a kernel of its own Python (nbclient + ipykernel):
``prepare`` loads the extension and checks every cell before the first runs, then the
cells run in order, their text output streamed to the terminal as it comes, and the
executed notebook is written to ``--out`` atomically.
"""
import ast
import contextlib
import json
import os
import shutil
import sys
import tempfile

from tf1_mnist.errors import UserError, cause_line, first_line

_LOADED = []  # the input_data shim, once ``load`` ran in this kernel
_NOTED = []  # the %tensorflow_version note, once it was said in this kernel
PYTHON_BODY_MAGICS = ("time", "timeit", "capture", "prun")  # %%magic whose body is Python


# --- In the kernel ---------------------------------------------------------------

def load(shell, data_dir=None):
    """What ``%load_ext tf1_mnist`` does (``tf1_mnist.load_ipython_extension``): install
    the TF1 layer in this kernel, once. On TensorFlow 2 it must come before TensorFlow is
    imported (TF reads TF_USE_LEGACY_KERAS once, at import): otherwise a UserError."""
    if _LOADED:
        return
    from tf1_mnist import legacy
    from tf1_mnist.data import DATA_DIR_ENV

    imported = sys.modules.get("tensorflow")
    if imported is not None and not str(getattr(imported, "__version__", "")).startswith("1."):
        raise UserError("TensorFlow was imported before %load_ext tf1_mnist; restart the "
                        "kernel and make `%load_ext tf1_mnist` the first cell")
    legacy.prefer_keras2()
    shim = legacy.install(os.getcwd(),
                          data_dir or os.environ.get(DATA_DIR_ENV))
    _LOADED.append(shim)
    shell.ast_transformers.append(_CellCheck(shell, shim))
    shell.register_magic_function(tensorflow_version, magic_kind="line",
                                  magic_name="tensorflow_version")


def tensorflow_version(line, terminal=None):
    """Colab's ``%tensorflow_version 1.x``: here TF1 is what tf1-mnist gives. Said once
    per kernel, and only where a person watches the kernel's terminal (its stderr, as
    ``run`` gives it): not into the notebook, as Colab's TF 1.x notebooks never showed it.
    A version this kernel cannot give is said in the cell."""
    from tf1_mnist.compat import TF_VERSION

    wanted = line.strip() or "1.x"
    if not wanted.startswith("1"):
        print("tf1-mnist: %tensorflow_version {} ignored: this kernel runs TensorFlow {} "
              "in TF1 mode".format(wanted, TF_VERSION))
        return
    terminal = terminal or sys.__stderr__
    if _NOTED or terminal is None or not terminal.isatty():
        return
    _NOTED.append(wanted)
    print("tf1-mnist: TensorFlow 1.x runs through tf1-mnist here (TensorFlow {}{})"
          .format(TF_VERSION, "" if TF_VERSION.startswith("1.") else ", in TF1 mode"),
          file=terminal, flush=True)


class Refused(UserError):
    """A cell uses an API with no home on TensorFlow 2: IPython rejects the cell before
    running any of it (an InputRejected), shown in one line."""


def _refused_cell_error(message):
    from IPython.core.error import InputRejected

    class RefusedCell(Refused, InputRejected):
        pass
    return RefusedCell(message)


def place_in_cell(cell):
    """``place(line)`` for ``legacy.refusal``: 'cell 7, line 3'. A live notebook's cell
    is 'this cell': the error shows under it, and IPython's execution count is no guide
    (IPython 8+ counts the cell before the check, 7.x after)."""
    def place(line):
        return "{}, line {}".format("this cell" if cell is None else "cell {}".format(cell),
                                    line)
    return place


def check(tree, place, shim, bound):
    """Refuse (UserError) what a cell's ``tree`` uses that has no home on TensorFlow 2;
    on TF 1.15, make tf.contrib.learn's MNIST read through the drop-in once a cell uses
    it. ``bound``: the TensorFlow names the notebook's earlier cells imported."""
    from tf1_mnist import legacy
    from tf1_mnist.compat import TF_VERSION
    from tf1_mnist.legacy import scan

    uses = scan.api_uses(tree, bound)
    if TF_VERSION.startswith("1."):
        legacy.patch_learn(shim, uses)
        return
    refused = legacy.refusal(None, tree, uses, place)
    if refused:
        raise _refused_cell_error(refused)


class _CellCheck(ast.NodeTransformer):
    """IPython calls ``visit`` with each cell's tree before running it."""

    def __init__(self, shell, shim):
        super(_CellCheck, self).__init__()
        self.shell, self.shim, self.bound = shell, shim, {}

    def visit(self, node):
        check(node, place_in_cell(None), self.shim, self.bound)
        return node


def cell_tree(shell, source):
    """A cell's Python as IPython runs it (magics become calls; a ``%%time`` cell's body
    is Python too), parsed; None for a cell that is not Python 3 (a Python 2 cell fails
    with its own SyntaxError when it runs)."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        if lines[0][2:].split(" ")[0] not in PYTHON_BODY_MAGICS:
            return None
        source = "\n" + "\n".join(lines[1:])  # keeps the body's line numbers
    try:
        return ast.parse(shell.transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def prepare(shell, cells, data_dir=None):
    """``run``'s first step in the kernel: load the extension, then check every code
    cell ((number, source) pairs) before any runs."""
    load(shell, data_dir)
    bound = {}
    for number, source in cells:
        tree = cell_tree(shell, source)
        if tree is not None:
            check(tree, place_in_cell(number), _LOADED[0], bound)


# --- The command: tf1-mnist run NB.ipynb ------------------------------------------

def read(path):
    """The notebook at ``path`` (nbformat 4); UserError for a missing, unreadable,
    non-JSON, non-notebook or empty file."""
    import nbformat

    from tf1_mnist.legacy import read_file

    try:
        text = read_file(path, "notebook", "a .ipynb notebook").decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("{}: is not a notebook (not UTF-8 text); give a .ipynb file"
                        .format(path))
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise UserError("{}: is not a notebook (not JSON: {}); give a .ipynb file saved "
                        "by Jupyter".format(path, exc))
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise UserError("{}: is JSON but not a Jupyter notebook (no cells); give a "
                        ".ipynb file".format(path))
    if raw.get("nbformat") != 4:
        raise UserError("{}: is an nbformat {} notebook; run takes nbformat 4: convert it "
                        "with `jupyter nbconvert --to notebook --nbformat 4 {}`".format(
                            path, raw.get("nbformat", "(unknown)"), path))
    try:
        nb = nbformat.from_dict(raw)
        code = [c for c in nb.cells if c.get("cell_type") == "code"]
        sources = [c.source if isinstance(c.source, str) else "".join(c.source)
                   for c in code]
    except (AttributeError, TypeError) as exc:
        raise UserError("{}: is not a well-formed notebook ({}); open and save it in "
                        "Jupyter".format(path, exc))
    for cell, source in zip(code, sources):
        cell.source = source
        cell.setdefault("outputs", [])
        cell.setdefault("metadata", {})
    if not any(source.strip() for source in sources):
        raise UserError("{}: has no code to run (no code cells, or only empty ones)"
                        .format(path))
    return nb


def _first_line(source):
    line = next((l for l in source.splitlines() if l.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def _client_class():
    """nbclient's NotebookClient, in a kernel of this Python whatever the notebook names,
    echoing each output to the terminal as it arrives."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec
    from nbclient import NotebookClient
    from traitlets import CaselessStrEnum

    class ThisPython(AsyncKernelManager):
        # Unix sockets: only this machine's processes can reach the kernel (and
        # ipykernel 7 warns that its TCP default sends code unencrypted).
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

        @property
        def kernel_spec(self):
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f",
                                    "{connection_file}"] + _kernel_options(),
                              display_name="Python 3 (tf1-mnist)", language="python")

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            out = super(Client, self).output(outs, msg, display_id, cell_index)
            echo(msg)
            return out

    return Client, ThisPython


def _kernel_options():
    """ipykernel 6+ copies what the process itself writes to its stdout (TensorFlow's
    C++ printf: log_device_placement's list) into the cell, and to the terminal again;
    ipykernel 5, TF 1.15's, left it to the process (``_kernel`` sends it to stderr)."""
    import ipykernel

    major = int(ipykernel.__version__.split(".")[0])
    return ["--IPKernelApp.capture_fd_output=False"] if major >= 6 else []


def echo(msg):
    """A kernel's output message as a terminal shows a script's: streams to stdout or
    stderr, results and text-only displays as their plain text."""
    kind, content = msg["msg_type"], msg["content"]
    if kind == "stream":
        stream = sys.stderr if content.get("name") == "stderr" else sys.stdout
        stream.write(content.get("text", ""))
        stream.flush()
    elif kind in ("execute_result", "display_data"):
        data = content.get("data", {})
        if "text/plain" in data and (kind == "execute_result" or set(data) == {"text/plain"}):
            print(data["text/plain"], flush=True)


def run(path, out=None, timeout=None, data_dir=None):
    """Execute the notebook at ``path`` as Jupyter would, with the TF1 layer; write the
    executed notebook to ``out``. Returns the exit status: 0, or 1 when a cell failed
    (one line on stderr names it; ``out`` keeps the whole traceback)."""
    nb = read(path)
    if out:
        folder = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(folder):
            raise UserError("{}: no such folder for --out; create it or choose another "
                            "path".format(folder))
    named = nb.metadata.get("kernelspec", {}).get("name")
    if named and named != "python3":
        print("tf1-mnist run: {} names the {} kernel; it runs in tf1-mnist's own Python "
              "{}.{} kernel".format(path, named, *sys.version_info[:2]), file=sys.stderr)
    code = [(i, c) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.source.strip()]
    numbered = [(n + 1, cell.source) for n, (_, cell) in enumerate(code)]
    try:
        client_class, manager = _client_class()
    except ImportError as exc:
        raise UserError("running a notebook needs Jupyter's nbclient and ipykernel ({}); "
                        "install them: pip install -r requirements.txt".format(exc))
    client = client_class(nb, timeout=None, kernel_manager_class=manager,
                          record_timing=False,  # timestamps in every cell: noise in diffs
                          resources={"metadata": {"path": os.path.dirname(
                              os.path.abspath(path))}})
    try:
        status = _execute(client, path, code, numbered, timeout, data_dir)
    finally:
        _close_event_loop()
    if out:
        from tf1_mnist import files
        import nbformat

        files.write_file(out, nbformat.writes(nb) + "\n", what="executed notebook")
    return status


def _close_event_loop():
    """Close the asyncio loops that nbclient 0.5.9 and jupyter-client 7.1 (Python 3.6)
    leave open: collected at exit, after their sockets, one printed "Exception ignored in
    BaseEventLoop.__del__" and a traceback after the command's last line, now and then
    (closing the default loop alone was not enough). Later versions close their own."""
    if sys.version_info >= (3, 8):
        return
    import asyncio
    import gc

    for loop in [o for o in gc.get_objects() if isinstance(o, asyncio.AbstractEventLoop)]:
        if not loop.is_running() and not loop.is_closed():
            loop.close()


def _execute(client, path, code, numbered, timeout, data_dir):
    """Run the setup, then each cell; returns 0, or 1 for a failing cell. A refusal, a
    kernel that died or a cell past ``timeout`` is a UserError (nothing written)."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    for _, cell in code:  # a cell that never runs shows no stale output
        cell.outputs, cell.execution_count = [], None
    setup = nbformat.v4.new_code_cell(
        "import tf1_mnist.legacy.notebook as _tf1_mnist_notebook\n"
        "_tf1_mnist_notebook.prepare(get_ipython(), {!r}, {!r})\n"
        "del _tf1_mnist_notebook".format(numbered, data_dir))
    current = None  # (number, cell) of the cell running
    try:
        with _kernel(client):
            info = client.wait_for_reply(client.kc.kernel_info())
            client.nb.metadata["language_info"] = info["content"]["language_info"]
            client.nb.metadata["kernelspec"] = {
                "name": "python3", "display_name": "Python 3 (ipykernel)",
                "language": "python"}
            # nbclient stores an executed cell at its index: the setup is a last cell
            # for that moment only.
            client.nb.cells.append(setup)
            try:
                client.execute_cell(setup, len(client.nb.cells) - 1, store_history=False)
            except CellExecutionError as exc:
                raise UserError("{}: {}".format(path, _error_line(exc, setup)))
            finally:
                client.nb.cells.pop()
            client.timeout = timeout  # the cells' own, not TensorFlow's import
            for n, (index, cell) in enumerate(code):
                current = (n + 1, cell)
                client.execute_cell(cell, index)
    except CellTimeoutError:
        number, cell = current
        raise UserError("{}: cell {} ({}) ran past --timeout {} s and was stopped; give "
                        "it more time or none".format(path, number,
                                                      _first_line(cell.source), timeout))
    except DeadKernelError:
        where = "while tf1-mnist's TF1 layer loaded" if current is None else \
            "in cell {} ({})".format(current[0], _first_line(current[1].source))
        raise UserError("{}: the kernel died {} (a crash, os._exit or out of memory); "
                        "nothing was written".format(path, where))
    except CellExecutionError as exc:
        number, cell = current
        print("error: {}: cell {} ({}) failed: {}".format(
            path, number, _first_line(cell.source), _error_line(exc, cell)),
            file=sys.stderr)
        return 1
    return 0


@contextlib.contextmanager
def _kernel(client):
    """nbclient's kernel for the notebook, started and shut down; a kernel that cannot
    start is a UserError."""
    # The kernel process's own stderr (its logging, not the cells' output, which comes
    # as messages) to a file: a kernel stopped mid-cell logs a traceback there. Its own
    # stdout, below Python (TensorFlow's C++ printf: the device placement list), is a
    # log too: to stderr, once, so that stdout is the notebook's output.
    log = tempfile.TemporaryFile(mode="w+")
    sockets = tempfile.mkdtemp(prefix="tf1-mnist-kernel-")  # not the notebook's folder
    try:
        client.km = client.create_kernel_manager()
        client.km.ip = os.path.join(sockets, "ipc")
        starting = client.setup_kernel(stderr=log, stdout=sys.__stderr__)
        starting.__enter__()
    except (RuntimeError, OSError) as exc:
        log.seek(0)
        said = [line for line in log.read().splitlines() if line.strip()]
        raise UserError("the Jupyter kernel did not start ({}); check that ipykernel is "
                        "installed: pip install -r requirements.txt".format(
                            said[-1] if said else first_line(exc)))
    try:
        yield
    except BaseException:
        if not starting.__exit__(*sys.exc_info()):
            raise
    else:
        starting.__exit__(None, None, None)
    finally:
        log.close()
        shutil.rmtree(sockets, ignore_errors=True)


def _error_line(exc, cell):
    """The last line of a cell's error, as Jupyter's traceback ends: 'ZeroDivisionError:
    division by zero', or this layer's own one-line message. Of a message running to
    pages (TensorFlow's), the line that says what went wrong."""
    error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"),
                 None)
    ename = getattr(exc, "ename", None) or (error or {}).get("ename", "Error")
    evalue = getattr(exc, "evalue", None) or (error or {}).get("evalue", "")
    if error and len(error.get("traceback", [])) == 1 and \
            error["traceback"][0].startswith("error: "):
        return error["traceback"][0][len("error: "):]  # ours, already one line
    cause = cause_line(evalue)
    return "{}: {}".format(ename, cause) if cause else ename
