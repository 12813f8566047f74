"""tf1_mnist/images.py: people's images read and preprocessed the way MNIST was made.

Synthetic images of every kind people feed in (photos, palettes, 16-bit, transparency,
light on dark, specks) against a reference; the tutorial's raw feed; centring where
MNIST centres. People's bad images: every one a one-line error, the good ones in the
same batch spared, every mode read alike, a huge image refused from its header."""
import io
import os
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from conftest import PROJECT_IMAGE, assert_one_line, run_in_process
from tf1_mnist import images
from tf1_mnist.errors import UserError


def ink_mask(size=(400, 400), box=(100, 60, 300, 340)):
    """A '4' drawn with thick strokes: 1.0 where there is ink, as a float array."""
    canvas = Image.new("L", size, 0)
    pen = ImageDraw.Draw(canvas)
    left, top, right, bottom = box
    w, h = right - left, bottom - top
    stroke = max(3, w // 8)
    pen.line([(left + 0.6 * w, top), (left, top + 0.65 * h), (right, top + 0.65 * h)],
             fill=255, width=stroke)
    pen.line([(left + 0.7 * w, top + 0.3 * h), (left + 0.7 * w, bottom)], fill=255, width=stroke)
    return np.asarray(canvas, dtype=np.float64) / 255.0


def compose(mask, ink, paper):
    """Gray levels in [0, 1]: ``ink`` where the mask is set, ``paper`` elsewhere."""
    return paper + (ink - paper) * mask


def as_file(image, fmt="PNG", **save_args):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save_args)
    buffer.seek(0)
    return buffer


def prep(image_or_file, tmp_path, name="img.png"):
    path = tmp_path / name
    if isinstance(image_or_file, Image.Image):
        image_or_file.save(str(path))
    else:
        path.write_bytes(image_or_file.read())
    return images.load_input(str(path))


def similarity(a, b):
    return float(np.corrcoef(a, b)[0, 1])


@pytest.fixture
def reference(tmp_path):
    """The clean case: black ink on white paper, grayscale PNG."""
    mask = ink_mask()
    gray = compose(mask, 0.0, 1.0)
    return prep(Image.fromarray(np.uint8(gray * 255)), tmp_path, "reference.png")


def _uint8(gray):
    return np.uint8(np.round(np.clip(gray, 0, 1) * 255))


def test_output_is_mnist_shaped(reference):
    assert reference.shape == (784,) and reference.dtype == np.float32
    assert reference.min() == 0.0 and 0.95 <= reference.max() <= 1.0
    digit = reference.reshape(28, 28)
    rows = np.flatnonzero(digit.max(axis=1) > 0)
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) in (20, 21)  # LANCZOS may bleed
    ys, xs = np.indices(digit.shape)
    cy, cx = (ys * digit).sum() / digit.sum(), (xs * digit).sum() / digit.sum()
    assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0
    assert digit[:, :2].sum() == 0 and digit[:2].sum() == 0  # MNIST keeps a margin


def test_light_ink_on_dark(reference, tmp_path):
    gray = compose(ink_mask(), 1.0, 0.0)
    assert similarity(prep(Image.fromarray(_uint8(gray)), tmp_path), reference) > 0.98


def test_large_rgb_photo_like_with_margins_off_centre(reference, tmp_path):
    mask = ink_mask(size=(1600, 1200), box=(1100, 700, 1400, 1120))  # bottom-right corner
    gray = compose(mask, 0.25, 0.75)
    noise = np.random.RandomState(0).normal(0, 0.03, gray.shape)
    gradient = np.linspace(-0.05, 0.05, gray.shape[1])[np.newaxis, :]
    rgb = np.stack([gray + noise + gradient] * 3, axis=-1) * np.array([1.0, 0.97, 0.9])
    image = Image.fromarray(_uint8(rgb))
    assert similarity(prep(image, tmp_path), reference) > 0.97


def test_jpeg_and_bmp(reference, tmp_path):
    image = Image.fromarray(_uint8(compose(ink_mask(), 0.1, 0.95))).convert("RGB")
    jpeg = prep(as_file(image, "JPEG", quality=70), tmp_path, "img.jpg")
    bmp = prep(as_file(image, "BMP"), tmp_path, "img.bmp")
    assert similarity(jpeg, reference) > 0.95
    assert similarity(bmp, reference) > 0.98


def test_palette_png(reference, tmp_path):
    image = Image.fromarray(_uint8(compose(ink_mask(), 0.0, 1.0))).convert("RGB").convert(
        "P", palette=Image.ADAPTIVE, colors=16)
    assert image.mode == "P"
    assert similarity(prep(image, tmp_path), reference) > 0.97


def test_sixteen_bit_png(reference, tmp_path):
    gray16 = np.uint16(np.round(compose(ink_mask(), 0.0, 1.0) * 65535))
    image = Image.fromarray(gray16)
    assert image.mode.startswith("I")
    assert similarity(prep(image, tmp_path), reference) > 0.98


