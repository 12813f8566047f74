"""The small data each program of this folder reads, made in its working folder (used by
tests/legacy/test_programs.py and bench/run_scripts.py)."""
import os

import numpy as np
from PIL import Image

TEXT = "the cat sat on the mat. the dog sat on the log. "


def _data(folder):
    path = os.path.join(folder, "data")
    os.mkdir(path)
    return path


def images(folder):
    """data/: six 20 x 20 colour PNGs of noise (gan)."""
    path, rng = _data(folder), np.random.RandomState(0)
    for i in range(6):
        Image.fromarray(rng.randint(0, 256, (20, 20, 3)).astype(np.uint8)).save(
            os.path.join(path, "{}.png".format(i)))


def reviews(folder):
    """pos.txt and neg.txt: two short reviews each (textcnn)."""
    for name, lines in (("pos.txt", "a great movie\nloved it, great fun\n"),
                        ("neg.txt", "a dull movie\nhated it\n")):
        with open(os.path.join(folder, name), "w") as f:
            f.write(lines)


def text(folder):
    """data/input.txt: two sentences, six times (charrnn)."""
    with open(os.path.join(_data(folder), "input.txt"), "w") as f:
        f.write(TEXT * 6)


def graph(folder):
    """data/graph.content and graph.cites (gcn): three communities of eight nodes (rings
    with chords, four edges across), twelve binary features, a class's four more likely on
    its nodes: Cora's files in small."""
    path, rng = _data(folder), np.random.RandomState(0)
    with open(os.path.join(path, "graph.content"), "w") as f:
        for c in range(3):
            for i in range(8):
                bits = rng.rand(12) < np.where(np.arange(12) // 4 == c, 0.6, 0.1)
                f.write("n{} {} class{}\n".format(c * 8 + i, " ".join(
                    str(int(b)) for b in bits), c))
    with open(os.path.join(path, "graph.cites"), "w") as f:
        for c in range(3):
            for i in range(8):
                f.write("n{0} n{1}\nn{0} n{2}\n".format(c * 8 + i, c * 8 + (i + 1) % 8,
                                                      c * 8 + (i + 3) % 8))
        for a, b in rng.randint(0, 24, (4, 2)):
            f.write("n{} n{}\n".format(a, b))
