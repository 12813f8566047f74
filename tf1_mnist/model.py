"""The tutorial's network as a TF1 graph: placeholders, inference, loss, training, evaluation.

Graph-building only: these functions create ops and return tensors; no sessions,
no I/O. Names follow the DigitalOcean tutorial (``X``, ``Y``, ``keep_prob``,
``weights['w1']``, ``layer_1``, ``output_layer``, ``cross_entropy``, ``train_step``,
``accuracy``) so a reader of the tutorial recognises every line.

Variants of the MLP:

* ``faithful`` (the default): exactly as published. The hidden layers have no
  activation (so the network is a linear model in disguise), and ``layer_drop`` is
  built but the output layer reads ``layer_3``, so dropout never acts. That is the
  network that reported 0.9206.
* ``intended``: what the tutorial's text describes: ReLU after each hidden layer
  and dropout on the path to the output.
* ``fix-activations``: only the first defect repaired (ReLU; dropout still unused).
* ``fix-dropout``: only the second repaired (dropout on the path; still linear).
"""
import collections

from tf1_mnist.compat import tf
from tf1_mnist.recipes import DEFAULT_HPARAMS, VARIANTS  # noqa: F401 (re-exported)

Graph = collections.namedtuple(
    "Graph", ["X", "Y", "keep_prob", "output_layer", "probabilities", "prediction",
              "cross_entropy", "train_step", "accuracy"])


def placeholders(n_input, n_output):
    """``X`` float32 [None, n_input], ``Y`` float32 [None, n_output], scalar ``keep_prob``.

    ``keep_prob`` defaults to 1.0 so evaluation and prediction need not feed it.
    """
    X = tf.placeholder(tf.float32, [None, n_input], name="X")
    Y = tf.placeholder(tf.float32, [None, n_output], name="Y")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
    return X, Y, keep_prob


def inference(X, keep_prob, hparams, variant="faithful", seeded=False):
    """Logits ``output_layer`` float32 [None, n_output] for images ``X`` [None, n_input],
    the layer sizes being ``hparams``' n_input, n_hidden1, n_hidden2, n_hidden3, n_output.

    With ``seeded``, each random op gets a fixed op seed. TF derives unset op seeds
    from the number of ops already in the graph, which differs between TF 1.15 and
    2.x; fixed ones make the same graph seed draw the same weights on both stacks.
    """
    if variant not in VARIANTS:
        raise ValueError("unknown variant {!r}; choose one of {}".format(variant, VARIANTS))
    sizes = [hparams[key] for key in ("n_input", "n_hidden1", "n_hidden2", "n_hidden3",
                                      "n_output")]
    with tf.name_scope("weights"):
        weights = {
            key: tf.Variable(tf.truncated_normal(sizes[i:i + 2], stddev=0.1,
                                                 seed=i + 1 if seeded else None), name=key)
            for i, key in enumerate(["w1", "w2", "w3", "out"])
        }
    with tf.name_scope("biases"):
        biases = {
            key: tf.Variable(tf.constant(0.1, shape=[sizes[i + 1]]), name=key)
            for i, key in enumerate(["b1", "b2", "b3", "out"])
        }
    activation = tf.nn.relu if variant in ("intended", "fix-activations") else tf.identity
    layer_1 = activation(tf.add(tf.matmul(X, weights["w1"]), biases["b1"]), name="layer_1")
    layer_2 = activation(tf.add(tf.matmul(layer_1, weights["w2"]), biases["b2"]),
                         name="layer_2")
    layer_3 = activation(tf.add(tf.matmul(layer_2, weights["w3"]), biases["b3"]),
                         name="layer_3")
    layer_drop = dropout(layer_3, keep_prob, seed=5 if seeded else None, name="layer_drop")
    # The published defect, kept on purpose: the faithful output reads layer_3.
    last_hidden = layer_drop if variant in ("intended", "fix-dropout") else layer_3
    return tf.add(tf.matmul(last_hidden, weights["out"]), biases["out"], name="output_layer")


def dropout(x, keep_prob, seed=None, name=None):
    """``tf.nn.dropout(x, keep_prob)``, run only while ``keep_prob`` < 1.

    The dropout op is stateful: every run advances its random stream. Behind the
    ``tf.cond``, evaluation and prediction (``keep_prob`` at its default 1.0) never run
    it, so watching a run (validation passes, TensorBoard) cannot change the masks
    training draws. ``rate`` (the drop probability) because ``keep_prob=`` is
    deprecated on both stacks.
    """
    if keep_prob is None:  # built for inference only: no dropout op, no tf.cond
        return tf.identity(x, name=name)
    return tf.cond(keep_prob < 1.0,
                   lambda: tf.nn.dropout(x, rate=1.0 - keep_prob, seed=seed),
                   lambda: tf.identity(x), name=name)


def loss(output_layer, Y):
    """Mean softmax cross-entropy ``cross_entropy``, a float32 scalar."""
    return tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=output_layer),
        name="cross_entropy")


def training(cross_entropy, learning_rate):
    """``train_step``: one Adam update of all trainable variables."""
    return tf.train.AdamOptimizer(learning_rate).minimize(cross_entropy, name="train_step")


def evaluation(output_layer, Y):
    """``accuracy``: the fraction of rows whose arg-max matches the label's, float32."""
    correct_pred = tf.equal(tf.argmax(output_layer, 1), tf.argmax(Y, 1))
    return tf.reduce_mean(tf.cast(correct_pred, tf.float32), name="accuracy")


def build(hparams, variant="faithful", seed=None, training_ops=True, dropout=True):
    """The whole graph, built in the default graph, as a ``Graph`` tuple.

    ``seed`` sets the graph-level seed, from which every op seed (weight
    initialisation, dropout) is derived. Without ``training_ops`` the optimizer is
    left out (``train_step`` is None): prediction and evaluation need none of it.
    Without ``dropout`` the dropout layers are identities (``keep_prob`` stays, unused):
    the same numbers as ``keep_prob`` 1, and no control flow for a converter to meet.
    """
    if seed is not None:
        tf.set_random_seed(seed)
    X, Y, keep_prob = placeholders(hparams["n_input"], hparams["n_output"])
    output_layer = inference(X, keep_prob if dropout else None, hparams, variant=variant,
                             seeded=seed is not None)
    return assemble(X, Y, keep_prob, output_layer, hparams["learning_rate"], training_ops)


def assemble(X, Y, keep_prob, output_layer, learning_rate, training_ops=True):
    """A ``Graph`` around any network's logits: softmax, prediction, loss, Adam, accuracy.

    Shared by the tutorial's MLP and every network in ``tf1_mnist.networks``.
    """
    cross_entropy = loss(output_layer, Y)
    return Graph(
        X=X, Y=Y, keep_prob=keep_prob, output_layer=output_layer,
        probabilities=tf.nn.softmax(output_layer, name="probabilities"),
        prediction=tf.argmax(output_layer, 1, name="prediction"),
        cross_entropy=cross_entropy,
        train_step=training(cross_entropy, learning_rate) if training_ops else None,
        accuracy=evaluation(output_layer, Y))
