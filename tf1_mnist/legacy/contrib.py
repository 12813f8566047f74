"""``tf.contrib`` for ``run`` on TensorFlow 2: each family that has a home today, mapped.

TensorFlow 2 removed ``tf.contrib``. What MNIST scripts of 2017-2019 used from it
lives on elsewhere, with the same names and arguments:

* ``tf.contrib.layers``, ``tf.contrib.slim``, ``tf.contrib.framework``: tf-slim.
* ``tf.contrib.rnn``: ``tf.nn.rnn_cell`` (Keras 2's legacy cells, from tf-keras) and
  ``tf.nn.static_rnn`` / ``static_bidirectional_rnn`` / ``static_state_saving_rnn``.
* ``tf.contrib.learn.datasets`` (MNIST only): the verified ``input_data`` drop-in.
* ``tf.contrib.compiler.jit.experimental_jit_scope``: ``tf.xla.experimental.jit_scope``.
* ``tf.contrib.keras``: ``tf.keras`` (Keras 2, from tf-keras).
* ``tf.contrib.losses`` and ``tf.contrib.metrics``' streaming metrics: ``tf.losses`` and
  ``tf.metrics``, which took their arguments the other way round (labels first), so
  each is a small function that puts them in order.

Anything else under ``tf.contrib`` is not here, so the check made before the script
runs refuses it in one line. Every module is a thin view that imports its library
on first use.
"""
import importlib
import importlib.util
import os
import sys
import types

FAMILIES = ("layers", "slim", "framework", "rnn", "learn", "compiler", "keras", "losses",
            "metrics", "seq2seq", "eager")
RNN_FUNCTIONS = ("static_rnn", "static_bidirectional_rnn", "static_state_saving_rnn")
MNIST_DEFAULT_DIR = "MNIST-data"  # TF 1.15's load_mnist default


def package(name, path=None, **attributes):
    """An empty package module named ``name`` holding ``attributes``."""
    module = types.ModuleType(name)
    module.__path__ = path or []
    module.__package__ = name
    module.__dict__.update(attributes)
    return module


def _view(name, sources):
    """A module named ``name`` whose attributes come from ``sources`` (callables giving
    a module), tried in order, on first use."""
    module = types.ModuleType(name)

    def __getattr__(attr):
        for source in sources:
            found = getattr(source(), attr, module)
            if found is not module:
                return found
        raise AttributeError("module {!r} has no attribute {!r}".format(name, attr))

    module.__getattr__ = __getattr__
    return module


def _tf():
    return sys.modules["tensorflow"]


def _slim():
    return importlib.import_module("tf_slim")


def mnist_module(name, read_data_sets, data_set):
    """``tf.contrib.learn.datasets.mnist``: the drop-in's reader under TF 1.15's names."""
    from tf1_mnist import input_data

    module = types.ModuleType(name)

    def load_mnist(train_dir=MNIST_DEFAULT_DIR):
        """TF 1.15's ``load_mnist``: ``read_data_sets(train_dir)``, labels as integers."""
        return module.read_data_sets(train_dir)

    module.__dict__.update(read_data_sets=read_data_sets, load_mnist=load_mnist,
                           DataSet=data_set, dense_to_one_hot=input_data.dense_to_one_hot,
                           DEFAULT_SOURCE_URL=input_data.DEFAULT_SOURCE_URL)
    return module


def datasets_module(name, mnist):
    """``tf.contrib.learn.datasets``: ``load_dataset`` and ``DATASETS``, for MNIST."""
    module = types.ModuleType(name)
    module.mnist = mnist
    module.DATASETS = {"mnist": mnist.load_mnist}

    def load_dataset(name, size="small", test_with_fake_data=False):
        """TF 1.15's ``load_dataset``; of its datasets, only MNIST is carried."""
        if name not in module.DATASETS:
            raise ValueError("Name of dataset is not found: %s" % name)
        return module.DATASETS[name]()

    module.load_dataset = load_dataset
    return module


def modules(read_data_sets, data_set):
    """{module name: module} for every ``tensorflow.contrib`` module that is mapped."""
    prefix = "tensorflow.contrib"
    mnist = mnist_module(prefix + ".learn.datasets.mnist", read_data_sets, data_set)
    datasets = datasets_module(prefix + ".learn.datasets", mnist)
    found = {
        prefix + ".layers": _view(prefix + ".layers", [_slim]),
        prefix + ".slim": _view(prefix + ".slim", [_slim]),
        prefix + ".framework": _view(prefix + ".framework", [_slim]),
        prefix + ".rnn": _view(prefix + ".rnn", [lambda: _tf().nn.rnn_cell,
                                                 lambda: _Only(_tf().nn, RNN_FUNCTIONS)]),
        prefix + ".learn.datasets": datasets,
        prefix + ".learn.datasets.mnist": mnist,
        prefix + ".compiler.jit": _view(prefix + ".compiler.jit", [
            lambda: types.SimpleNamespace(
                experimental_jit_scope=_tf().xla.experimental.jit_scope)]),
        prefix + ".keras": _view(prefix + ".keras", [lambda: _tf().keras]),
        prefix + ".losses": _view(prefix + ".losses", [lambda: _CONTRIB_LOSSES, lambda: _Only(
            _tf().losses, ("get_total_loss", "get_losses", "get_regularization_losses",
                           "get_regularization_loss", "add_loss"))]),
        prefix + ".metrics": _view(prefix + ".metrics", [lambda: _CONTRIB_METRICS]),
        # Of contrib.seq2seq, the loss of the char-RNN and seq2seq tutorials; its decoders
        # (dynamic_decode, helpers, attention) have no home and are refused by name.
        prefix + ".seq2seq": _view(prefix + ".seq2seq", [
            lambda: types.SimpleNamespace(sequence_loss=sequence_loss)]),
        prefix + ".eager": _view(prefix + ".eager", [_eager]),
    }
    found[prefix + ".compiler"] = package(prefix + ".compiler",
                                          jit=found[prefix + ".compiler.jit"])
    # The same datasets under their long name, as scripts imported them.
    long_name = prefix + ".learn.python.learn"
    found[long_name + ".datasets"] = datasets
    found[long_name + ".datasets.mnist"] = mnist
    found[long_name] = package(long_name, datasets=datasets)
    found[prefix + ".learn.python"] = package(prefix + ".learn.python", learn=found[long_name])
    found[prefix + ".learn"] = package(prefix + ".learn", datasets=datasets,
                                        python=found[prefix + ".learn.python"])
    found[prefix] = package(prefix, **{f: found[prefix + "." + f] for f in FAMILIES})
    return found


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


