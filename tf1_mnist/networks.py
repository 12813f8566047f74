"""The graphs of the other tutorials' networks (``recipes`` lists them all).

The other tutorials (``../shared/seeds``) built their networks with Keras; here each
is the same network as a raw-op TF1 graph (``tf.nn.conv2d``, ``tf.nn.max_pool``,
``tf.matmul``), initialised as Keras initialises (Glorot-uniform kernels, zero
biases), trained with its tutorial's recipe. The scraped texts lost some lines;
where one did, the recipe's notes say which standard reading was taken, and the
parameter count is that of the network actually built (a test checks each).

Every network reads ``X`` [None, 784] in [0, 1] (reshaped to 28x28x1 inside), so
data, prediction and evaluation are the same for all of them.
"""
from tf1_mnist import model, recipes
from tf1_mnist.compat import tf


class _Layers(object):
    """Raw-op layers with Keras' initialisation; op seeds counted when ``seeded``."""

    def __init__(self, seeded):
        self.seeded = seeded
        self.count = 0

    def _kernel(self, name, shape):
        self.count += 1
        init = tf.glorot_uniform_initializer(seed=self.count if self.seeded else None)
        return tf.get_variable(name, shape, initializer=init)

    def conv(self, x, filters, size, name, padding="VALID", activation=None):
        with tf.variable_scope(name):
            kernel = self._kernel("weights", [size, size, int(x.shape[-1]), filters])
            bias = tf.get_variable("biases", [filters], initializer=tf.zeros_initializer())
            y = tf.nn.conv2d(x, kernel, strides=[1, 1, 1, 1], padding=padding) + bias
        return activation(y) if activation else y

    def dense(self, x, units, name, activation=None):
        with tf.variable_scope(name):
            kernel = self._kernel("weights", [int(x.shape[-1]), units])
            bias = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
            y = tf.matmul(x, kernel) + bias
        return activation(y) if activation else y

    def dropout(self, x, keep_prob):
        self.count += 1
        return model.dropout(x, keep_prob, seed=self.count if self.seeded else None)

    @staticmethod
    def max_pool(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")

    @staticmethod
    def flatten(x):
        return tf.reshape(x, [-1, int(x.shape[1]) * int(x.shape[2]) * int(x.shape[3])])


def _image(X):
    return tf.reshape(X, [-1, 28, 28, 1])


def lenet(X, keep_prob, layers):
    """Tutorial 000: conv 6@5x5 same + max-pool, conv 16@5x5 + max-pool, dense 120-84-10."""
    relu = tf.nn.relu
    x = layers.max_pool(layers.conv(_image(X), 6, 5, "conv1", padding="SAME", activation=relu))
    x = layers.max_pool(layers.conv(x, 16, 5, "conv2", activation=relu))
    x = layers.dense(layers.flatten(x), 120, "dense1", activation=relu)
    x = layers.dense(x, 84, "dense2", activation=relu)
    return layers.dense(x, 10, "logits")


def cnn_32_64(X, keep_prob, layers):
    """Tutorial 001: conv 32@3x3, conv 64@3x3, max-pool, dropout, flatten, dense 10."""
    relu = tf.nn.relu
    x = layers.conv(_image(X), 32, 3, "conv1", activation=relu)
    x = layers.max_pool(layers.conv(x, 64, 3, "conv2", activation=relu))
    x = layers.flatten(layers.dropout(x, keep_prob))
    return layers.dense(x, 10, "logits")


def cnn_28_128(X, keep_prob, layers):
    """Tutorial 002: conv 28@3x3 (linear), max-pool, flatten, dense 128 ReLU, dropout, 10."""
    x = layers.max_pool(layers.conv(_image(X), 28, 3, "conv1"))
    x = layers.dense(layers.flatten(x), 128, "dense1", activation=tf.nn.relu)
    return layers.dense(layers.dropout(x, keep_prob), 10, "logits")


def ann_300_200_100(X, keep_prob, layers):
    """Tutorial 004, ANN: dense 300-200-100 ReLU, dense 10."""
    relu = tf.nn.relu
    x = X
    for i, units in enumerate((300, 200, 100), 1):
        x = layers.dense(x, units, "dense%d" % i, activation=relu)
    return layers.dense(x, 10, "logits")


def cnn_32_16(X, keep_prob, layers):
    """Tutorial 004, CNN: conv 32@3x3, conv 16@3x3 (both linear as printed), dense 300, 10."""
    x = layers.conv(layers.conv(_image(X), 32, 3, "conv1"), 16, 3, "conv2")
    x = layers.dense(layers.flatten(x), 300, "dense1", activation=tf.nn.relu)
    return layers.dense(x, 10, "logits")


INFERENCE = {"lenet": lenet, "cnn-32-64": cnn_32_64, "cnn-28-128": cnn_28_128,
             "ann-300-200-100": ann_300_200_100, "cnn-32-16": cnn_32_16}


def build(network, hparams, variant=None, seed=None, training_ops=True, dropout=True):
    """The graph of ``network`` as a ``model.Graph`` tuple, in the default graph.

    ``hparams`` holds the recipe (``recipes.DEFAULT_HPARAMS`` for the MLP). The MLP
    is built by ``tf1_mnist.model``; the others share its placeholders and
    ``model.assemble`` (loss, Adam training, accuracy). ``training_ops`` and
    ``dropout``: see ``model.build``.
    """
    recipes.spec(network)
    if network == recipes.MLP:
        return model.build(hparams, variant=variant or "faithful", seed=seed,
                           training_ops=training_ops, dropout=dropout)
    if seed is not None:
        tf.set_random_seed(seed)
    X, Y, keep_prob = model.placeholders(784, 10)
    logits = INFERENCE[network](X, keep_prob if dropout else None,
                                _Layers(seeded=seed is not None))
    output_layer = tf.identity(logits, name="output_layer")
    return model.assemble(X, Y, keep_prob, output_layer, hparams["learning_rate"],
                          training_ops)
