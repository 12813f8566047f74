"""Image helpers as 2017 GAN code wrote them."""
import os

import numpy as np
import scipy.misc
from PIL import Image, ImageDraw


def load_folder(folder, size):
    """Every PNG of ``folder`` as a float array in [-1, 1], ``size`` x ``size`` grey."""
    images = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".png"):
            image = scipy.misc.imread(os.path.join(folder, name), flatten=True)
            image = scipy.misc.imresize(image, (size, size), interp="bicubic")
            images.append(image / 127.5 - 1.0)
    return np.array(images, dtype=np.float32)


def merge(images, rows, cols):
    h, w = images.shape[1:3]
    grid = np.zeros((h * rows, w * cols))
    for i, image in enumerate(images[:rows * cols]):
        r, c = divmod(i, cols)
        grid[r * h:(r + 1) * h, c * w:(c + 1) * w] = image
    return grid


def save_images(images, rows, cols, path, label):
    """The samples as one grid (scaled by scipy.misc.imsave), then labelled."""
    scipy.misc.imsave(path, merge(images, rows, cols))
    picture = Image.open(path).convert("L")
    picture = picture.resize((picture.width * 4, picture.height * 4), Image.ANTIALIAS)
    draw = ImageDraw.Draw(picture)
    width, height = draw.textsize(label)
    draw.text((picture.width - width - 1, picture.height - height - 1), label, fill=255)
    picture.save(path)
    return width, height