def _eager():
    """TF 1.x's ``tf.contrib.eager`` (``tfe``), at its TF 2 homes: the names of TF 1.x's
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

    return types.SimpleNamespace(
        Variable=tf.Variable, Iterator=iter, Saver=Saver, Checkpoint=tf.train.Checkpoint,
        GradientTape=tf.GradientTape, defun=tf.function, function=tf.function,
        implicit_gradients=backprop.implicit_grad,
        implicit_value_and_gradients=backprop.implicit_val_and_grad,
        gradients_function=backprop.gradients_function,
        value_and_gradients_function=backprop.val_and_grad_function,
        custom_gradient=tf.custom_gradient, num_gpus=context.num_gpus,
        executing_eagerly=tf.executing_eagerly, in_eager_mode=tf.executing_eagerly,
        enable_eager_execution=tf.enable_eager_execution, metrics=tf.keras.metrics)


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


_CONTRIB_LOSSES = _losses()
_CONTRIB_METRICS = _metrics()


class _Only(object):
    """The named attributes of ``source``, and no others."""

    def __init__(self, source, names):
        self._source, self._names = source, names

    def __getattr__(self, name):
        if name in self._names:
            return getattr(self._source, name)
        raise AttributeError(name)


def install(tf, read_data_sets, data_set):
    """Put the mapped ``tf.contrib`` on ``tf`` (TensorFlow 2's compat.v1) and in sys.modules."""
    found = modules(read_data_sets, data_set)
    for name, module in found.items():
        sys.modules[name] = module
    tf.contrib = found["tensorflow.contrib"]
    _fix_batch_norm_path()
    _restore_moved_names()


# What tf-slim 1.1 (its last release, 2020) looks up in TensorFlow's internal modules and
# TensorFlow 2.21 moved: (module, name, its home now). Found by reading every attribute
# tf-slim takes from a tensorflow.python module and looking each up in TF 2.21.
MOVED = (
    ("tensorflow.python.framework.ops", "Tensor", "tensorflow.python.framework.tensor"),
    ("tensorflow.python.framework.ops", "IndexedSlices",
     "tensorflow.python.framework.indexed_slices"),
    ("tensorflow.python.ops.array_ops", "stack", "tensorflow.python.ops.array_ops_stack"),
    ("tensorflow.python.ops.array_ops", "unstack", "tensorflow.python.ops.array_ops_stack"),
    ("tensorflow.python.ops.control_flow_ops", "cond", "tensorflow.python.ops.cond"),
    ("tensorflow.python.ops.control_flow_ops", "case", "tensorflow.python.ops.control_flow_case"),
    ("tensorflow.python.ops.control_flow_ops", "while_loop", "tensorflow.python.ops.while_loop"),
    ("tensorflow.python.ops.control_flow_ops", "Assert",
     "tensorflow.python.ops.control_flow_assert"),
    ("tensorflow.python.ops.variable_scope", "variable", "tensorflow.python.ops.variable_v1"),
)


def _restore_moved_names():
    """Put each of ``MOVED`` back where tf-slim looks (``variable_scope.variable`` is TF
    1.15's ``tf.Variable``: VariableV1). Only what is missing; only under ``run``."""
    for module, name, home in MOVED:
        old = importlib.import_module(module)
        if not hasattr(old, name):
            new = importlib.import_module(home)
            setattr(old, name, new.VariableV1 if name == "variable" else getattr(new, name))


def _fix_batch_norm_path():
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


def patch_learn_datasets(read_data_sets, data_set):
    """On TF 1.15, keep ``tf.contrib.learn``'s own MNIST functions but read through the
    drop-in, which verifies and falls back to the given data directory."""
    from tensorflow.contrib.learn.python.learn import datasets

    ours = mnist_module(datasets.mnist.__name__, read_data_sets, data_set)
    datasets.mnist.read_data_sets = read_data_sets
    datasets.mnist.load_mnist = ours.load_mnist
    datasets.mnist.DataSet = data_set
    datasets.DATASETS["mnist"] = ours.load_mnist
