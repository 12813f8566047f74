"""Every network ``--model`` can name, its tutorial's recipe and reported accuracy, and
the one resolved ``Config`` a training runs from. No TensorFlow here: the command line
reads this for ``--help`` and for checking flags before anything slow starts.

The DigitalOcean MLP keeps the tutorial's hyper-parameter names. The other tutorials
(``../shared/seeds``) built their networks with Keras; ``networks`` builds each as a
raw-op TF1 graph, and their recipes here use Keras' words (``dropout_rate``: the
fraction dropped). Names used everywhere: ``network`` says which network, ``hparams``
is the hyper-parameter dict.
"""
import collections
import math
from fractions import Fraction

from tf1_mnist.errors import UserError

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

# Each hyper-parameter's kind and range, read by the command line's flags and by the
# check of a model.json: ``bounds`` says which ends are in, as interval notation does
# ("(]": low < value <= high); a high of None is no upper bound.
Range = collections.namedtuple("Range", ["kind", "low", "high", "bounds"])
_COUNT, _POSITIVE = Range(int, 0, None, "()"), Range(float, 0, None, "()")
SCHEMA = collections.OrderedDict(
    [(key, _COUNT) for key in ("n_input", "n_hidden1", "n_hidden2", "n_hidden3", "n_output",
                               "n_iterations", "batch_size", "epochs")] +
    [("learning_rate", _POSITIVE),
     ("dropout", Range(float, 0, 1, "(]")),        # a keep probability: 0 keeps nothing
     ("dropout_rate", Range(float, 0, 1, "[)"))])  # the fraction dropped: 1 drops all


def in_range(key, value):
    """Whether the number ``value`` is within ``key``'s range in ``SCHEMA``."""
    r = SCHEMA[key]
    above = value >= r.low if r.bounds[0] == "[" else value > r.low
    below = r.high is None or (value <= r.high if r.bounds[1] == "]" else value < r.high)
    return above and below


def wanted(key):
    """``key``'s range in words, for an error message: "a positive integer", "in (0, 1]"."""
    r = SCHEMA[key]
    if r.high is None and (r.low, r.bounds[0]) == (0, "("):
        return "a positive " + ("integer" if r.kind is int else "number")
    return "in {}{}, {}{}".format(r.bounds[0], r.low, r.high, r.bounds[1])


