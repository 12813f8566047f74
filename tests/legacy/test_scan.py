"""tf1_mnist/legacy/scan.py: what a program's files use, read from their text."""
from tf1_mnist.legacy import scan


def _contrib_uses(text):
    """(line, 'tf.contrib.X') of each use of ``tf.contrib`` that ``scan.api_uses`` finds."""
    return sorted({(line, ".".join(name.split(".")[:3])) for line, name in scan.api_uses(text)
                   if name.split(".")[:2] == ["tf", "contrib"]})


def test_contrib_uses_are_found_in_every_form():
    text = ("import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"
            "from tensorflow.contrib import rnn\nfrom tensorflow.contrib.learn import x\n"
            "y = tf.contrib.layers.flatten\nimport tensorflow.compat.v1 as t1\n"
            "z = t1.contrib\n")
    assert _contrib_uses(text) == [
        (2, "tf.contrib.slim"), (3, "tf.contrib.rnn"), (4, "tf.contrib.learn"),
        (5, "tf.contrib.layers"), (7, "tf.contrib")]
    assert _contrib_uses("import numpy as tf\ntf.contrib = 1\n") == []


def test_api_uses_follow_imports_and_skip_assignments():
    text = ("import tensorflow as tf\nfrom tensorflow.contrib import rnn\n"
            "cell = rnn.BasicLSTMCell(8)\ntf.flags = None\n"
            "h = tf.layers.dense(x, 3).shape\nfrom tensorflow.python.client import timeline\n")
    assert scan.api_uses(text) == [
        (1, "tf"), (2, "tf.contrib.rnn"), (3, "tf.contrib.rnn.BasicLSTMCell"),
        (5, "tf.layers.dense"), (6, "tf.python.client.timeline")]
