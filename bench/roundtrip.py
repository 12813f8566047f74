"""Round trip: MNIST test digits rendered the ways people's images arrive, read back by
``predict``'s preprocessing, and the accuracy compared with the digits as MNIST stores them.

Renderings (each digit gets its own random draw, from a fixed seed):

* ``photo``: a phone photo of ink on paper: enlarged 3-10x, dark ink on grey paper
  (190-250), rotated up to 8 degrees, off-centre in a larger canvas, Gaussian noise,
  saved as JPEG (quality 70-90);
* ``thick-pen``: a marker drawing, hard-edged black on white, enlarged 8x, strokes
  thickened by a 3x3 maximum filter at that size;
* ``light-on-dark``: chalk on a board: light ink (180-240) on a dark background (20-70),
  enlarged 4x, noise, PNG;
* ``transparent``: a drawing app's export: black ink whose alpha is the digit, on a
  fully transparent background, enlarged 5x, RGBA PNG.

Usage: TF1_MNIST_DATA_DIR=../shared/mnist python bench/roundtrip.py [--digits 2000]
Prints a markdown table (rendering x model: accuracy and the change in percentage
points against the original digits), and with --out writes it to a file. Models: the
faithful MLP (the tutorial's recipe) and LeNet (one epoch unless --lenet-epochs),
trained here with seed 0, or read from --mlp-dir / --lenet-dir.
"""
import io
import os
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageFilter

import common  # noqa: E402  (puts the project on the import path)

from tf1_mnist import data, images  # noqa: E402

RENDERINGS = ("photo", "thick-pen", "light-on-dark", "transparent")


def _enlarged(digit, scale):
    size = int(round(28 * scale))
    return np.asarray(Image.fromarray(digit).resize((size, size), Image.BICUBIC),
                      dtype=np.float64).clip(0, 255) / 255.0


def photo(digit, rng):
    ink = _enlarged(digit, rng.uniform(3, 10))
    paper, dark = rng.uniform(190, 250), rng.uniform(10, 70)
    picture = Image.fromarray((paper - (paper - dark) * ink).astype(np.float32), "F")
    picture = picture.rotate(rng.uniform(-8, 8), resample=Image.BILINEAR, expand=True,
                             fillcolor=paper)
    side = picture.size[0]
    canvas_w, canvas_h = int(side * rng.uniform(1.3, 2.2)), int(side * rng.uniform(1.3, 2.2))
    canvas = Image.new("F", (canvas_w, canvas_h), paper)
    canvas.paste(picture, (int(rng.randint(0, canvas_w - side + 1)),
                           int(rng.randint(0, canvas_h - side + 1))))
    pixels = np.asarray(canvas) + rng.normal(0, rng.uniform(2, 8), (canvas_h, canvas_w))
    out = io.BytesIO()
    Image.fromarray(np.uint8(pixels.clip(0, 255).round())).save(
        out, "JPEG", quality=int(rng.randint(70, 91)))
    return out.getvalue(), "jpg"


def thick_pen(digit, rng):
    ink = Image.fromarray(np.uint8(_enlarged(digit, 8) * 255)).point(
        lambda v: 255 if v >= 128 else 0).filter(ImageFilter.MaxFilter(3))
    out = io.BytesIO()
    Image.fromarray(255 - np.asarray(ink)).save(out, "PNG")
    return out.getvalue(), "png"


def light_on_dark(digit, rng):
    ink = _enlarged(digit, 4)
    board, chalk = rng.uniform(20, 70), rng.uniform(180, 240)
    pixels = board + (chalk - board) * ink + rng.normal(0, 4, ink.shape)
    out = io.BytesIO()
    Image.fromarray(np.uint8(pixels.clip(0, 255).round())).save(out, "PNG")
    return out.getvalue(), "png"


def transparent(digit, rng):
    alpha = np.uint8((_enlarged(digit, 5) * 255).round())
    rgba = np.zeros(alpha.shape + (4,), np.uint8)
    rgba[..., 3] = alpha
    out = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(out, "PNG")
    return out.getvalue(), "png"