def problem(key, value):
    """What is wrong with ``value`` (a parsed JSON value) for ``key``, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        return "not a number"
    if SCHEMA[key].kind is int and not isinstance(value, int):
        return "not a whole number"
    return None if in_range(key, value) else "out of range"


MNIST_TRAIN_IMAGES = 60000
# read_data_sets' validation_size: the MLP trains on the other 55,000 training images.
HOLD_OUT = 5000

# What the registry knows of a network. ``recipe``: the MLP's hyper-parameters, or for
# the others learning_rate, batch_size, epochs and dropout_rate (Keras' sense: the
# fraction dropped). ``validation``: what the tutorial validated on while training:
# "test" (the test set), a float (Keras' validation_split: the last fraction of the
# training images), None (nothing), or for the MLP the 5,000 images read_data_sets
# holds out. ``reported``: the tutorial's test accuracy as a number (None: none given).
Spec = collections.namedtuple("Spec", [
    "name", "tutorial", "title", "parameters", "reported", "reported_text", "recipe",
    "validation", "notes"])

MLP = "do-mlp"

SPECS = collections.OrderedDict((spec.name, spec) for spec in [
    Spec(MLP, "003", "DigitalOcean: How To Build a Neural Network to Recognize Handwritten "
         "Digits with TensorFlow", 567434, 0.9206, "0.9206",
         dict(DEFAULT_HPARAMS), HOLD_OUT,
         "the faithful MLP 784-512-256-128-10 (see tf1_mnist.model)"),
    Spec("lenet", "000", "Develop a Neural Network to Classify Handwritten Digits", 61706,
         0.99, "~0.99",
         dict(learning_rate=1e-3, batch_size=16, epochs=5, dropout_rate=0.0), "test",
         "LeNet-5-like; the Flatten line before the dense layers was lost in the text; "
         "validates on the test set, as the tutorial's fit(validation_data=test) did"),
    Spec("cnn-32-64", "001", "How I Built a Neural Network to Recognize Handwritten Digits",
         110986, 0.985, "0.98-0.99",
         dict(learning_rate=1e-3, batch_size=32, epochs=5, dropout_rate=0.25), 0.25,
         "the MaxPool2D, Dropout and Flatten lines were lost in the text: read as "
         "MaxPool2D(2), Dropout(0.25), Flatten() (the standard Keras MNIST CNN); "
         "Keras' default batch size 32; validation_split 0.25"),
    Spec("cnn-28-128", "002", "Using Convolutional Neural Networks to Classify Handwritten "
         "Digits with TensorFlow and Keras", 607394, 0.985, "0.985",
         dict(learning_rate=1e-3, batch_size=32, epochs=10, dropout_rate=0.2), None,
         "the code lines were lost in the text: read as the article's published model, "
         "Conv2D(28, 3x3) without activation, MaxPooling2D(2), Flatten, Dense(128, relu), "
         "Dropout(0.2), Dense(10, softmax); 10 epochs, Keras' default batch size 32"),
    Spec("ann-300-200-100", "004", "Classify Handwritten Digits using Neural Networks "
         "(Tec4Tric): ANN", 316810, None, "not reported",
         dict(learning_rate=1e-3, batch_size=32, epochs=5, dropout_rate=0.0), None,
         "the Flatten line and the training call were lost: 784 inputs, 5 epochs "
         "(\"a few\"), Keras' default batch size 32"),
    Spec("cnn-32-16", "004", "Classify Handwritten Digits using Neural Networks "
         "(Tec4Tric): CNN", 2773054, 0.98, "0.98",
         dict(learning_rate=1e-3, batch_size=32, epochs=5, dropout_rate=0.0), None,
         "the convolutions have no activation in the text, kept so; the Flatten line "
         "and the training call were lost: 5 epochs (\"a few\"), batch size 32"),
])

NAMES = tuple(SPECS)


def spec(network):
    if network not in SPECS:
        raise UserError("unknown model {!r}; choose one of {}".format(
            network, ", ".join(NAMES)))
    return SPECS[network]


def iterations_for_epochs(epochs, num_examples, batch_size):
    """Minibatches for ``epochs`` passes over ``num_examples`` (the tutorial's 1000 x 128
    is about 2.3 epochs of the 55,000 training images). Exact arithmetic on the decimal
    the user typed: 1.1 epochs of 55,000 in batches of 100 is 605, not 606."""
    return int(math.ceil(Fraction(repr(float(epochs))) * num_examples / batch_size))


def keep_prob(network, hparams):
    """What ``keep_prob`` is fed while training: the MLP's ``dropout`` (a keep
    probability, as in the tutorial) or 1 - the Keras recipes' ``dropout_rate``."""
    return hparams["dropout"] if network == MLP else 1.0 - hparams["dropout_rate"]


# What one training runs from: the network, its recipe with every override applied
# (``hparams``, what model.json records), the MLP's variant (None for the others) and
# the seed (None: random).
Config = collections.namedtuple("Config", ["network", "hparams", "variant", "seed"])

MLP_ONLY = ("n_iterations", "dropout", "variant")


def configure(network=MLP, hparams=None, epochs=None, variant=None, seed=None,
              train_images=MNIST_TRAIN_IMAGES):
    """The ``Config`` for training ``network``: its recipe, ``hparams`` overriding
    entries of it, ``epochs`` (passes over the training images) turned into the MLP's
    iterations over ``train_images`` less the hold-out, or the other networks' epochs.
    A flag that does not apply is a UserError naming it."""
    overrides = dict(hparams or {})
    if network != MLP:
        wrong = [key for key in MLP_ONLY if key in overrides or
                 key == "variant" and variant is not None]
        if wrong:
            raise UserError("--{} applies to do-mlp only; {} trains by its tutorial's recipe "
                            "(--epochs, --batch-size, --learning-rate)".format(
                                wrong[0].replace("_", "-"), network))
        if epochs is not None and epochs != int(epochs):
            raise UserError("--epochs must be a whole number for {}".format(network))
    result = dict(spec(network).recipe)
    unknown = set(overrides) - set(result)
    if unknown:
        raise ValueError("unknown hyper-parameters for {}: {}".format(
            network, sorted(unknown)))
    result.update(overrides)
    if epochs is not None and network == MLP:
        result["n_iterations"] = iterations_for_epochs(
            epochs, train_images - HOLD_OUT, result["batch_size"])
    elif epochs is not None:
        result["epochs"] = int(epochs)
    if network == MLP:
        variant = variant or "faithful"
        if variant not in VARIANTS:
            raise UserError("unknown variant {!r}; choose one of {}".format(
                variant, ", ".join(VARIANTS)))
    return Config(network, result, variant if network == MLP else None, seed)
