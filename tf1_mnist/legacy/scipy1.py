"""SciPy 1.1's image functions (``scipy.misc.imread``, ``imsave``, ``imresize``, ...),
removed in SciPy 1.2-1.3, for ``run``: on Pillow, with SciPy 1.1's semantics.

What TF1 research code relied on, and what is kept exactly (tests compare the bytes
with SciPy 1.1.0 itself):

* ``imsave`` and ``toimage`` scale an array that is not uint8 by its own minimum and
  maximum to 0-255 (``bytescale``: a GAN's samples in [-1, 1] become a full-range
  picture), and round half up;
* ``imresize`` goes through the same picture, so it returns uint8 whatever it is
  given; its size is a percentage (an int), a fraction (a float) or (rows, columns);
  ``interp`` is 'nearest', 'lanczos', 'bilinear', 'bicubic' or 'cubic';
* ``imread(flatten=True)`` gives float32 luminance (Pillow's 'F'); ``mode`` converts
  first; a palette picture becomes RGB (RGBA with transparency).
"""
import numpy as np
from PIL import Image, ImageFilter

_MODE_ERROR = "Mode is unknown or incompatible with input array shape."
# SciPy 1.1's numbers for Pillow's filters (Pillow's own: NEAREST=0, LANCZOS=1, ...).
_RESAMPLE = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "cubic": 3}
_FILTERS = {"blur": "BLUR", "contour": "CONTOUR", "detail": "DETAIL",
            "edge_enhance": "EDGE_ENHANCE", "edge_enhance_more": "EDGE_ENHANCE_MORE",
            "emboss": "EMBOSS", "find_edges": "FIND_EDGES", "smooth": "SMOOTH",
            "smooth_more": "SMOOTH_MORE", "sharpen": "SHARPEN"}


def bytescale(data, cmin=None, cmax=None, high=255, low=0):
    """``data`` as uint8, ``cmin``..``cmax`` (default: its own range) stretched to
    ``low``..``high``; uint8 data is returned as it is."""
    if data.dtype == np.uint8:
        return data
    if high > 255:
        raise ValueError("`high` should be less than or equal to 255.")
    if low < 0:
        raise ValueError("`low` should be greater than or equal to 0.")
    if high < low:
        raise ValueError("`high` should be greater than or equal to `low`.")
    cmin = data.min() if cmin is None else cmin
    cmax = data.max() if cmax is None else cmax
    span = cmax - cmin
    if span < 0:
        raise ValueError("`cmax` should be larger than `cmin`.")
    if span == 0:
        span = 1
    scaled = (data - cmin) * (float(high - low) / span) + low
    return (scaled.clip(low, high) + 0.5).astype(np.uint8)


def fromimage(im, flatten=False, mode=None):
    """The array of Pillow image ``im``: converted to ``mode`` first if given; a palette
    image as RGB (RGBA if it has transparency); ``flatten``: float32 luminance."""
    if not isinstance(im, Image.Image):
        raise TypeError("Input is not a PIL image.")
    if mode is not None:
        if mode != im.mode:
            im = im.convert(mode)
    elif im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if flatten:
        im = im.convert("F")
    elif im.mode == "1":
        im = im.convert("L")  # a 1-bit image's array is garbage in some Pillows
    return np.array(im)


def imread(name, flatten=False, mode=None):
    """The image file ``name`` (a path or a file object) as an array (``fromimage``)."""
    return fromimage(Image.open(name), flatten=flatten, mode=mode)


