"""tf1-mnist: the DigitalOcean TensorFlow 1.x MNIST tutorial, reproduced on today's stacks."""

__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """``%load_ext tf1_mnist``: the rest of the notebook runs as TF1, as under
    ``tf1-mnist run`` (tf1_mnist/legacy/notebook.py)."""
    from tf1_mnist.legacy import notebook

    notebook.load(ipython)
