"""The cases on which tf1_mnist/legacy/scipy1.py must give SciPy 1.1.0's bytes.

``python scipy1_cases.py scipy|ours OUT.npz``: every case's result, through SciPy's own
``scipy.misc`` (SciPy 1.1.0, on Python 3.6) or through ours, into OUT.npz (an array per
case; a case that raises records its error). The test runs both and compares.
"""
import io
import os
import sys
import tempfile

import numpy as np
from PIL import Image

INTERPS = ("nearest", "lanczos", "bilinear", "bicubic", "cubic")
FILTERS = ("blur", "contour", "detail", "edge_enhance", "edge_enhance_more", "emboss",
           "find_edges", "smooth", "smooth_more", "sharpen")


def inputs():
    """Arrays as research code fed them: a GAN's tanh samples, a VAE's sigmoid ones,
    uint8 photos, ints, constant arrays, channels first."""
    rng = np.random.RandomState(0)
    return {
        "tanh": np.tanh(rng.randn(17, 23)).astype(np.float32),
        "sigmoid": 1 / (1 + np.exp(-rng.randn(28, 28))),
        "rgb_float": rng.rand(9, 11, 3),
        "rgb_uint8": rng.randint(0, 256, (9, 11, 3)).astype(np.uint8),
        "rgba_uint8": rng.randint(0, 256, (8, 6, 4)).astype(np.uint8),
        "chw": rng.rand(3, 7, 5).astype(np.float32),
        "hcw": rng.rand(7, 3, 5),
        "grey_uint8": rng.randint(0, 256, (13, 10)).astype(np.uint8),
        "int16": rng.randint(-300, 300, (6, 9)).astype(np.int16),
        "constant": np.full((5, 5), 0.25),
        "grid": np.linspace(-1.0, 1.0, 64 * 48).reshape(64, 48),
    }


def image_bytes(image):
    """An image as one uint8 array: mode, size, palette and pixels."""
    palette = (image.getpalette() or []) if image.mode == "P" else []
    header = "{} {}x{}|".format(image.mode, *image.size).encode()
    pixels = np.array(image).tobytes()
    return np.frombuffer(header + bytes(bytearray(palette)) + b"|" + pixels, np.uint8)


def array_bytes(array):
    """An array as one uint8 array: dtype, shape and bytes."""
    array = np.asarray(array)
    header = "{} {}|".format(array.dtype.str, array.shape).encode()
    return np.frombuffer(header + np.ascontiguousarray(array).tobytes(), np.uint8)


def cases(misc, folder):
    """{case: a function giving its result as uint8 bytes} for module ``misc``."""
    data = inputs()
    found = {}
    for name, array in sorted(data.items()):
        found["bytescale " + name] = lambda a=array: array_bytes(misc.bytescale(a))
        found["toimage " + name] = lambda a=array: image_bytes(misc.toimage(a))
        for interp in INTERPS:
            for size in (50, 175, 0.5, 1.7, (13, 7)):
                found["imresize {} {} {}".format(name, interp, size)] = \
                    lambda a=array, i=interp, s=size: array_bytes(misc.imresize(a, s, i))
        for interp in ("nearest", "bilinear", "bicubic"):
            found["imrotate {} {}".format(name, interp)] = \
                lambda a=array, i=interp: array_bytes(misc.imrotate(a, 30, i))
        for ftype in FILTERS:
            found["imfilter {} {}".format(name, ftype)] = \
                lambda a=array, f=ftype: array_bytes(misc.imfilter(a, f))
    tanh, grey = data["tanh"], data["grey_uint8"]
    found.update({
        "bytescale cmin cmax": lambda: array_bytes(misc.bytescale(tanh, cmin=-0.5, cmax=0.5)),
        "bytescale high low": lambda: array_bytes(misc.bytescale(tanh, high=200, low=10)),
        "bytescale high > 255": lambda: array_bytes(misc.bytescale(tanh, high=256)),
        "toimage cmin cmax": lambda: image_bytes(misc.toimage(tanh, cmin=0, cmax=1)),
        "toimage mode F": lambda: image_bytes(misc.toimage(tanh, mode="F")),
        "toimage mode I": lambda: image_bytes(misc.toimage(data["int16"], mode="I")),
        "toimage mode P": lambda: image_bytes(misc.toimage(tanh, mode="P")),
        "toimage pal": lambda: image_bytes(misc.toimage(grey, pal=np.arange(768) % 256)),
        "toimage channel_axis 1": lambda: image_bytes(
            misc.toimage(data["hcw"], channel_axis=1)),
        "toimage YCbCr": lambda: image_bytes(misc.toimage(data["rgb_uint8"], mode="YCbCr")),
        "toimage CMYK": lambda: image_bytes(misc.toimage(data["rgba_uint8"], mode="CMYK")),
        "toimage bad mode": lambda: image_bytes(misc.toimage(data["rgb_uint8"], mode="L")),
        "toimage 1-D": lambda: image_bytes(misc.toimage(np.zeros(5))),
        "toimage complex": lambda: image_bytes(misc.toimage(np.zeros((3, 3), complex))),
        "imresize mode F": lambda: array_bytes(misc.imresize(tanh, (8, 9), mode="F")),
        "imfilter unknown": lambda: array_bytes(misc.imfilter(grey, "unknown")),
        "fromimage not an image": lambda: array_bytes(misc.fromimage(grey)),
    })
    for name in ("tanh", "rgb_float", "rgba_uint8", "grid"):
        path = os.path.join(folder, name + ".png")
        found["imsave+imread " + name] = \
            lambda a=data[name], p=path: _saved_and_read(misc, a, p)
    found.update(_read_cases(misc, folder))
    return found