RENDER = {"photo": photo, "thick-pen": thick_pen, "light-on-dark": light_on_dark,
          "transparent": transparent}


def render_all(digits, rendering, directory, seed=0):
    """Write each digit rendered as ``rendering`` into ``directory``; return the paths."""
    rng = np.random.RandomState(seed)
    paths = []
    for i, digit in enumerate(digits):
        payload, ext = RENDER[rendering](digit, rng)
        path = os.path.join(directory, "{}-{:05d}.{}".format(rendering, i, ext))
        with open(path, "wb") as f:
            f.write(payload)
        paths.append(path)
    return paths


def accuracies(model_dirs, arrays, count, seed=0, log=print):
    """{model: {"original": acc, rendering: acc, ...}} on the first ``count`` test digits."""
    from tf1_mnist.checkpoint import open_model
    from tf1_mnist.restore import Predictor

    digits = arrays["test_images"][:count]
    labels = arrays["test_labels"][:count]
    inputs = {"original": data.scale(digits.reshape(count, -1))}
    with tempfile.TemporaryDirectory() as tmp:
        for rendering in RENDERINGS:
            start = time.time()
            paths = render_all(digits, rendering, tmp, seed)
            inputs[rendering] = np.stack([images.load_input(p) for p in paths])
            log("{}: {} images rendered and read back in {:.1f} s".format(
                rendering, count, time.time() - start))
    results = {}
    for name, model_dir in model_dirs.items():
        with Predictor(open_model(model_dir)) as predictor:
            results[name] = {key: float(np.mean(predictor.predictions(x) == labels))
                             for key, x in inputs.items()}
    return results


def table(results, count):
    models = list(results)
    lines = ["| rendering | " + " | ".join(models) + " |",
             "| --- |" + " --- |" * len(models),
             "| original MNIST digits | " + " | ".join(
                 "{:.4f}".format(results[m]["original"]) for m in models) + " |"]
    for rendering in RENDERINGS:
        lines.append("| {} | {} |".format(rendering, " | ".join(
            "{:.4f} ({:+.1f} pp)".format(results[m][rendering],
                                         100 * (results[m][rendering] - results[m]["original"]))
            for m in models)))
    return "\n".join(lines)


def train_models(arrays, directory, lenet_epochs):
    from tf1_mnist.recipes import configure
    from tf1_mnist.train import Monitor, train

    dirs = {"do-mlp (faithful)": os.path.join(directory, "mlp"),
            "lenet": os.path.join(directory, "lenet")}
    train(arrays, dirs["do-mlp (faithful)"], configure(seed=0),
          Monitor(log=lambda line: None))
    train(arrays, dirs["lenet"],
          configure("lenet", hparams={"epochs": lenet_epochs}, seed=0),
          Monitor(log=lambda line: None))
    return dirs


def main():
    parser = common.parser(__doc__)
    parser.add_argument("--digits", type=int, default=2000, help="test digits to render")
    parser.add_argument("--mlp-dir", default=None, help="a faithful MLP model (else trained)")
    parser.add_argument("--lenet-dir", default=None, help="a LeNet model (else trained)")
    parser.add_argument("--lenet-epochs", type=int, default=1, help="when training LeNet")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args()
    from tf1_mnist.compat import TF_VERSION

    arrays = data.load_mnist(args.data_dir, download=False)
    with tempfile.TemporaryDirectory() as tmp:
        if args.mlp_dir and args.lenet_dir:
            dirs = {"do-mlp (faithful)": args.mlp_dir, "lenet": args.lenet_dir}
        else:
            dirs = train_models(arrays, tmp, args.lenet_epochs)
        results = accuracies(dirs, arrays, args.digits)
    text = ("Python {}, TensorFlow {}; the first {} MNIST test digits; models trained with "
            "seed 0 (MLP: the tutorial's recipe; LeNet: {} epoch{}).\n\n{}\n".format(
                sys.version.split()[0], TF_VERSION, args.digits, args.lenet_epochs,
                "" if args.lenet_epochs == 1 else "s", table(results, args.digits)))
    print(text)
    common.write_out(args.out, [text.rstrip("\n")])


if __name__ == "__main__":
    common.run(main)
