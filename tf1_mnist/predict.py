"""``python -m tf1_mnist.predict IMAGE [IMAGE ...]``: the tutorial's way to predict.

The same as ``tf1-mnist predict``; the work is in ``tf1_mnist.images`` (reading and
preprocessing people's images) and ``tf1_mnist.inference`` (restoring the model).
"""
import sys

if __name__ == "__main__":
    from tf1_mnist.cli import main

    sys.exit(main(["predict"] + sys.argv[1:]))