def toimage(arr, high=255, low=0, cmin=None, cmax=None, pal=None, mode=None,
            channel_axis=None):
    """A Pillow image of ``arr``: 2-D (grey, or ``mode`` 'F', 'I', '1', 'P' with
    ``pal``), or 3-D with 3 or 4 channels on ``channel_axis`` (default: the first axis
    of length 3, else of 4); not uint8 data is ``bytescale``d."""
    data = np.asarray(arr)
    if np.iscomplexobj(data):
        raise ValueError("Cannot convert a complex-valued array.")
    shape = list(data.shape)
    if not (len(shape) == 2 or len(shape) == 3 and (3 in shape or 4 in shape)):
        raise ValueError("'arr' does not have a suitable array shape for any mode.")
    if len(shape) == 2:
        return _grey(data, (shape[1], shape[0]), high, low, cmin, cmax, pal, mode)
    if channel_axis is None:
        axis = shape.index(3) if 3 in shape else shape.index(4)
    else:
        axis = channel_axis
    channels = shape[axis]
    if channels not in (3, 4):
        raise ValueError("Channel axis dimension is not valid.")
    scaled = bytescale(data, high=high, low=low, cmin=cmin, cmax=cmax)
    if axis == 2:
        size = (shape[1], shape[0])
    elif axis == 1:
        scaled, size = np.transpose(scaled, (0, 2, 1)), (shape[2], shape[0])
    else:
        scaled, size = np.transpose(scaled, (1, 2, 0)), (shape[2], shape[1])
    if mode is None:
        mode = "RGB" if channels == 3 else "RGBA"
    if mode not in ("RGB", "RGBA", "YCbCr", "CMYK"):
        raise ValueError(_MODE_ERROR)
    if channels != (3 if mode in ("RGB", "YCbCr") else 4):
        raise ValueError("Invalid array shape for mode.")
    return Image.frombytes(mode, size, np.ascontiguousarray(scaled).tobytes())


def _grey(data, size, high, low, cmin, cmax, pal, mode):
    if mode == "F":
        return Image.frombytes("F", size, data.astype(np.float32).tobytes())
    if mode in (None, "L", "P"):
        image = Image.frombytes("L", size, bytescale(
            data, high=high, low=low, cmin=cmin, cmax=cmax).tobytes())
        if pal is None and mode == "P":  # a grey palette
            pal = np.arange(0, 256, 1, dtype=np.uint8)[:, np.newaxis] * \
                np.ones((3,), dtype=np.uint8)[np.newaxis, :]
        if pal is not None:
            image.putpalette(np.asarray(pal, dtype=np.uint8).tobytes())  # mode 'P'
        return image
    if mode == "1":  # ``high`` is the threshold
        return Image.frombytes("1", size, (data > high).tobytes())
    if mode != "I":
        raise ValueError(_MODE_ERROR)
    cmin = np.amin(np.ravel(data)) if cmin is None else cmin
    cmax = np.amax(np.ravel(data)) if cmax is None else cmax
    data = (data * 1.0 - cmin) * (high - low) / (cmax - cmin) + low
    return Image.frombytes("I", size, data.astype(np.uint32).tobytes())


def imsave(name, arr, format=None):  # noqa: A002 (SciPy's parameter name)
    """Save ``arr`` (``toimage``, channels last) to ``name``, in the format its
    extension names unless ``format`` is given."""
    image = toimage(arr, channel_axis=2)
    if format is None:
        image.save(name)
    else:
        image.save(name, format)


def imresize(arr, size, interp="bilinear", mode=None):
    """``arr`` resized, as uint8 (it goes through ``toimage``): ``size`` an int is a
    percentage, a float a fraction, a pair (rows, columns)."""
    im = toimage(arr, mode=mode)
    if np.issubdtype(type(size), np.signedinteger):
        size = tuple((np.array(im.size) * (size / 100.0)).astype(int))
    elif np.issubdtype(type(size), np.floating):
        size = tuple((np.array(im.size) * size).astype(int))
    else:
        size = (size[1], size[0])
    return fromimage(im.resize(size, resample=_RESAMPLE[interp]))


def imrotate(arr, angle, interp="bilinear"):
    """``arr`` rotated ``angle`` degrees anticlockwise, as uint8, the same size."""
    im = toimage(np.asarray(arr))
    return fromimage(im.rotate(angle, resample=_RESAMPLE[interp]))


def imfilter(arr, ftype):
    """``arr`` through one of Pillow's simple filters ('blur', 'contour', 'detail',
    'edge_enhance', 'edge_enhance_more', 'emboss', 'find_edges', 'smooth',
    'smooth_more', 'sharpen'), as uint8."""
    im = toimage(arr)
    if ftype not in _FILTERS:
        raise ValueError("Unknown filter type.")
    return fromimage(im.filter(getattr(ImageFilter, _FILTERS[ftype])))
