"""The tutorial's hyper-parameters and the network variants, by the tutorial's names.

Kept apart from ``model`` so the command line can show them without importing
TensorFlow.
"""
import collections

# faithful: as published; intended: as the text describes; the two fix-* variants
# repair one published defect each, to show what each one costs.
VARIANTS = ("faithful", "intended", "fix-activations", "fix-dropout")

DEFAULT_HPARAMS = collections.OrderedDict([
    ("n_input", 784),     # input layer (28x28 pixels)
    ("n_hidden1", 512),   # 1st hidden layer
    ("n_hidden2", 256),   # 2nd hidden layer
    ("n_hidden3", 128),   # 3rd hidden layer
    ("n_output", 10),     # output layer (0-9 digits)
    ("learning_rate", 1e-4),
    ("n_iterations", 1000),
    ("batch_size", 128),
    ("dropout", 0.5),     # keep probability fed while training, as in the tutorial
])
