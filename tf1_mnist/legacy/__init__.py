"""``tf1-mnist run``: TF1 programs, scripts and notebooks unchanged on either stack.

The layer, one job to a file:

* ``homes.py``: every TF1-era name that has a home today, one row each (old name,
  home, library it needs); ``engine.py`` puts the rows in place, under ``run`` only.
* ``runner.py``: ``run SCRIPT`` and ``run -m MODULE``, and the installer.
* ``policy.py``: what cannot run on TensorFlow 2, in one line (a pure function), and
  the stand-ins that refuse when used.
* ``mnist.py``: MNIST as TF1 programs read it (the ``input_data`` drop-in,
  ``tf.contrib.learn.datasets``).
* ``contrib.py``, ``estimator.py``, ``numpy1.py``, and the era's SciPy and Pillow
  (``scipy1.py``, ``pillow9.py``), ``text.py`` (``tf.contrib.learn.preprocessing``),
  ``rnn.py`` (``tf.contrib.rnn``'s own cells), ``seq2seq.py``
  (``tf.contrib.legacy_seq2seq``): homes that are code of this project.
* ``scan.py`` reads what a program uses; ``notebook.py`` runs notebooks and is
  ``%load_ext tf1_mnist``.
"""
import sys

from tf1_mnist.legacy.homes import RUN_LIBRARIES
from tf1_mnist.legacy.mnist import patch_learn
from tf1_mnist.legacy.policy import LEGACY_STACK
from tf1_mnist.legacy.runner import install, prefer_keras2, read_file, read_script, run

__all__ = ("RUN_LIBRARIES", "LEGACY_STACK", "install", "patch_learn", "prefer_keras2",
           "read_file", "read_script", "refusal", "run")


def refusal(script, source, uses, place=None):
    """The one line saying why a program (its text or tree; a notebook's cell) cannot
    run on TensorFlow 2, or None; called after ``install``. ``place(line)`` names where
    a line is (default ``script:line``; a notebook's says which cell). Unlike a script's,
    a notebook's uses are refused before it runs: an API with no home, and an uncarried
    Estimator method or argument."""
    from tf1_mnist.legacy import estimator, homes, scan
    from tf1_mnist.legacy import policy

    if place is None:
        def place(line):
            return "{}:{}".format(script, line)
    found = policy.refusal(uses, sys.modules["tensorflow"], homes.needs(), place)
    if found.message:
        return found.message
    if any(name.startswith("tf.estimator") for _, name in uses):
        for line, method in scan.attribute_uses(source, estimator.UNCARRIED_METHODS):
            return "{} {}; {}".format(place(line), estimator.uncarried_method(method),
                                      LEGACY_STACK)
        for line, argument in scan.keyword_uses(source, estimator.UNCARRIED_ARGUMENTS):
            return "{} {}; {}".format(place(line), estimator.uncarried_argument(argument),
                                      LEGACY_STACK)
    return None
