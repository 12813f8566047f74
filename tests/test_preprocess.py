"""Image preprocessing on synthetic images of every kind people feed in."""
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from conftest import PROJECT_IMAGE
from tf1_mnist import images as predict
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
    return predict.load_input(str(path))


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
            predict.load_input(path)
        assert path in str(info.value) and "\n" not in str(info.value)


def test_raw_is_exactly_the_tutorial_input(tutorial_image):
    expected = np.invert(Image.open(tutorial_image).convert("L")).ravel()
    raw = predict.load_input(tutorial_image, raw=True)
    np.testing.assert_array_equal(raw, expected.astype(np.float32))
    assert raw.max() > 1.0  # 0-255, unlike MNIST's 0-1: the tutorial's mismatch


def test_raw_refuses_other_sizes(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (56, 56), 255).save(str(path))
    with pytest.raises(UserError, match="needs 28x28 pixels, this one is 56x56"):
        predict.load_input(str(path), raw=True)


def test_reference_images_preprocess(tutorial_image):
    for path in (tutorial_image, PROJECT_IMAGE):
        digit = predict.load_input(path)
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
    assert abs(mnist_row - predict.MNIST_CENTRE[0]) < 0.05
    assert abs(mnist_col - predict.MNIST_CENTRE[1]) < 0.05
    enlarged = [np.asarray(Image.fromarray(d).resize((140, 140), Image.BICUBIC),
                           dtype=np.float64) / 255.0 for d in arrays["test_images"][:500]]
    row, col = _centres([predict.preprocess(g) for g in enlarged])
    assert abs(row - mnist_row) < 0.1 and abs(col - mnist_col) < 0.1


def test_centring_is_sub_pixel():
    digit = np.zeros((20, 9))
    digit[2:18, 3:6] = 1.0
    digit[2:5, 6:9] = 0.6  # moves the centre of mass off the pixel grid
    out = predict.centre(digit)
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
