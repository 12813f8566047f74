"""tf1-mnist: the DigitalOcean TensorFlow 1.x MNIST tutorial, reproduced on today's stacks."""

__version__ = "0.1.0"
