"""Restoring a saved model and predicting with it: for ``predict``, ``evaluate`` and
anything else that asks a trained network for digits."""
import sys

import numpy as np

from tf1_mnist import checkpoint, images as image_input, session
from tf1_mnist.errors import UserError, one_line


class Predictor(object):
    """A restored model in its own graph and session; use as a context manager."""

    def __init__(self, model_dir):
        from tf1_mnist import networks
        from tf1_mnist.compat import tf

        self.description = d = checkpoint.load_description(model_dir)
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.g = networks.build(d["model"], d["hparams"], d.get("variant") or "faithful",
                                    training_ops=False)
            saver = tf.train.Saver(tf.trainable_variables())
        self.sess = tf.Session(graph=self.graph, config=session.config())
        try:
            checkpoint.restore(self.sess, saver, model_dir, self.description)
        except BaseException:
            self.sess.close()
            raise

    def probabilities(self, inputs):
        """Class probabilities [N, 10] for network inputs [N, 784]."""
        return session.run_in_chunks(self.sess, self.g.probabilities, self.g.X,
                                     np.stack(inputs))

    def predictions(self, inputs):
        """The predicted digit [N] (arg-max of the logits) for network inputs [N, 784]."""
        return session.run_in_chunks(self.sess, self.g.prediction, self.g.X, np.stack(inputs))

    def close(self):
        self.sess.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def predict_files(paths, model_dir, raw=False, out=print, err=None, top=1, show=None):
    """Print one tutorial-style line per image (and with ``top`` > 1 the ``top`` most
    likely digits); with ``show``, save a picture of each input, what the network saw
    and the ten probabilities. Return how many images failed.

    Every image is read before the model is restored, so a typo costs no
    TensorFlow start-up; an unreadable image is reported on ``err`` and skipped.
    """
    err = err or (lambda line: print(line, file=sys.stderr))
    inputs, names, failed = [], [], 0
    for path in paths:
        try:
            inputs.append(image_input.load_input(path, raw=raw))
            names.append(path)
        except UserError as exc:
            err(one_line(exc))
            failed += 1
    if inputs:
        with Predictor(model_dir) as predictor:
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

            originals = [image_input.open_image(name) for name in names]
            network_inputs = [x.reshape(28, 28) / (255.0 if raw else 1.0) for x in inputs]
            plots.predictions(names, originals, network_inputs, probabilities, show)
            out("Picture saved to {}".format(show))
    return failed
