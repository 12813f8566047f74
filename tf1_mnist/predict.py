"""Predicting the digit in people's own images with a saved model.

``preprocess`` turns what people actually have (any size; PNG, JPEG, BMP; RGB,
RGBA, palette, 16-bit; dark ink on light paper or light on dark; off-centre, with
margins) into what MNIST was made of: a light digit on a dark background, cropped
to its bounding box, scaled so its longer side is 20 px, centred by centre of mass
in 28x28, in [0, 1]. ``raw_tutorial_input`` is what the tutorial fed instead.

Run as ``python -m tf1_mnist.predict IMAGE [IMAGE ...]``.
"""
import sys

import numpy as np
from PIL import Image, ImageOps

from tf1_mnist import checkpoint
from tf1_mnist.errors import UserError

SIDE = 28
BOX = 20
# Photos are shrunk to this first: the digit ends up 20 px anyway.
WORKING_SIZE = 512
# Ink must stand out from the background by this much (of the 0-1 range).
MIN_CONTRAST = 0.15


def _open(path):
    """The PIL image at ``path``, fully read; UserError for anything that is not one."""
    try:
        image = Image.open(path)
        image.load()
        return image
    except FileNotFoundError:
        raise UserError("{}: no such file; check the path".format(path))
    except IsADirectoryError:
        raise UserError("{}: is a directory, not an image file".format(path))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UserError("{}: not a readable image ({}); give a PNG, JPEG or BMP file"
                        .format(path, str(exc).split("\n")[0][:120]))


def open_image(path):
    """The image at ``path`` as grayscale float64 in [0, 1] (0 black), EXIF-upright."""
    gray = _to_gray(ImageOps.exif_transpose(_open(path)))
    height, width = gray.shape
    if max(height, width) > WORKING_SIZE:
        scale = float(WORKING_SIZE) / max(height, width)
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        small = Image.fromarray(gray.astype(np.float32)).resize(size, Image.BILINEAR)
        gray = np.asarray(small, dtype=np.float64)
    return gray


def _to_gray(image):
    """Grayscale in [0, 1], with transparency flattened onto a contrasting background."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        return np.clip(values / top, 0.0, 1.0)
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float64) / 255.0
        alpha = rgba[..., 3]
        gray = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
        if alpha.min() == 1.0:
            return gray
        if alpha.max() == 0.0:
            return np.zeros_like(gray)
        # Drawing apps export ink on a transparent background: put the opaque part on
        # the background it contrasts with (paper for dark ink, black for light ink).
        ink_is_dark = np.average(gray, weights=alpha) < 0.5
        background = 1.0 if ink_is_dark else 0.0
        return alpha * gray + (1.0 - alpha) * background
    return np.asarray(image.convert("L"), dtype=np.float64) / 255.0


def preprocess(gray, name="image"):
    """A grayscale [0, 1] image -> float32 [784], MNIST-style (see the module docstring).

    Raises UserError when no digit stands out from the background.
    """
    gray = np.asarray(gray, dtype=np.float64)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5:  # dark ink on light paper: make the digit light
        gray = 1.0 - gray
        border = 1.0 - border
    background = np.median(border)
    ink = gray - background
    contrast = np.percentile(ink, 99.9) if ink.size > 1000 else ink.max()
    if contrast < MIN_CONTRAST:
        raise UserError("{}: no digit found (the image is blank or its strokes barely "
                        "differ from the background); draw or photograph the digit in "
                        "dark ink on light paper, or light on dark".format(name))
    # Stretch ink to [0, 1] and drop the faint paper texture and JPEG noise below 20%.
    ink = np.clip(ink / contrast, 0.0, 1.0)
    ink[ink < 0.2] = 0.0

    rows = np.flatnonzero(ink.max(axis=1))
    cols = np.flatnonzero(ink.max(axis=0))
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]

    height, width = ink.shape
    scale = float(BOX) / max(height, width)
    size = (max(1, int(round(width * scale))), max(1, int(round(height * scale))))
    digit = Image.fromarray(np.uint8(np.round(ink * 255))).resize(size, Image.LANCZOS)
    digit = np.asarray(digit, dtype=np.float64) / 255.0

    out = np.zeros((SIDE, SIDE))
    total = digit.sum()
    if total > 0:
        ys, xs = np.indices(digit.shape)
        cy, cx = (ys * digit).sum() / total, (xs * digit).sum() / total
    else:
        cy, cx = (digit.shape[0] - 1) / 2.0, (digit.shape[1] - 1) / 2.0
    top = int(np.clip(round(SIDE / 2.0 - 0.5 - cy), 0, SIDE - digit.shape[0]))
    left = int(np.clip(round(SIDE / 2.0 - 0.5 - cx), 0, SIDE - digit.shape[1]))
    out[top:top + digit.shape[0], left:left + digit.shape[1]] = digit
    return out.astype(np.float32).ravel()


def raw_tutorial_input(path):
    """What the tutorial fed: ``np.invert(Image.open(path).convert('L')).ravel()``.

    0-255, inverted, not resized, so only a 28x28 image fits the network.
    """
    image = _open(path)
    if image.size != (SIDE, SIDE):
        raise UserError("{}: --raw feeds the image unchanged and needs 28x28 pixels, this "
                        "one is {}x{}; drop --raw to preprocess it".format(path, *image.size))
    return np.invert(np.asarray(image.convert("L"))).ravel().astype(np.float32)


def load_input(path, raw=False):
    """The network input [784] for one image file."""
    if raw:
        return raw_tutorial_input(path)
    return preprocess(open_image(path), name=path)


class Predictor(object):
    """A restored model in its own graph and session; use as a context manager."""

    def __init__(self, model_dir):
        from tf1_mnist import networks
        from tf1_mnist.compat import tf
        from tf1_mnist.train import session_config

        self.description = d = checkpoint.load_description(model_dir)
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.g = networks.build(d["model"], d["hparams"], d.get("variant") or "faithful",
                                    training_ops=False)
            saver = tf.train.Saver(tf.trainable_variables())
        self.sess = tf.Session(graph=self.graph, config=session_config())
        try:
            checkpoint.restore(self.sess, saver, model_dir, self.description)
        except BaseException:
            self.sess.close()
            raise

    def probabilities(self, inputs):
        """Class probabilities [N, 10] for network inputs [N, 784]."""
        from tf1_mnist.train import probabilities_in_chunks

        return probabilities_in_chunks(self.sess, self.g, np.stack(inputs))

    def close(self):
        self.sess.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def predict_files(paths, model_dir, raw=False, out=print, err=None):
    """Print one tutorial-style line per image; return how many images failed.

    Every image is read before the model is restored, so a typo costs no
    TensorFlow start-up; an unreadable image is reported on ``err`` and skipped.
    """
    err = err or (lambda line: print(line, file=sys.stderr))
    inputs, names, failed = [], [], 0
    for path in paths:
        try:
            inputs.append(load_input(path, raw=raw))
            names.append(path)
        except UserError as exc:
            err("error: {}".format(exc))
            failed += 1
    if inputs:
        with Predictor(model_dir) as predictor:
            probabilities = predictor.probabilities(inputs)
        for name, p in zip(names, probabilities):
            digit = int(np.argmax(p))
            out("Prediction for test image: {} \t| Probability = {:.4f} \t| {}"
                .format(digit, p[digit], name))
    return failed


if __name__ == "__main__":
    from tf1_mnist.cli import main

    sys.exit(main(["predict"] + sys.argv[1:]))
