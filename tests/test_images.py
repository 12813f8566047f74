"""People's bad images: every one a one-line error, the good ones in the same batch
spared, every mode read alike, a huge image refused from its header."""
import os
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from conftest import PROJECT_IMAGE, assert_one_line, run_in_process
from tf1_mnist import images

# --- bad images ---------------------------------------------------------------

def _png_header(width, height):
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                               0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _bad_images(directory):
    """(name, path, why) for images that must each give one error line."""
    d = str(directory)
    made = []

    def write(name, payload):
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(payload)
        made.append(path)

    rng = np.random.RandomState(0)
    with open(PROJECT_IMAGE, "rb") as f:
        png = f.read()
    write("notes.txt", b"hello")
    write("empty.png", b"")
    for i in range(8):
        write("random{}.png".format(i), rng.bytes(int(rng.randint(1, 2000))))
    for cut in (8, 20, 33, 60, len(png) // 2, len(png) - 30):  # -12 would drop only IEND
        write("truncated{}.png".format(cut), png[:cut])
    buffer_path = os.path.join(d, "photo.jpg")
    Image.fromarray(rng.randint(0, 255, (64, 64, 3)).astype(np.uint8)).save(buffer_path)
    with open(buffer_path, "rb") as f:
        jpeg = f.read()
    os.remove(buffer_path)
    for cut in (2, 10, 100):
        write("truncated{}.jpg".format(cut), jpeg[:cut])
    write("huge.png", _png_header(12000, 12000))  # 144 megapixels, header only
    write("wide.png", _png_header(1000000, 200))
    for name, value in (("white.png", 255), ("black.png", 0), ("grey.png", 128)):
        path = os.path.join(d, name)
        Image.fromarray(np.full((40, 40), value, np.uint8)).save(path)
        made.append(path)
    path = os.path.join(d, "transparent.png")
    Image.fromarray(np.zeros((40, 40, 4), np.uint8), "RGBA").save(path)
    made.append(path)
    for name, value in (("nan.tif", np.nan), ("inf.tif", np.inf), ("neginf.tif", -np.inf)):
        pixels = np.zeros((28, 28), np.float32)
        pixels[10:18, 12:16] = value
        path = os.path.join(d, name)
        Image.fromarray(pixels, "F").save(path)
        made.append(path)
    os.mkdir(os.path.join(d, "a_directory.png"))
    made.append(os.path.join(d, "a_directory.png"))
    fifo = os.path.join(d, "fifo.png")
    os.mkfifo(fifo)
    made.append(fifo)
    made.append("/dev/null")
    made.append(os.path.join(d, "missing.png"))
    made.append(os.path.join(d, "new\nline.png"))
    return made


def test_fuzz_bad_images(tmp_path, small_model, capsys):
    paths = _bad_images(tmp_path)
    assert len(paths) >= 30
    for path in paths:
        code, out, err = run_in_process(["predict", path, "--model-dir", small_model], capsys)
        assert_one_line(code, err, 1)
        assert out == ""
    # --raw reads them as the tutorial did: the same one-line refusals
    for path in paths:
        code, _, err = run_in_process(["predict", "--raw", path, "--model-dir", small_model], capsys)
        assert_one_line(code, err, 1)


def test_a_bad_image_in_a_batch_spares_the_good_ones(tmp_path, small_model, capsys):
    tiff = str(tmp_path / "digit.tif")
    Image.open(PROJECT_IMAGE).save(tiff)
    code, out, err = run_in_process(["predict", PROJECT_IMAGE, str(tmp_path / "missing.png"), tiff,
                           "--model-dir", small_model], capsys)
    assert code == 1 and len(out.splitlines()) == 2 and len(err.splitlines()) == 1


def _modes(tmp_path):
    """The project's 7 saved in every mode Pillow writes, plus 16-bit and LAB."""
    base = Image.open(PROJECT_IMAGE).convert("L")
    made = {}
    for mode, ext in (("1", "png"), ("L", "png"), ("P", "png"), ("RGB", "png"),
                      ("RGBA", "png"), ("LA", "png"), ("CMYK", "jpg"), ("RGB", "tif"),
                      ("L", "bmp"), ("L", "gif"), ("RGB", "webp"), ("F", "tif"),
                      ("I", "png"), ("LAB", "tif"), ("YCbCr", "jpg"), ("HSV", "tif")):
        path = str(tmp_path / "seven-{}.{}".format(mode, ext))
        try:
            base.convert("RGB").convert(mode).save(path) if mode in ("LAB", "HSV", "YCbCr") \
                else base.convert(mode).save(path)
        except (OSError, ValueError, KeyError):
            continue  # this Pillow cannot write that combination
        made[mode + "." + ext] = path
    sixteen = np.asarray(base, np.uint16)  # all values <= 255 in a 16-bit PNG
    path = str(tmp_path / "seven-16bit-low.png")
    Image.fromarray(sixteen.astype(np.uint16)).save(path)
    made["16-bit <= 255"] = path
    path = str(tmp_path / "seven-16bit.png")
    Image.fromarray((sixteen.astype(np.uint32) * 257).astype(np.uint16)).save(path)
    made["16-bit"] = path
    return made


def test_every_mode_is_read_the_same(tmp_path):
    """The same picture in any mode gives (nearly) the same network input, on either
    stack: no mode crashes, none is silently read as blank."""
    reference = images.load_input(PROJECT_IMAGE)
    made = _modes(tmp_path)
    assert len(made) >= 12
    for label, path in made.items():
        difference = np.abs(images.load_input(path) - reference)
        if label.startswith("1."):  # bilevel: the anti-aliased edges become black or white
            assert difference.mean() < 0.1, label
        else:  # lossy formats (JPEG, WebP) and colour round trips move edges a little
            assert difference.max() < 0.3 and difference.mean() < 0.02, label
    low = images.load_input(made["16-bit <= 255"])
    np.testing.assert_allclose(low, reference, atol=1e-6)
    np.testing.assert_allclose(images.load_input(made["16-bit"]), reference, atol=1e-6)


def test_huge_image_is_refused_from_its_header_fast(tmp_path):
    path = str(tmp_path / "huge.png")
    with open(path, "wb") as f:
        f.write(_png_header(12000, 12000))
    start = time.time()
    with pytest.raises(Exception) as info:
        images.load_input(path)
    assert "12000x12000 pixels is more than the 120 megapixels" in str(info.value)
    assert time.time() - start < 2


