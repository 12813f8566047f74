"""People's own images turned into what the network reads.

``preprocess`` turns what people actually have (any size; PNG, JPEG, BMP; RGB,
RGBA, palette, 16-bit; dark ink on light paper or light on dark; off-centre, with
margins) into what MNIST was made of: a light digit on a dark background, cropped
to its bounding box, scaled so its longer side is 20 px, centred by centre of mass
in 28x28, in [0, 1]. ``raw_tutorial_input`` is what the tutorial fed instead.
No TensorFlow here.
"""
import io
import os
import re
import stat
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from tf1_mnist.errors import UserError

SIDE = 28
BOX = 20
# Where MNIST puts a digit's centre of mass, (row, column) in pixel indices: the mean
# over the 60,000 training images is (13.996, 14.007) (tests/test_images.py
# measures it).
MNIST_CENTRE = (14.0, 14.0)
# Photos are shrunk to this first: the digit ends up 20 px anyway.
WORKING_SIZE = 512
# Refused from the header: decoding more takes seconds and gigabytes (Pillow itself
# warns from 89 megapixels). A 108-megapixel phone photo still passes.
MAX_PIXELS = 120 * 10 ** 6
# Images at least this large (after shrinking to WORKING_SIZE) are photos or scans:
# their noise is filtered before the digit's bounding box is taken.
DENOISE_FROM = 56
# Ink must stand out from the background by this much (of the 0-1 range).
MIN_CONTRAST = 0.15


def decode(source, name=None):
    """The PIL image in ``source`` (a path, or the bytes of an image file, called
    ``name`` in messages), fully read and EXIF-upright; UserError for anything that is
    not one. Only regular files are opened (a FIFO would block forever), and an image
    is refused from its header when it is too large to decode quickly. Every function
    here that takes a source also takes an image this returned, so a file is decoded
    once."""
    if isinstance(source, Image.Image):
        return source
    if isinstance(source, bytes):
        return _decode(io.BytesIO(source), name or "image")
    path = source
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UserError("{}: no such file; check the path".format(path))
    except OSError as exc:
        raise UserError("{}: cannot read it ({}); check the path and permissions".format(
            path, exc.strerror or exc))
    if stat.S_ISDIR(mode):
        raise UserError("{}: is a directory, not an image file".format(path))
    if not stat.S_ISREG(mode):
        raise UserError("{}: is not a regular file (a pipe, device or socket); give an "
                        "image file".format(path))
    return _decode(path, path)


