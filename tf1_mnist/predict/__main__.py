"""``python -m tf1_mnist.predict IMAGE [IMAGE ...]``: the tutorial's way to predict, the
same as ``tf1-mnist predict``."""
import sys

from tf1_mnist.cli import main

sys.exit(main(["predict"] + sys.argv[1:]))
