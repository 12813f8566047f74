"""Prediction with a saved model, and ``python -m tf1_mnist.predict IMAGE [IMAGE ...]``,
the tutorial's way to predict (the same as ``tf1-mnist predict``).

``restored`` is the one way a model directory becomes a graph and a session, for
``predict``, ``evaluate``, ``serve`` and ``export``; ``signature`` is the one list of
what a served or exported model takes and gives. Reading and preprocessing people's
images is ``tf1_mnist.images``.
"""
import contextlib
import sys

import numpy as np

from tf1_mnist import checkpoint, images as image_input
from tf1_mnist.errors import UserError, one_line

# TensorFlow (through ``session``) is imported when a model is restored, not with this
# module: a misspelt image or model folder is answered before TensorFlow's start-up.


@contextlib.contextmanager
def restored(model_dir, description=None):
    """``(session, graph pieces)`` of the model in ``model_dir``, rebuilt for inference
    (no optimizer, no dropout ops) in a graph of its own and restored, for the duration. ``description``: its
    ``model.json`` when the caller has read it already."""
    from tf1_mnist import networks, session
    from tf1_mnist.compat import tf

    description = description or checkpoint.load_description(model_dir)
    graph = tf.Graph()
    with graph.as_default():
        g = networks.build(description["model"], description["hparams"],
                           description.get("variant"), training_ops=False, dropout=False)
        saver = tf.train.Saver(tf.trainable_variables())
        with tf.Session(graph=graph, config=session.config()) as sess:
            checkpoint.restore(sess, saver, model_dir, description)
            yield sess, g


def signature(g):
    """The ``serving_default`` signature's tensors: input ``images`` (float32 [None, 784]
    in [0, 1]); outputs ``classes`` (int64 [None]) and ``probabilities`` (float32
    [None, 10])."""
    return {"inputs": {"images": g.X},
            "outputs": {"classes": g.prediction, "probabilities": g.probabilities}}


class Predictor(object):
    """A restored model, held open; use as a context manager."""

    def __init__(self, model_dir, description=None):
        self.description = description or checkpoint.load_description(model_dir)
        self._open = contextlib.ExitStack()
        self.sess, self.g = self._open.enter_context(restored(model_dir, self.description))

    def probabilities(self, inputs):
        """Class probabilities [N, 10] for network inputs [N, 784]."""
        from tf1_mnist import session

        return session.run_in_chunks(self.sess, self.g.probabilities, self.g.X,
                                     np.stack(inputs))

    def predictions(self, inputs):
        """The predicted digit [N] (arg-max of the logits) for network inputs [N, 784]."""
        from tf1_mnist import session

        return session.run_in_chunks(self.sess, self.g.prediction, self.g.X, np.stack(inputs))

    def close(self):
        self._open.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def predict_files(paths, model_dir, raw=False, out=print, err=None, top=1, show=None,
                  description=None):
    """Print one tutorial-style line per image (and with ``top`` > 1 the ``top`` most
    likely digits); with ``show``, save a picture of each input, what the network saw
    and the ten probabilities. Return how many images failed.

    Every image is read (once) before the model is restored, so a typo costs no
    TensorFlow start-up; an unreadable image is reported on ``err`` and skipped.
    ``description``: the model's already-read ``model.json``.
    """
    err = err or (lambda line: print(line, file=sys.stderr))
    inputs, names, decoded, failed = [], [], [], 0
    for path in paths:
        try:
            image = image_input.decode(path)
            inputs.append(image_input.load_input(image, raw=raw, name=path))
        except UserError as exc:
            err(one_line(exc))
            failed += 1
            continue
        names.append(path)
        decoded.append(image)
    if inputs:
        with Predictor(model_dir, description) as predictor:
            probabilities = predictor.probabilities(inputs)
        for name, p in zip(names, probabilities):
            digit = int(np.argmax(p))
            out("Prediction for test image: {} \t| Probability = {:.4f} \t| {}"
                .format(digit, p[digit], name))
            if top > 1:
                out("  top {}: {}".format(top, ", ".join(
                    "{} ({:.4f})".format(d, p[d]) for d in np.argsort(-p, kind="stable")[:top])))
        if show:
            from tf1_mnist import plots

            originals = [image_input.open_image(image, name)
                         for image, name in zip(decoded, names)]
            network_inputs = [x.reshape(28, 28) / (255.0 if raw else 1.0) for x in inputs]
            plots.predictions(names, originals, network_inputs, probabilities, show)
            out("Picture saved to {}".format(show))
    return failed


if __name__ == "__main__":
    from tf1_mnist.cli import main

    sys.exit(main(["predict"] + sys.argv[1:]))