@pytest.mark.parametrize("ink_rgb", [(0, 0, 0), (255, 255, 255), (20, 40, 200)])
def test_ink_on_a_transparent_background(reference, tmp_path, ink_rgb):
    """Drawing apps export strokes on transparency; the hidden colour is often black."""
    mask = ink_mask()
    rgba = np.zeros(mask.shape + (4,), np.uint8)
    rgba[..., :3] = ink_rgb
    rgba[..., 3] = _uint8(mask)
    assert similarity(prep(Image.fromarray(rgba, "RGBA"), tmp_path), reference) > 0.95


def test_thin_one_keeps_its_aspect_ratio(tmp_path):
    canvas = Image.new("L", (300, 300), 255)
    ImageDraw.Draw(canvas).line([(150, 40), (150, 260)], fill=0, width=12)
    digit = prep(canvas, tmp_path).reshape(28, 28)
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    rows = np.flatnonzero(digit.max(axis=1) > 0)
    assert rows[-1] - rows[0] + 1 >= 20 and cols[-1] - cols[0] + 1 <= 4


@pytest.mark.parametrize("gray", [1.0, 0.0, 0.6])
def test_blank_images_have_no_digit(tmp_path, gray):
    noise = np.random.RandomState(1).normal(0, 0.02, (200, 200))
    image = Image.fromarray(_uint8(gray + noise))
    with pytest.raises(UserError, match="no digit found"):
        prep(image, tmp_path)


def test_fully_transparent_image_has_no_digit(tmp_path):
    with pytest.raises(UserError, match="no digit found"):
        prep(Image.new("RGBA", (50, 50), (0, 0, 0, 0)), tmp_path)


def test_not_an_image_missing_file_and_directory(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    for path, message in ((str(text), "not a readable image"),
                          (str(tmp_path / "absent.png"), "no such file"),
                          (str(tmp_path), "is a directory")):
        with pytest.raises(UserError, match=message) as info:
            images.load_input(path)
        assert path in str(info.value) and "\n" not in str(info.value)


def test_raw_is_exactly_the_tutorial_input(tutorial_image):
    expected = np.invert(Image.open(tutorial_image).convert("L")).ravel()
    raw = images.load_input(tutorial_image, raw=True)
    np.testing.assert_array_equal(raw, expected.astype(np.float32))
    assert raw.max() > 1.0  # 0-255, unlike MNIST's 0-1: the tutorial's mismatch


def test_raw_refuses_other_sizes(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (56, 56), 255).save(str(path))
    with pytest.raises(UserError, match="needs 28x28 pixels, this one is 56x56"):
        images.load_input(str(path), raw=True)


def test_reference_images_preprocess(tutorial_image):
    for path in (tutorial_image, PROJECT_IMAGE):
        digit = images.load_input(path)
        assert digit.shape == (784,) and 0.9 <= digit.max() <= 1.0


def _centres(batch):
    ys, xs = np.indices((28, 28))
    batch = np.asarray(batch, dtype=np.float64).reshape(-1, 28, 28)
    total = batch.sum(axis=(1, 2))
    return ((batch * ys).sum(axis=(1, 2)) / total).mean(), \
        ((batch * xs).sum(axis=(1, 2)) / total).mean()


def test_digits_are_centred_where_mnist_centres_them(mnist_dir):
    """MNIST's own centre of mass, measured on its training set, is what preprocess
    reproduces: test digits enlarged 5x and read back land within 0.1 px of it."""
    from tf1_mnist import data
    arrays = data.load_mnist(mnist_dir, download=False)
    mnist_row, mnist_col = _centres(arrays["train_images"])
    assert abs(mnist_row - images.MNIST_CENTRE[0]) < 0.05
    assert abs(mnist_col - images.MNIST_CENTRE[1]) < 0.05
    enlarged = [np.asarray(Image.fromarray(d).resize((140, 140), Image.BICUBIC),
                           dtype=np.float64) / 255.0 for d in arrays["test_images"][:500]]
    row, col = _centres([images.preprocess(g) for g in enlarged])
    assert abs(row - mnist_row) < 0.1 and abs(col - mnist_col) < 0.1


def test_centring_is_sub_pixel():
    digit = np.zeros((20, 9))
    digit[2:18, 3:6] = 1.0
    digit[2:5, 6:9] = 0.6  # moves the centre of mass off the pixel grid
    out = images.centre(digit)
    ys, xs = np.indices(out.shape)
    assert abs((out * ys).sum() / out.sum() - 14.0) < 1e-3
    assert abs((out * xs).sum() / out.sum() - 14.0) < 1e-3
    assert abs(out.sum() - digit.sum()) < 1e-3  # the shift keeps every bit of ink


def test_noise_specks_far_from_the_digit_do_not_shrink_it(reference, tmp_path):
    mask = ink_mask()
    rng = np.random.RandomState(0)
    noisy = compose(mask, 30, 230).astype(np.float64) + rng.normal(0, 10, (400, 400))
    noisy[5, 5] = noisy[390, 390] = 0  # two dark specks at the corners
    x = prep(Image.fromarray(np.uint8(noisy.clip(0, 255))), tmp_path)
    assert similarity(x, reference) > 0.9


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
