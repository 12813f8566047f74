"""Every network ``--model`` can name: the DigitalOcean MLP and the four other tutorials'.

The other tutorials (``../shared/seeds``) built their networks with Keras; here each
is the same network as a raw-op TF1 graph (``tf.nn.conv2d``, ``tf.nn.max_pool``,
``tf.matmul``), initialised as Keras initialises (Glorot-uniform kernels, zero
biases), trained with its tutorial's recipe. The scraped texts lost some lines;
where one did, the docstring says which standard reading was taken, and the
parameter count is that of the network actually built (a test checks each).

Every network reads ``X`` [None, 784] in [0, 1] (reshaped to 28x28x1 inside), so
data, prediction and evaluation are the same for all of them.
"""
import collections

from tf1_mnist import hparams as tutorial_hparams

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
         dict(tutorial_hparams.DEFAULT_HPARAMS), 5000,
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


def spec(name):
    from tf1_mnist.errors import UserError

    if name not in SPECS:
        raise UserError("unknown model {!r}; choose one of {}".format(name, ", ".join(NAMES)))
    return SPECS[name]


# --- graph building (TensorFlow imported only from here on down) ---------------------

def _tf():
    from tf1_mnist.compat import tf
    return tf


class _Layers(object):
    """Raw-op layers with Keras' initialisation; op seeds counted when ``seeded``."""

    def __init__(self, seeded):
        self.seeded = seeded
        self.count = 0

    def _kernel(self, name, shape):
        tf = _tf()
        self.count += 1
        init = tf.glorot_uniform_initializer(seed=self.count if self.seeded else None)
        return tf.get_variable(name, shape, initializer=init)

    def conv(self, x, filters, size, name, padding="VALID", activation=None):
        tf = _tf()
        with tf.variable_scope(name):
            kernel = self._kernel("weights", [size, size, int(x.shape[-1]), filters])
            bias = tf.get_variable("biases", [filters], initializer=tf.zeros_initializer())
            y = tf.nn.conv2d(x, kernel, strides=[1, 1, 1, 1], padding=padding) + bias
        return activation(y) if activation else y

    def dense(self, x, units, name, activation=None):
        tf = _tf()
        with tf.variable_scope(name):
            kernel = self._kernel("weights", [int(x.shape[-1]), units])
            bias = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
            y = tf.matmul(x, kernel) + bias
        return activation(y) if activation else y

    def dropout(self, x, keep_prob):
        from tf1_mnist.model import dropout

        self.count += 1
        return dropout(x, keep_prob, seed=self.count if self.seeded else None)

    @staticmethod
    def max_pool(x):
        return _tf().nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")

    @staticmethod
    def flatten(x):
        return _tf().reshape(x, [-1, int(x.shape[1]) * int(x.shape[2]) * int(x.shape[3])])


def _image(X):
    return _tf().reshape(X, [-1, 28, 28, 1])


def lenet(X, keep_prob, layers):
    """Tutorial 000: conv 6@5x5 same + max-pool, conv 16@5x5 + max-pool, dense 120-84-10."""
    relu = _tf().nn.relu
    x = layers.max_pool(layers.conv(_image(X), 6, 5, "conv1", padding="SAME", activation=relu))
    x = layers.max_pool(layers.conv(x, 16, 5, "conv2", activation=relu))
    x = layers.dense(layers.flatten(x), 120, "dense1", activation=relu)
    x = layers.dense(x, 84, "dense2", activation=relu)
    return layers.dense(x, 10, "logits")


def cnn_32_64(X, keep_prob, layers):
    """Tutorial 001: conv 32@3x3, conv 64@3x3, max-pool, dropout, flatten, dense 10."""
    relu = _tf().nn.relu
    x = layers.conv(_image(X), 32, 3, "conv1", activation=relu)
    x = layers.max_pool(layers.conv(x, 64, 3, "conv2", activation=relu))
    x = layers.flatten(layers.dropout(x, keep_prob))
    return layers.dense(x, 10, "logits")


def cnn_28_128(X, keep_prob, layers):
    """Tutorial 002: conv 28@3x3 (linear), max-pool, flatten, dense 128 ReLU, dropout, 10."""
    x = layers.max_pool(layers.conv(_image(X), 28, 3, "conv1"))
    x = layers.dense(layers.flatten(x), 128, "dense1", activation=_tf().nn.relu)
    return layers.dense(layers.dropout(x, keep_prob), 10, "logits")


def ann_300_200_100(X, keep_prob, layers):
    """Tutorial 004, ANN: dense 300-200-100 ReLU, dense 10."""
    relu = _tf().nn.relu
    x = X
    for i, units in enumerate((300, 200, 100), 1):
        x = layers.dense(x, units, "dense%d" % i, activation=relu)
    return layers.dense(x, 10, "logits")


def cnn_32_16(X, keep_prob, layers):
    """Tutorial 004, CNN: conv 32@3x3, conv 16@3x3 (both linear as printed), dense 300, 10."""
    x = layers.conv(layers.conv(_image(X), 32, 3, "conv1"), 16, 3, "conv2")
    x = layers.dense(layers.flatten(x), 300, "dense1", activation=_tf().nn.relu)
    return layers.dense(x, 10, "logits")


INFERENCE = {"lenet": lenet, "cnn-32-64": cnn_32_64, "cnn-28-128": cnn_28_128,
             "ann-300-200-100": ann_300_200_100, "cnn-32-16": cnn_32_16}


def build(name, hp, variant="faithful", seed=None, training_ops=True):
    """The graph of network ``name`` as a ``model.Graph`` tuple, in the default graph.

    ``hp`` holds the recipe (``model.DEFAULT_HPARAMS`` for the MLP). The MLP is
    built by ``tf1_mnist.model``; the others share its placeholders and
    ``model.assemble`` (loss, Adam training, accuracy).
    """
    from tf1_mnist import model

    spec(name)
    if name == MLP:
        return model.build(hp, variant=variant, seed=seed, training_ops=training_ops)
    tf = _tf()
    if seed is not None:
        tf.set_random_seed(seed)
    X, Y, keep_prob = model.placeholders(784, 10)
    logits = INFERENCE[name](X, keep_prob, _Layers(seeded=seed is not None))
    output_layer = tf.identity(logits, name="output_layer")
    return model.assemble(X, Y, keep_prob, output_layer, hp["learning_rate"], training_ops)
