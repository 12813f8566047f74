"""Draw the project's own test_img.png: a handwritten-style 7, 28x28, dark on light.

Like a digit drawn in a graphics editor, as the tutorial suggests: strokes of
uneven width on a light background, not centred. Run from the repository root:
``python tools/make_test_img.py``; the output is deterministic.
"""
import sys

from PIL import Image, ImageDraw

SCALE = 8  # draw large, then shrink with anti-aliasing, as a pen tool does


def draw_seven(path):
    size = 28 * SCALE
    image = Image.new("L", (size, size), color=245)
    pen = ImageDraw.Draw(image)

    def stroke(points, width):
        points = [(x * SCALE, y * SCALE) for x, y in points]
        pen.line(points, fill=20, width=width * SCALE // 2, joint="curve")
        for x, y in points:  # round caps and joints
            r = width * SCALE // 4
            pen.ellipse([x - r, y - r, x + r, y + r], fill=20)

    stroke([(7, 7.5), (11, 6.8), (15, 6.5), (19, 6.6), (21, 7.2)], 5)      # top bar
    stroke([(21, 7.2), (19.5, 11), (17.5, 15), (15.8, 19), (14.5, 23)], 6)  # down stroke
    stroke([(13.5, 14.8), (17, 14.5), (20.5, 14.4)], 4)                      # crossbar
    image.resize((28, 28), Image.BOX).save(path)


if __name__ == "__main__":
    draw_seven(sys.argv[1] if len(sys.argv) > 1 else "test_img.png")
