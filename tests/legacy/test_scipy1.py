"""tf1_mnist/legacy/scipy1.py gives SciPy 1.1.0's bytes, and pillow9.py Pillow 9's sizes.

SciPy 1.1.0 is installed on the legacy stack (requirements-test.txt): there both run in
one process. On TensorFlow 2's stack the reference comes from the other stack's python
($TF1_MNIST_OTHER_PYTHON, as CI sets it), where the only differences allowed are those
Pillow itself makes between 8.4 and today (each shown to be Pillow's).
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import scipy1_cases
from conftest import ROOT

OTHER = os.environ.get("TF1_MNIST_OTHER_PYTHON")  # CI: the other stack's python
HERE = os.path.dirname(os.path.abspath(__file__))
# Cases built on a Pillow conversion that Pillow changed after 8.4, with the case that
# shows Pillow's own conversion differing.
PILLOW_CHANGED = {"imread palette False L": "Pillow: palette to L"}


def _scipy_1_1_here():
    import scipy.misc
    return hasattr(scipy.misc, "imresize") and scipy.misc


def _cases_by(python, which, tmp_path):
    out = str(tmp_path / (which + ".npz"))
    subprocess.check_call([python, os.path.join(HERE, "scipy1_cases.py"), which, out],
                          env=dict(os.environ, PYTHONPATH=ROOT))
    with np.load(out) as found:
        return {name: found[name].tobytes() for name in found.files}


def _differing(reference, ours):
    assert sorted(reference) == sorted(ours)
    return sorted(name for name in reference if reference[name] != ours[name])


def test_same_bytes_as_scipy_1_1(tmp_path):
    misc = _scipy_1_1_here()
    if not misc:
        if not OTHER:
            pytest.skip("SciPy 1.1 is not here, and TF1_MNIST_OTHER_PYTHON (the legacy "
                        "stack's python, which has it) is not set")
        reference = _cases_by(OTHER, "scipy", tmp_path)
        ours = {k: v.tobytes() for k, v in scipy1_cases.run_all(scipy1_cases.ours()).items()}
        differing = _differing(reference, ours)
        assert set(differing) <= set(PILLOW_CHANGED) | set(PILLOW_CHANGED.values()), differing
        for case in set(differing) & set(PILLOW_CHANGED):
            witness = PILLOW_CHANGED[case]
            assert witness in differing, (case, "Pillow's own conversion is the same")
        return
    reference = {k: v.tobytes() for k, v in scipy1_cases.run_all(misc).items()}
    ours = {k: v.tobytes() for k, v in scipy1_cases.run_all(scipy1_cases.ours()).items()}
    assert len(reference) > 400 and _differing(reference, ours) == []
    errors = [name for name, found in reference.items() if found.startswith(b"raises")]
    assert len(errors) >= 5  # the bad inputs raise SciPy's own errors, compared too


# Pillow 9's text sizes, read by programs that label their sample grids: a bitmap font
# and a FreeType one (matplotlib's DejaVu Sans, on both stacks), with and without a stroke.
SIZES = r"""
import json, os, sys
import matplotlib
from PIL import Image, ImageDraw, ImageFont

texts = ["Hi", "Hello, world", "epoch 7: loss 0.25", "two\nlines", "x\ny\nlonger line"]
bitmap = getattr(ImageFont, "load_default_imagefont", ImageFont.load_default)()
dejavu = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
draw = ImageDraw.Draw(Image.new("L", (64, 64)))
found = {}
for name, font in (("bitmap", bitmap), ("dejavu 12", ImageFont.truetype(dejavu, 12)),
                   ("dejavu 20", ImageFont.truetype(dejavu, 20))):
    for text in texts:
        stroke = {} if name == "bitmap" else {"stroke_width": 2}
        found[name + " " + text] = [
            draw.textsize(text, font=font), draw.textsize(text, font=font, **stroke),
            draw.multiline_textsize(text, font=font, spacing=6),
            None if "\n" in text else font.getsize(text),
            None if "\n" in text or not stroke else font.getsize(text, **stroke)]
print(json.dumps(found, sort_keys=True))
"""


def _sizes(tmp_path, command):
    script = tmp_path / "sizes.py"
    script.write_text(SIZES)
    out = subprocess.check_output(command + [str(script)], cwd=str(tmp_path),
                                  env=dict(os.environ, PYTHONPATH=ROOT),
                                  universal_newlines=True)
    return json.loads(out.splitlines()[-1])


def test_pillow_9_text_sizes_under_run(tmp_path):
    from PIL import ImageDraw

    if hasattr(ImageDraw.ImageDraw, "textsize"):  # Pillow 8.4: ours against its own
        from PIL import ImageFont
        import matplotlib
        from tf1_mnist.legacy import pillow9

        dejavu = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
        draw = ImageDraw.Draw(__import__("PIL.Image").Image.new("L", (64, 64)))
        for font in (ImageFont.load_default(), ImageFont.truetype(dejavu, 12),
                     ImageFont.truetype(dejavu, 20)):
            if not hasattr(font, "getbbox"):
                continue  # Pillow 8.4's bitmap font: compared across the stacks instead
            stroke = {} if isinstance(font, ImageFont.ImageFont) else {"stroke_width": 2}
            for text in ("Hi", "Hello, world", "two\nlines", "x\ny\nlonger line"):
                assert pillow9.textsize(draw, text, font, **stroke) == \
                    draw.textsize(text, font, **stroke)
                assert pillow9.multiline_textsize(draw, text, font, spacing=6) == \
                    draw.multiline_textsize(text, font, spacing=6)
                if "\n" not in text:
                    assert pillow9.getsize(font, text, **stroke) == font.getsize(text, **stroke)
        return
    with pytest.raises(subprocess.CalledProcessError):  # not outside run
        subprocess.check_call([sys.executable, "-c", SIZES], stderr=subprocess.DEVNULL)
    if not OTHER:
        pytest.skip("TF1_MNIST_OTHER_PYTHON (the legacy stack's python, with Pillow 8.4) is "
                    "not set")
    ours = _sizes(tmp_path, [sys.executable, "-m", "tf1_mnist", "run"])
    assert ours == _sizes(tmp_path, [OTHER])
