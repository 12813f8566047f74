"""The model directory: a TF1 checkpoint plus ``model.json``, which describes it.

``model.json`` holds everything needed to rebuild the graph without training flags
(network name, variant, hyper-parameters), the seed, the metrics of the run, the
stack it was trained on, and the name of its checkpoint. It is written last,
durably (``files.write_file``), so it is the commit point: an interrupted save
leaves the previous model as it was. The directory itself is never renamed, so it
may be a mount point (a Docker volume).

A training holds ``.lock`` in the directory (``fcntl.flock``) from its first check
to its commit, so a second training into the same directory stops at once, naming
the first (or waits for it). Under the lock, cleanup removes the checkpoint the new
one replaces, files that dead runs left (temporaries, unreferenced checkpoint files),
and nothing else.
"""
import collections
import errno
import fcntl
import json
import os
import platform
import re
import time
import uuid

from tf1_mnist import files, recipes
from tf1_mnist.errors import UserError, first_line
from tf1_mnist.lifecycle import check_interrupted

DEFAULT_MODEL_DIR = "model"
MODEL_DIR_ENV = "TF1_MNIST_MODEL_DIR"
DESCRIPTION = "model.json"
LOCK = ".lock"
_PREFIX = "ckpt-"
_CHECKPOINT_NAME = re.compile(r"^ckpt-[0-9A-Za-z_-]+$")
TRAIN_HINT = "train first with `python -m tf1_mnist train`"
RETRAIN_HINT = "train again with `python -m tf1_mnist train`"


def resolve_model_dir(model_dir=None):
    """The model directory: the argument, else $TF1_MNIST_MODEL_DIR, else model/."""
    return model_dir or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR


def check_writable(model_dir):
    """Fail before training, not after it, if ``model_dir`` cannot take a model.

    A directory that holds other files and no ``model.json`` is refused rather than
    filled with checkpoints next to someone's data.
    """
    files.check_writable_dir(model_dir, "model", "--model-dir")
    if os.path.isdir(model_dir):
        try:
            names = os.listdir(model_dir)
        except OSError as exc:
            raise UserError("{}: cannot list it ({}); choose another --model-dir".format(
                model_dir, exc.strerror or exc))
        others = [n for n in names if n != DESCRIPTION and not n.startswith((_PREFIX, "."))]
        if others and DESCRIPTION not in names:
            raise UserError("{}: is not empty and holds no tf1-mnist model (found {}); "
                            "choose another --model-dir".format(model_dir, others[0]))


class Lock(object):
    """The model directory's lock, held while a training may write there.

    Creates the directory if needed, and on release removes it again if the run
    created it and saved nothing (a failed run leaves no empty model directory).
    """

    def __init__(self, model_dir, wait=False):
        self.model_dir, self.wait = model_dir, wait
        self.created = False
        self.fd = None

    def __enter__(self):
        check_writable(self.model_dir)
        if not os.path.isdir(self.model_dir):
            try:
                os.makedirs(self.model_dir)
            except OSError as exc:
                raise UserError("{}: cannot create it ({}); choose another --model-dir"
                                .format(self.model_dir, exc.strerror or exc))
            self.created = True
        path = os.path.join(self.model_dir, LOCK)
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, files.file_mode())
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except OSError as exc:
            holder = _read_quietly(path).strip() or "another process"
            self._close()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise UserError("{}: another training is writing this model directory ({}); "
                                "wait for it to finish (or pass --wait), or choose another "
                                "--model-dir".format(self.model_dir, holder))
            raise UserError("{}: cannot lock it ({}); choose another --model-dir".format(
                self.model_dir, exc.strerror or exc))
        os.ftruncate(self.fd, 0)
        os.write(self.fd, "pid {} on {}, started {}".format(
            os.getpid(), platform.node() or "this machine",
            time.strftime("%Y-%m-%d %H:%M:%S")).encode("utf-8"))
        _remove_stale(self.model_dir)
        return self

    def __exit__(self, *exc):
        if self.created and not os.path.exists(os.path.join(self.model_dir, DESCRIPTION)):
            files.remove_quietly(os.path.join(self.model_dir, LOCK))
            try:
                os.rmdir(self.model_dir)
            except OSError:
                pass
        self._close()

    def _close(self):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None


def save(sess, saver, model_dir, description):
    """Save the session's variables and ``description`` (a dict) into ``model_dir``,
    which the caller holds the ``Lock`` of.

    Order: checkpoint files under a new name, then ``model.json`` (the commit), then
    the replaced checkpoint's files are removed. A failure before the commit removes
    this save's files and leaves the previous model as it was.
    """
    from tf1_mnist.compat import tf

    previous = _committed_checkpoint(model_dir)
    # Unique even for two saves within a second.
    name = "{}{}-{}".format(_PREFIX, time.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:8])
    committed = False
    try:
        try:
            saver.save(sess, os.path.join(model_dir, name), write_meta_graph=False,
                       write_state=False)
        except (tf.errors.OpError, OSError) as exc:
            raise UserError("{}: cannot save the checkpoint ({}); free some space or choose "
                            "another --model-dir (the previous model is unchanged)".format(
                                model_dir, first_line(exc)))
        for path in _files_of(model_dir, name):
            os.chmod(path, files.file_mode())
        check_interrupted()  # a Ctrl-C that a library swallowed still stops the commit
        description = dict(description, checkpoint=name, trained_with=stack())
        files.write_file(os.path.join(model_dir, DESCRIPTION),
                         json.dumps(description, indent=2, sort_keys=True) + "\n",
                         what="model description", fix="free some space or choose another "
                         "--model-dir (the previous model is unchanged)")
        committed = True
    finally:
        for path in _files_of(model_dir, previous if committed else name):
            files.remove_quietly(path)
        files.fsync_dir(model_dir)