def _decode(source, path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise UserError("{}: {}x{} pixels is more than the {} megapixels accepted; "
                                "shrink the image first".format(path, width, height,
                                                                MAX_PIXELS // 10 ** 6))
            image.load()
    except UserError:
        raise
    except PermissionError as exc:
        raise UserError("{}: cannot read it ({}); check its permissions".format(
            path, exc.strerror))
    except Exception as exc:  # Pillow's decoders fail in many ways on damaged files
        detail = re.sub(r" ?<_io\.BytesIO object at 0x[0-9a-f]+>| ?'[^']*'$", "",
                        str(exc).split("\n")[0]) or type(exc).__name__
        raise UserError("{}: not a readable image ({}); give a PNG, JPEG or BMP file"
                        .format(path, detail[:120]))
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # Pillow 8.4 fails on some TIFF tags: use the image as stored
        return image


def open_image(source, name=None):
    """The image (a path or file bytes) as grayscale float64 in [0, 1] (0 black),
    EXIF-upright, shrunk to at most WORKING_SIZE."""
    name = name or source
    gray = _to_gray(decode(source, name), name)
    height, width = gray.shape
    if max(height, width) > WORKING_SIZE:
        gray = resize(gray, float(WORKING_SIZE) / max(height, width), Image.BILINEAR)
    return gray


def resize(gray, scale, resample):
    """A float image in [0, 1] scaled by ``scale`` (each side at least 1 px)."""
    height, width = gray.shape
    size = (max(1, int(round(width * scale))), max(1, int(round(height * scale))))
    resized = Image.fromarray(np.asarray(gray, dtype=np.float32)).resize(size, resample)
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


def _to_gray(image, name="image"):
    """Grayscale in [0, 1], with transparency flattened onto a contrasting background.

    Every mode Pillow opens gives the same answer on both stacks: integer images
    (``I``, ``I;16``: which one a 16-bit PNG opens as depends on the Pillow version)
    are 16-bit if any value exceeds 255, else 8-bit; float images are in [0, 1] if
    no value exceeds 1; LAB uses its lightness channel.
    """
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        values = np.asarray(image, dtype=np.float64)
        if not np.all(np.isfinite(values)):
            raise UserError("{}: has NaN or infinite pixel values, so no digit found; "
                            "save the image with ordinary pixel values".format(name))
        top = values.max() if values.size else 0.0
        scale = 1.0 if image.mode == "F" and top <= 1.0 else 255.0 if top <= 255 else 65535.0
        return np.clip(values / scale, 0.0, 1.0)
    if image.mode == "LAB":
        return np.asarray(image.getchannel(0), dtype=np.float64) / 255.0
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
    return np.asarray(_luma(image, name), dtype=np.float64) / 255.0


def _luma(image, name):
    """``image.convert("L")``, or a one-line error for a mode Pillow cannot convert."""
    try:
        return image.convert("L")
    except (ValueError, OSError) as exc:
        if image.mode == "LAB":
            return image.getchannel(0)
        raise UserError("{}: its colour mode {} cannot be read as grayscale ({}); save it "
                        "as an ordinary PNG".format(name, image.mode, exc))


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

    mask = ink
    if min(ink.shape) >= DENOISE_FROM:
        # Photos: an isolated speck of sensor or JPEG noise above the threshold would
        # stretch the bounding box and shrink the digit. A 3x3 median keeps strokes.
        mask = np.asarray(Image.fromarray(np.uint8(np.round(ink * 255))).filter(
            ImageFilter.MedianFilter(3)))
    rows = np.flatnonzero(mask.max(axis=1))
    cols = np.flatnonzero(mask.max(axis=0))
    if not len(rows):
        raise UserError("{}: no digit found (only specks stand out from the background); "
                        "draw or photograph the digit larger, in dark ink on light paper, "
                        "or light on dark".format(name))
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]

    digit = resize(ink, float(BOX) / max(ink.shape), Image.LANCZOS)
    return centre(digit).ravel()


def centre(digit):
    """Place ``digit`` (float, at most 20x20) in 28x28 with its centre of mass exactly at
    MNIST's: a sub-pixel shift, bilinear, as an affine transform."""
    # A zero border: at the edges of its input, Pillow's bilinear sampling repeats the
    # edge pixels, and a cropped digit touches every edge.
    digit = np.pad(np.asarray(digit, dtype=np.float64), 2)
    total = digit.sum()
    ys, xs = np.indices(digit.shape)
    cy, cx = ((ys * digit).sum() / total, (xs * digit).sum() / total) if total > 0 else \
        ((digit.shape[0] - 1) / 2.0, (digit.shape[1] - 1) / 2.0)
    shift_y, shift_x = MNIST_CENTRE[0] - cy, MNIST_CENTRE[1] - cx
    moved = Image.fromarray(np.asarray(digit, dtype=np.float32), "F").transform(
        (SIDE, SIDE), Image.AFFINE, (1, 0, -shift_x, 0, 1, -shift_y), resample=Image.BILINEAR)
    return np.clip(np.asarray(moved, dtype=np.float32), 0.0, 1.0)


def raw_tutorial_input(source, name=None, shrink=False):
    """What the tutorial fed: ``np.invert(Image.open(path).convert('L')).ravel()``.

    0-255, inverted, not resized, so only a 28x28 image fits the network; with
    ``shrink`` a larger image is first resized to 28x28 (as a reader would have done
    to feed the tutorial a drawing), still not cropped, centred or scaled to [0, 1].
    """
    path = name or source
    image = decode(source, path)
    if shrink and image.size != (SIDE, SIDE):
        image = image.convert("RGBA" if "A" in image.getbands() else "L").resize(
            (SIDE, SIDE), Image.BILINEAR)
    if image.size != (SIDE, SIDE):
        raise UserError("{}: --raw feeds the image unchanged and needs 28x28 pixels, this "
                        "one is {}x{}; drop --raw to preprocess it".format(path, *image.size))
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        luma = np.uint8(np.round(_to_gray(image, path) * 255))
    else:
        luma = np.asarray(_luma(image, path))
    return np.invert(luma).ravel().astype(np.float32)


def load_input(source, raw=False, name=None):
    """The network input [784] for one image (a path, or file bytes called ``name``)."""
    if raw:
        return raw_tutorial_input(source, name)
    return preprocess(open_image(source, name), name=name or source)
