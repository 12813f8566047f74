"""The homes of ``tf.contrib`` that are code of this project, for ``run`` on TensorFlow 2.

``homes.py`` maps every carried family; what is here is what no library has:

* ``tf.contrib.losses`` and ``tf.contrib.metrics``' streaming metrics: ``tf.losses``
  and ``tf.metrics``, which took their arguments the other way round (labels first),
  so each is a small function that puts them in order (``LOSSES``, ``METRICS``).
* ``tf.contrib.eager`` (``tfe``) at its TF 2 homes (``eager``).
* ``tf.contrib.seq2seq.sequence_loss``.
* The path at which TensorFlow 2.21 looks for Keras 2's batch norm, mended.
"""
import importlib.util
import os
import sys
import types


def _tf():
    return sys.modules["tensorflow"]


def _losses():
    """TF 1.15's ``tf.contrib.losses`` functions (logits or predictions first), on
    ``tf.losses`` (labels first); the same weighted mean."""
    def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0,
                              scope=None):
        return _tf().losses.softmax_cross_entropy(onehot_labels, logits, weights,
                                                  label_smoothing, scope)

    def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
        return _tf().losses.sparse_softmax_cross_entropy(labels, logits, weights, scope)

    def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                              scope=None):
        return _tf().losses.sigmoid_cross_entropy(multi_class_labels, logits, weights,
                                                  label_smoothing, scope)

    def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
        return _tf().losses.mean_squared_error(labels, predictions, weights, scope)

    def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
        return _tf().losses.absolute_difference(labels, predictions, weights, scope)

    def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
        return _tf().losses.log_loss(labels, predictions, weights, epsilon, scope)

    def hinge_loss(logits, labels=None, scope=None):
        return _tf().losses.hinge_loss(labels, logits, scope=scope)

    return types.SimpleNamespace(**{f.__name__: f for f in (
        softmax_cross_entropy, sparse_softmax_cross_entropy, sigmoid_cross_entropy,
        mean_squared_error, absolute_difference, log_loss, hinge_loss)})


