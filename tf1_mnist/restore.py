"""A saved model, restored: ``restored`` is the one way a model directory becomes a graph
and a session (for predict, evaluate, serve and export), ``signature`` the one list of
what a served or exported model takes and gives, ``Predictor`` a restored model held open.

TensorFlow (through ``session``) is imported when a model is restored, not with this
module: a misspelt image or model folder is answered before TensorFlow's start-up.
"""
import contextlib

import numpy as np

from tf1_mnist import checkpoint


@contextlib.contextmanager
def restored(model):
    """``(session, graph pieces)`` of ``model`` (``checkpoint.open_model``'s), rebuilt for
    inference (no optimizer, no dropout ops) in a graph of its own and restored, for the
    duration."""
    from tf1_mnist import networks, session
    from tf1_mnist.compat import tf

    description = model.description
    graph = tf.Graph()
    with graph.as_default():
        g = networks.build(description["model"], description["hparams"],
                           description.get("variant"), training_ops=False, dropout=False)
        saver = tf.train.Saver(tf.trainable_variables())
        with tf.Session(graph=graph, config=session.config()) as sess:
            checkpoint.restore(sess, saver, model.dir, description)
            yield sess, g


def signature(g):
    """The ``serving_default`` signature's tensors: input ``images`` (float32 [None, 784]
    in [0, 1]); outputs ``classes`` (int64 [None]) and ``probabilities`` (float32
    [None, 10])."""
    return {"inputs": {"images": g.X},
            "outputs": {"classes": g.prediction, "probabilities": g.probabilities}}


class Predictor(object):
    """A restored model (``checkpoint.open_model``'s), held open; use as a context
    manager."""

    def __init__(self, model):
        self.model = model
        self._open = contextlib.ExitStack()
        self.sess, self.g = self._open.enter_context(restored(model))

    def probabilities(self, inputs):
        """Class probabilities [N, 10] for network inputs [N, 784]."""
        from tf1_mnist import session

        return session.run_in_chunks(self.sess, self.g.probabilities, self.g.X,
                                     np.stack(inputs))

    def predictions(self, inputs):
        """The predicted digit [N] (arg-max of the logits) for network inputs [N, 784]."""
        from tf1_mnist import session

        return session.run_in_chunks(self.sess, self.g.prediction, self.g.X, np.stack(inputs))

    def close(self):
        self._open.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