def _saved_and_read(misc, array, path):
    misc.imsave(path, array)
    return image_bytes(Image.open(path))


def _read_cases(misc, folder):
    """imread / fromimage of the files programs read: palette, transparent palette,
    1-bit, grey, RGB; flattened and converted."""
    rng = np.random.RandomState(1)
    rgb = Image.fromarray(rng.randint(0, 256, (10, 12, 3)).astype(np.uint8))
    # Made pixel by pixel: Pillow's own conversion to a palette differs between versions.
    palette = Image.frombytes("P", (12, 10), rng.randint(0, 16, (10, 12)).astype(
        np.uint8).tobytes())
    palette.putpalette(list(rng.randint(0, 256, 16 * 3)))
    files = {"rgb": rgb, "palette": palette, "grey": rgb.convert("L"),
             "bits": rgb.convert("1")}
    transparent = palette.copy()
    found = {}
    for name, image in sorted(files.items()):
        path = os.path.join(folder, "read_" + name + ".png")
        image.save(path)
        for flatten, mode in ((False, None), (True, None), (False, "L"), (False, "RGBA"),
                              (False, "F")):
            found["imread {} {} {}".format(name, flatten, mode)] = \
                lambda p=path, f=flatten, m=mode: array_bytes(misc.imread(p, f, m))
    path = os.path.join(folder, "read_transparent.png")
    transparent.save(path, transparency=0)
    found["imread transparent palette"] = lambda: array_bytes(misc.imread(path))
    found["imread file object"] = lambda: array_bytes(
        misc.imread(io.BytesIO(open(path, "rb").read())))
    found["fromimage palette"] = lambda: array_bytes(misc.fromimage(palette))
    # Pillow's own conversion, without SciPy's code: where it differs between the
    # stacks, so may what is built on it (see test_scipy1.py).
    found["Pillow: palette to L"] = lambda: array_bytes(np.array(Image.open(
        os.path.join(folder, "read_palette.png")).convert("L")))
    return found


def run_all(misc):
    """{case: uint8 result, or the error's type and message as bytes}."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, case in sorted(cases(misc, folder).items()):
            try:
                results[name] = case()
            except Exception as exc:  # noqa: BLE001 (the error is part of the result)
                results[name] = np.frombuffer("raises {}: {}".format(
                    type(exc).__name__, exc).encode(), np.uint8)
    return results


def ours():
    from tf1_mnist.legacy import scipy1
    return scipy1


if __name__ == "__main__":
    if sys.argv[1] == "scipy":
        import scipy.misc as misc
    else:
        misc = ours()
    np.savez(sys.argv[2], **run_all(misc))
