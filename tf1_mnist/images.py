"""People's own images turned into what the network reads.

``preprocess`` turns what people actually have (any size; PNG, JPEG, BMP; RGB,
RGBA, palette, 16-bit; dark ink on light paper or light on dark; off-centre, with
margins) into what MNIST was made of: a light digit on a dark background, cropped
to its bounding box, scaled so its longer side is 20 px, centred by centre of mass
in 28x28, in [0, 1]. ``raw_tutorial_input`` is what the tutorial fed instead.
No TensorFlow here.
"""
import numpy as np
from PIL import Image, ImageOps

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
        gray = resize(gray, float(WORKING_SIZE) / max(height, width), Image.BILINEAR)
    return gray


def resize(gray, scale, resample):
    """A float image in [0, 1] scaled by ``scale`` (each side at least 1 px)."""
    height, width = gray.shape
    size = (max(1, int(round(width * scale))), max(1, int(round(height * scale))))
    resized = Image.fromarray(np.asarray(gray, dtype=np.float32)).resize(size, resample)
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


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

    digit = resize(ink, float(BOX) / max(ink.shape), Image.LANCZOS)

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
