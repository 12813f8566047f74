"""TensorFlow 1.x graph mode on both stacks: tensorflow 1.15.5 and TensorFlow 2.x.

Importing this module is the package's single deliberate side effect: it imports
``tensorflow.compat.v1`` with v2 behaviour disabled, quietly. Everything that needs
TensorFlow imports ``tf`` from here, and only when it needs it, so the command line
answers ``--help`` and reports bad input without paying for TensorFlow's import.
"""
import logging
import os
import sys
import warnings

from tf1_mnist.errors import UserError

# Set before the import, which reads them once. The C++ INFO/WARNING chatter and
# TF 2.x's oneDNN notice would bury the tutorial's output; oneDNN's kernels also make
# float results depend on thread scheduling, which breaks same-seed reproducibility.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

try:
    with warnings.catch_warnings():
        # TF 1.15 under NumPy >= 1.17 warns about its own dtype table at import.
        warnings.simplefilter("ignore", FutureWarning)
        import tensorflow.compat.v1 as tf
except ImportError as exc:
    raise UserError(
        "TensorFlow is not installed ({}); install the pinned stack with "
        "`pip install -r requirements.txt`".format(exc)
    )

# TF logs a deprecation WARNING for nearly every tf.compat.v1 call, this one first.
tf.logging.set_verbosity(tf.logging.ERROR)
logging.getLogger("tensorflow").setLevel(logging.ERROR)
tf.disable_v2_behavior()

TF_VERSION = tf.__version__


def tflite_converter_on_path():
    """TF 1.15's TFLite converter runs the ``toco_from_protos`` program installed beside
    Python, found on PATH (a venv's python run by its path has its bin off PATH)."""
    if TF_VERSION.startswith("1."):
        here = os.path.dirname(sys.executable)
        if here not in os.environ.get("PATH", "").split(os.pathsep):
            os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")