def _metrics():
    """TF 1.15's ``tf.contrib.metrics`` streaming metrics (predictions first), on
    ``tf.metrics`` (labels first), and its plain ``accuracy``."""
    def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
        return _tf().metrics.accuracy(labels, predictions, weights, metrics_collections,
                                      updates_collections, name)

    def streaming_precision(predictions, labels, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
        return _tf().metrics.precision(labels, predictions, weights, metrics_collections,
                                       updates_collections, name)

    def streaming_recall(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
        return _tf().metrics.recall(labels, predictions, weights, metrics_collections,
                                    updates_collections, name)

    def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                      metrics_collections=None, updates_collections=None, curve="ROC",
                      name=None):
        return _tf().metrics.auc(labels, predictions, weights, num_thresholds,
                                 metrics_collections, updates_collections, curve, name)

    def streaming_mean(values, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
        return _tf().metrics.mean(values, weights, metrics_collections, updates_collections,
                                  name)

    def accuracy(predictions, labels, weights=None, name=None):
        tf = _tf()
        with tf.name_scope(name, "accuracy", [predictions, labels]):
            correct = tf.cast(tf.equal(predictions, labels), tf.float32)
            if weights is None:
                return tf.reduce_mean(correct)
            weights = tf.cast(weights, tf.float32)
            return tf.reduce_sum(correct * weights) / tf.reduce_sum(weights)

    return types.SimpleNamespace(**{f.__name__: f for f in (
        streaming_accuracy, streaming_precision, streaming_recall, streaming_auc,
        streaming_mean, accuracy)})


def eager():
    """TF 1.x's ``tf.contrib.eager`` (``tfe``) module, at its TF 2 homes: the names of TF 1.x's
    eager tutorials. ``tfe.Network`` and the execution callbacks have none."""
    from tensorflow.python.eager import backprop, context

    tf = _tf()

    class Saver(object):
        """``tfe.Saver(var_list)``: save and restore variables without a session."""

        def __init__(self, var_list):
            self._saver = tf.train.Saver(var_list)

        def save(self, file_prefix, global_step=None):
            return self._saver.save(None, file_prefix, global_step=global_step)

        def restore(self, file_prefix):
            self._saver.restore(None, file_prefix)

    module = types.ModuleType("tensorflow.contrib.eager")
    module.__dict__.update(
        Variable=tf.Variable, Iterator=iter, Saver=Saver, Checkpoint=tf.train.Checkpoint,
        GradientTape=tf.GradientTape, defun=tf.function, function=tf.function,
        implicit_gradients=backprop.implicit_grad,
        implicit_value_and_gradients=backprop.implicit_val_and_grad,
        gradients_function=backprop.gradients_function,
        value_and_gradients_function=backprop.val_and_grad_function,
        custom_gradient=tf.custom_gradient, num_gpus=context.num_gpus,
        executing_eagerly=tf.executing_eagerly, in_eager_mode=tf.executing_eagerly,
        enable_eager_execution=tf.enable_eager_execution, metrics=tf.keras.metrics)
    return module


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """TF 1.15's ``tf.contrib.seq2seq.sequence_loss``: the weighted cross-entropy of
    ``logits`` [batch, time, classes] against ``targets`` [batch, time]; averaged over
    the weights (``average_across_*``) or summed and divided by the count of non-zero
    weights (``sum_over_*``), across time, batch, both or neither."""
    tf = _tf()
    for tensor, rank, shape in ((logits, 3, "[batch_size x sequence_length x logits]"),
                                (targets, 2, "[batch_size x sequence_length]"),
                                (weights, 2, "[batch_size x sequence_length]")):
        if len(tensor.get_shape()) != rank:
            raise ValueError("{} must be a {} tensor".format(
                "Logits" if rank == 3 else "Targets" if tensor is targets else "Weights",
                shape))
    if average_across_timesteps and sum_over_timesteps or \
            average_across_batch and sum_over_batch:
        raise ValueError("average_across_* and sum_over_* cannot both be True for the same "
                         "dimension")
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        flat = tf.reshape(logits, [-1, tf.shape(logits)[2]])
        labels = tf.reshape(targets, [-1])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=flat) \
            if softmax_loss_function is None else \
            softmax_loss_function(labels=labels, logits=flat)
        loss = tf.reshape(loss * tf.reshape(weights, [-1]), tf.shape(logits)[0:2])
        # As TF 1.15 reads the flags: both averages, both sums, then one of each kind
        # (an average wins: the other axis is then left as it is).
        if average_across_timesteps and average_across_batch:
            axis, mean = None, True
        elif sum_over_timesteps and sum_over_batch:
            axis, mean = None, False
        elif average_across_timesteps or average_across_batch:
            axis, mean = [0] if average_across_batch else [1], True
        elif sum_over_timesteps or sum_over_batch:
            axis, mean = [0] if sum_over_batch else [1], False
        else:
            return loss
        total = tf.reduce_sum(loss, axis=axis)
        count = tf.reduce_sum(weights, axis=axis) if mean else \
            tf.cast(tf.count_nonzero(weights, axis=axis), total.dtype)
        return tf.div_no_nan(total, count)


LOSSES = _losses()
METRICS = _metrics()


def mend_batch_norm_path():
    """TensorFlow 2.21 looks for Keras 2's batch norm (which tf-slim's ``batch_norm``
    builds on) at ``tf_keras.legacy_tf_layers``; tf-keras 2.21 has it under ``src``."""
    from tensorflow.python.layers import normalization
    from tensorflow.python.util import lazy_loader

    wrong = "tf_keras.legacy_tf_layers.normalization"
    keras2 = importlib.util.find_spec("tf_keras")  # found, not imported
    if getattr(normalization.normalization, "__name__", None) == wrong and \
            keras2 is not None and not os.path.isdir(
                os.path.join(os.path.dirname(keras2.origin), "legacy_tf_layers")):
        normalization.normalization = lazy_loader.LazyLoader(
            "normalization", normalization.__dict__,
            "tf_keras.src.legacy_tf_layers.normalization")
