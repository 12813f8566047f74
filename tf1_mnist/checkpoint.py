"""The model directory: a TF1 checkpoint plus ``model.json``, which describes it.

``model.json`` holds everything needed to rebuild the graph without training flags
(network name, variant, hyper-parameters), the seed, the metrics of the run, the
stack it was trained on, and the name of its checkpoint. It is written last,
atomically, so it is the commit point: an interrupted save leaves the previous model
as it was. The directory itself is never renamed, so it may be a mount point (a
Docker volume).
"""
import glob
import json
import os
import platform
import time
import uuid

from tf1_mnist import files
from tf1_mnist.errors import UserError

DEFAULT_MODEL_DIR = "model"
MODEL_DIR_ENV = "TF1_MNIST_MODEL_DIR"
DESCRIPTION = "model.json"
_PREFIX = "ckpt-"
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
        others = [n for n in os.listdir(model_dir)
                  if n != DESCRIPTION and not n.startswith((_PREFIX, "checkpoint", "."))]
        if others and not os.path.exists(os.path.join(model_dir, DESCRIPTION)):
            raise UserError("{}: is not empty and holds no tf1-mnist model (found {}); "
                            "choose another --model-dir".format(model_dir, others[0]))


def save(sess, saver, model_dir, description):
    """Save the session's variables and ``description`` (a dict) into ``model_dir``.

    Order: checkpoint files under a new name, then ``model.json`` via a temporary
    file and an atomic rename, then the previous checkpoint's files are removed.
    """
    check_writable(model_dir)
    try:
        os.makedirs(model_dir, exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create it ({}); choose another --model-dir"
                        .format(model_dir, exc.strerror or exc))
    # Unique even for two saves within a second: cleanup must never hit the old model.
    name = "{}{}-{}".format(_PREFIX, time.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:8])
    prefix = os.path.join(model_dir, name)
    committed = False
    try:
        saver.save(sess, prefix, write_meta_graph=False)
        description = dict(description, checkpoint=name, trained_with=stack())
        files.write_file(os.path.join(model_dir, DESCRIPTION),
                         json.dumps(description, indent=2, sort_keys=True) + "\n",
                         what="model description", fix="choose another --model-dir")
        committed = True
    finally:
        _remove_checkpoints(model_dir, keep=name if committed else None,
                            only=None if committed else name)


def load_description(model_dir):
    """The parsed ``model.json``; UserError when there is no (complete) model."""
    path = os.path.join(model_dir, DESCRIPTION)
    if not os.path.isfile(path):
        raise UserError("no trained model in {} ({} not found); {}".format(
            model_dir, DESCRIPTION, TRAIN_HINT))
    try:
        with open(path) as f:
            description = json.load(f)
        missing = [k for k in ("checkpoint", "hparams", "model") if k not in description]
    except (OSError, ValueError, TypeError) as exc:
        raise UserError("{}: unreadable model description ({}); {}".format(path, exc, RETRAIN_HINT))
    if missing:
        raise UserError("{}: lacks {}; {}".format(path, ", ".join(missing), RETRAIN_HINT))
    if not os.path.isfile(os.path.join(model_dir, description["checkpoint"] + ".index")):
        raise UserError("{}: checkpoint {} is missing; {}".format(
            model_dir, description["checkpoint"], RETRAIN_HINT))
    return description


def restore(sess, saver, model_dir, description):
    """Load the checkpoint ``description`` names into the session's variables."""
    from tf1_mnist.compat import tf

    try:
        saver.restore(sess, os.path.join(model_dir, description["checkpoint"]))
    except (tf.errors.OpError, ValueError) as exc:
        first_line = str(getattr(exc, "message", exc)).strip().splitlines()[0]
        raise UserError("{}: the checkpoint is damaged or does not match model.json ({}); {}"
                        .format(model_dir, first_line[:200], RETRAIN_HINT))


def stack():
    """The software a model was trained with, recorded for honest comparisons."""
    from tf1_mnist.compat import TF_VERSION

    return {"python": platform.python_version(), "tensorflow": TF_VERSION}


def _remove_checkpoints(model_dir, keep=None, only=None):
    """Delete checkpoint files: all but ``keep``'s, or only ``only``'s."""
    for path in glob.glob(os.path.join(model_dir, _PREFIX + "*")):
        name = os.path.basename(path).split(".")[0]
        if (only is not None and name == only) or (only is None and name != keep):
            os.remove(path)