# A trained model's directory with its checked ``model.json``: opened once (the command
# line opens it first, so a typo or a missing model is said before TensorFlow starts),
# then handed to restore, evaluate, predict, serve and export.
Model = collections.namedtuple("Model", ["dir", "description"])


def open_model(model_dir):
    """The ``Model`` in ``model_dir``; UserError, one line, when there is none or its
    ``model.json`` could not rebuild and restore it."""
    return Model(model_dir, load_description(model_dir))


def load_description(model_dir):
    """The parsed and checked ``model.json``; UserError, one line, for anything that
    would keep the model from being rebuilt and restored."""
    path = os.path.join(model_dir, DESCRIPTION)
    if not os.path.exists(path):
        raise UserError("no trained model in {} ({} not found); {}".format(
            model_dir, DESCRIPTION, TRAIN_HINT))
    if not os.path.isfile(path):
        raise UserError("{}: is not a file; {}".format(path, RETRAIN_HINT))
    try:
        with open(path) as f:
            description = json.load(f)
    except OSError as exc:
        raise UserError("{}: cannot read it ({}); make it readable (chmod a+r) or choose "
                        "another --model-dir".format(path, exc.strerror or exc))
    except ValueError as exc:
        raise UserError("{}: not valid JSON ({}); {}".format(path, first_line(exc),
                                                             RETRAIN_HINT))
    problem = _problem(description)
    if problem:
        raise UserError("{}: {}; {}".format(path, problem, RETRAIN_HINT))
    for ending in (".index", ".data-00000-of-00001"):
        if not os.path.isfile(os.path.join(model_dir, description["checkpoint"] + ending)):
            raise UserError("{}: names checkpoint {}, which is missing ({} not found); {}"
                            .format(path, description["checkpoint"],
                                    description["checkpoint"] + ending, RETRAIN_HINT))
    return description


def _problem(d):
    """What is wrong with a parsed ``model.json``, or None."""
    if not isinstance(d, dict):
        return "holds a JSON {}, not an object".format(type(d).__name__)
    for key in ("model", "hparams", "checkpoint"):
        if key not in d:
            return "lacks {!r}".format(key)
    if d["model"] not in recipes.SPECS:
        return "names an unknown model {!r}".format(d["model"])
    variant = d.get("variant")
    if d["model"] == recipes.MLP and variant is not None \
            and variant not in recipes.VARIANTS:
        return "names an unknown variant {!r}".format(variant)
    if not isinstance(d["checkpoint"], str) or not _CHECKPOINT_NAME.match(d["checkpoint"]):
        return "'checkpoint' is {!r}, not a checkpoint name".format(d["checkpoint"])
    hp = d["hparams"]
    if not isinstance(hp, dict):
        return "'hparams' is not an object"
    for key in recipes.SPECS[d["model"]].recipe:
        if key not in hp:
            return "hparams lacks {!r}".format(key)
        wrong = recipes.problem(key, hp[key])
        if wrong:
            return "hparams {!r} is {!r}, {}".format(key, hp[key], wrong)
    if d["model"] == recipes.MLP and (hp["n_input"], hp["n_output"]) != (784, 10):
        return "hparams n_input/n_output are {}/{}, MNIST's are 784/10".format(
            hp["n_input"], hp["n_output"])
    return None


def restore(sess, saver, model_dir, description):
    """Load the checkpoint ``description`` names into the session's variables."""
    from tf1_mnist.compat import tf

    try:
        saver.restore(sess, os.path.join(model_dir, description["checkpoint"]))
    except (tf.errors.OpError, ValueError) as exc:
        raise UserError("{}: the checkpoint is damaged or does not match model.json ({}); {}"
                        .format(model_dir, first_line(exc)[:200], RETRAIN_HINT))


def stack():
    """The software a model was trained with, recorded for honest comparisons."""
    from tf1_mnist.compat import TF_VERSION

    return {"python": platform.python_version(), "tensorflow": TF_VERSION}



def _committed_checkpoint(model_dir):
    try:
        with open(os.path.join(model_dir, DESCRIPTION)) as f:
            name = json.load(f).get("checkpoint")
        return name if isinstance(name, str) and _CHECKPOINT_NAME.match(name) else None
    except (OSError, ValueError, AttributeError):
        return None


def _files_of(model_dir, name):
    """The regular files of checkpoint ``name`` (``name.index``, ``name.data-*``, and
    TF's temporaries for them)."""
    if not name:
        return []
    try:
        names = os.listdir(model_dir)
    except OSError:
        return []
    paths = [os.path.join(model_dir, n) for n in names
             if n.startswith(name + ".") or n == name]
    return [p for p in paths if os.path.isfile(p) and not os.path.islink(p)]


def _remove_stale(model_dir):
    """Under the lock no other run writes here: temporaries (``.*.part``) and checkpoint
    files that model.json does not name are what dead runs left behind."""
    keep = _committed_checkpoint(model_dir)
    for n in os.listdir(model_dir):
        path = os.path.join(model_dir, n)
        if not os.path.isfile(path) or os.path.islink(path):
            continue  # a directory named ckpt-... is someone's, not ours
        stale_temporary = n.startswith(".") and n.endswith(files.PART)
        orphan = n.startswith(_PREFIX) and n.split(".")[0] != keep
        if stale_temporary or orphan:
            files.remove_quietly(path)


def _read_quietly(path):
    try:
        with open(path) as f:
            return f.read(200)
    except OSError:
        return ""


