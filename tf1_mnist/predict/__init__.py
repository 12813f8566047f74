"""Predicting the digit in people's image files: ``predict_files`` prints the tutorial's
line for each (``tf1-mnist predict``, and ``python -m tf1_mnist.predict IMAGE ...``, the
tutorial's way, in ``__main__.py``). Restoring the model is ``tf1_mnist.restore``;
reading and preprocessing the images, ``tf1_mnist.images``.
"""
import sys

import numpy as np

from tf1_mnist import images as image_input
from tf1_mnist.errors import UserError, one_line
from tf1_mnist.restore import Predictor


def predict_files(paths, model, raw=False, out=print, err=None, top=1, show=None):
    """Print one tutorial-style line per image (and with ``top`` > 1 the ``top`` most
    likely digits); with ``show``, save a picture of each input, what the network saw
    and the ten probabilities. Return how many images failed.

    Every image is read (once) before the model is restored, so a typo costs no
    TensorFlow start-up; an unreadable image is reported on ``err`` and skipped.
    ``model``: ``checkpoint.open_model``'s.
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
        with Predictor(model) as predictor:
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
