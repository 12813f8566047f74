"""``tf.estimator`` for ``run`` on TensorFlow 2.16+, which removed it.

``tensorflow-estimator`` 2.15 no longer imports on TensorFlow 2.21 (``cannot import
name 'estimator_training'``), so this is the part of TF 1.15's API that MNIST scripts
used, written on ``tf.train.MonitoredTrainingSession`` as the original was:

* ``Estimator(model_fn, model_dir, config, params)`` with ``train`` (``steps`` /
  ``max_steps``, hooks), ``evaluate`` (returns the metrics, ``loss`` and
  ``global_step``), ``predict`` (one dict per example), ``get_variable_value``,
  ``get_variable_names``, ``latest_checkpoint``; checkpoints and summaries in
  ``model_dir``, resumed from there.
* ``EstimatorSpec``, ``ModeKeys``, ``RunConfig``, ``inputs.numpy_input_fn``,
  ``train_and_evaluate`` with ``TrainSpec`` / ``EvalSpec`` (train, then evaluate once).
* The canned ``LinearClassifier`` and ``DNNClassifier`` on ``tf.feature_column``
  columns, with TF 1.15's heads (softmax, or sigmoid for two classes), default
  optimizers and prediction keys.

Left out (refused before the script runs): exporting SavedModels from an Estimator,
the other canned estimators, ``pandas_input_fn``, ``warm_start_from``,
``label_vocabulary`` and ``weight_column``. Accepted but without effect:
``saving_listeners`` and RunConfig's distribution settings (one process trains). The
log lines are TF 1.15's, through ``tf.logging`` at INFO.
"""
import collections
import inspect
import math
import os
import sys
import tempfile
import time
import types

import numpy as np

from tf1_mnist.legacy.policy import refused

UNCARRIED_METHODS = ("experimental_export_all_saved_models",)
UNCARRIED_ARGUMENTS = ("warm_start_from", "label_vocabulary", "weight_column")


def uncarried_method(name):
    return ("calls Estimator.{}, which tf1-mnist run does not carry on TensorFlow 2 "
            "(docs/run.md)".format(name))


def uncarried_argument(name):
    return ("gives an estimator {}=, which tf1-mnist run does not carry on TensorFlow 2 "
            "(docs/run.md)".format(name))


def _uncarried(name):
    """An uncarried Estimator method: refused (one line naming the program's line)
    when it is called, not for being named."""
    def method(self, *args, **kwargs):
        raise refused(uncarried_method(name))
    method.__name__ = name
    return method


def _check_arguments(**given):
    for name in UNCARRIED_ARGUMENTS:
        if given.get(name) is not None:
            raise refused(uncarried_argument(name))


def _tf():
    return sys.modules["tensorflow"]


class ModeKeys(object):
    """The three modes a ``model_fn`` is called in."""
    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_SPEC_FIELDS = ("mode", "predictions", "loss", "train_op", "eval_metric_ops",
                "export_outputs", "training_chief_hooks", "training_hooks", "scaffold",
                "evaluation_hooks", "prediction_hooks")


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _SPEC_FIELDS)):
    """What a ``model_fn`` returns: the ops for one mode."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        if mode == ModeKeys.TRAIN and (loss is None or train_op is None):
            raise ValueError("Missing loss or train_op: an EstimatorSpec for TRAIN needs both.")
        if mode == ModeKeys.EVAL and loss is None:
            raise ValueError("Missing loss: an EstimatorSpec for EVAL needs it.")
        if mode == ModeKeys.PREDICT and predictions is None:
            raise ValueError("Missing predictions: an EstimatorSpec for PREDICT needs them.")
        return super(EstimatorSpec, cls).__new__(
            cls, mode, predictions, loss, train_op, dict(eval_metric_ops or {}),
            export_outputs, tuple(training_chief_hooks or ()), tuple(training_hooks or ()),
            scaffold, tuple(evaluation_hooks or ()), tuple(prediction_hooks or ()))


class RunConfig(object):
    """Where and how often an Estimator saves, logs and seeds (TF 1.15's defaults)."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=None, save_checkpoints_secs=None,
                 session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100, **ignored):
        if save_checkpoints_steps is None and save_checkpoints_secs is None:
            save_checkpoints_secs = 600
        if save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError("Can not provide both save_checkpoints_secs and "
                             "save_checkpoints_steps.")
        self.model_dir = model_dir
        self.tf_random_seed = tf_random_seed
        self.save_summary_steps = save_summary_steps
        self.save_checkpoints_steps = save_checkpoints_steps
        self.save_checkpoints_secs = save_checkpoints_secs
        self.session_config = session_config
        self.keep_checkpoint_max = keep_checkpoint_max
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.log_step_count_steps = log_step_count_steps
        self.is_chief = True
        self.num_ps_replicas = 0
        self.num_worker_replicas = 1
        self.task_type = "worker"
        self.task_id = 0
        self.cluster_spec = None
        self.master = ""

    def replace(self, **kwargs):
        """A copy with the given settings changed."""
        settings = {k: getattr(self, k) for k in (
            "model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
            "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
            "keep_checkpoint_every_n_hours", "log_step_count_steps")}
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" not in kwargs:
            settings["save_checkpoints_secs"] = None
        settings.update(kwargs)
        return RunConfig(**settings)


def _call_with_known(fn, available):
    """Call ``fn`` with those of ``available``'s keyword arguments it declares."""
    parameters = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in parameters})


def _features_and_labels(result):
    tf = _tf()
    if isinstance(result, tf.data.Dataset):
        result = tf.data.make_one_shot_iterator(result).get_next()
    if isinstance(result, (tuple, list)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) or features; got "
                             "{} values".format(len(result)))
        return result[0], result[1]
    return result, None


class Estimator(object):
    """TF 1.15's ``tf.estimator.Estimator``: a ``model_fn`` trained, evaluated and used
    for prediction from the checkpoints in ``model_dir``."""

    experimental_export_all_saved_models = _uncarried("experimental_export_all_saved_models")

    def __init__(self, model_fn, model_dir=None, config=None, params=None,
                 warm_start_from=None):
        _check_arguments(warm_start_from=warm_start_from)
        tf = _tf()
        if not callable(model_fn):
            raise ValueError("model_fn must be provided to Estimator.")
        if config is None:
            tf.logging.info("Using default config.")
            config = RunConfig()
        if model_dir is None:
            model_dir = config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            tf.logging.warning("Using temporary folder as model directory: %s", model_dir)
        self._model_fn = model_fn
        self._config = config.replace(model_dir=model_dir)
        self._params = dict(params or {})
        tf.logging.info("Using config: %s", dict(self._config.__dict__))

    model_dir = property(lambda self: self._config.model_dir)
    config = property(lambda self: self._config)
    params = property(lambda self: dict(self._params))
    model_fn = property(lambda self: self._model_fn)

    def _spec(self, input_fn, mode):
        features, labels = _features_and_labels(_call_with_known(
            input_fn, {"mode": mode, "params": self._params, "config": self._config}))
        _tf().logging.info("Calling model_fn.")
        spec = _call_with_known(self._model_fn, {
            "features": features, "labels": labels, "mode": mode, "params": self._params,
            "config": self._config})
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        _tf().logging.info("Done calling model_fn.")
        return spec

    def _graph(self):
        graph = _tf().Graph()
        if self._config.tf_random_seed is not None:
            with graph.as_default():
                _tf().set_random_seed(self._config.tf_random_seed)
        return graph

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train from the latest checkpoint for ``steps`` more steps, up to ``max_steps``
        in all, or until ``input_fn`` runs out."""
        tf = _tf()
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        if max_steps is not None:
            done = self._global_step()
            if done >= max_steps:
                tf.logging.info("Skipping training since max_steps has already saved.")
                return self
        config = self._config
        with self._graph().as_default():
            global_step = tf.train.get_or_create_global_step()
            spec = self._spec(input_fn, ModeKeys.TRAIN)
            all_hooks = [tf.train.NanTensorHook(spec.loss),
                         tf.train.LoggingTensorHook({"loss": spec.loss, "step": global_step},
                                                    every_n_iter=config.log_step_count_steps)]
            if steps is not None or max_steps is not None:  # else: until the data ends
                all_hooks.append(tf.train.StopAtStepHook(num_steps=steps, last_step=max_steps))
            all_hooks += list(spec.training_hooks) + list(hooks or [])
            scaffold = spec.scaffold or tf.train.Scaffold(saver=tf.train.Saver(
                sharded=True, max_to_keep=config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
                save_relative_paths=True))
            tf.logging.info("Create CheckpointSaverHook.")
            loss = None
            with tf.train.MonitoredTrainingSession(
                    checkpoint_dir=self.model_dir, scaffold=scaffold, hooks=all_hooks,
                    chief_only_hooks=list(spec.training_chief_hooks),
                    save_checkpoint_secs=config.save_checkpoints_secs,
                    save_checkpoint_steps=config.save_checkpoints_steps,
                    save_summaries_steps=config.save_summary_steps,
                    config=config.session_config,
                    log_step_count_steps=config.log_step_count_steps) as session:
                while not session.should_stop():
                    _, loss = session.run([spec.train_op, spec.loss])
        tf.logging.info("Loss for final step: %s.", loss)
        return self

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """The metrics over ``input_fn`` (or its first ``steps`` batches), from the
        latest checkpoint: the model's ``eval_metric_ops``, ``loss`` and ``global_step``."""
        tf = _tf()
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            tf.logging.info("Could not find trained model in model_dir: %s, running "
                            "initialization to evaluate.", self.model_dir)
        with self._graph().as_default():
            global_step = tf.train.get_or_create_global_step()
            spec = self._spec(input_fn, ModeKeys.EVAL)
            metrics = dict(spec.eval_metric_ops)
            metrics.setdefault("loss", tf.metrics.mean(spec.loss))
            values = {k: v[0] for k, v in metrics.items()}
            updates = [v[1] for v in metrics.values()]
            values["global_step"] = global_step
            final = tf.train.FinalOpsHook(values)
            run_hooks = list(spec.evaluation_hooks) + list(hooks or []) + [final]
            if steps is not None:
                run_hooks.append(_stop_after(steps))
            tf.logging.info("Starting evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                       time.gmtime()))
            creator = tf.train.ChiefSessionCreator(
                scaffold=spec.scaffold, checkpoint_filename_with_path=checkpoint,
                config=self._config.session_config)
            # MonitoredSession ends quietly at the end of the data and then runs the
            # final hook, which reads the metrics after the last update.
            with tf.train.MonitoredSession(session_creator=creator, hooks=run_hooks) as session:
                while not session.should_stop():
                    session.run(updates)
            result = final.final_ops_values
        tf.logging.info("Finished evaluation at %s", time.strftime("%Y-%m-%d-%H:%M:%S"))
        result = {k: result[k] for k in sorted(result)}
        tf.logging.info("Saving dict for global step %d: %s", result["global_step"],
                        ", ".join("{} = {}".format(k, v) for k, v in result.items()))
        self._write_eval_summary(result, name)
        return result

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yield the model's predictions for each example of ``input_fn`` (a dict, or a
        value when ``predictions`` is one tensor), from the latest checkpoint."""
        tf = _tf()
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            raise ValueError("Could not find trained model in model_dir: {}.".format(
                self.model_dir))
        with self._graph().as_default():
            tf.train.get_or_create_global_step()
            spec = self._spec(input_fn, ModeKeys.PREDICT)
            predictions = spec.predictions
            if isinstance(predictions, dict) and predict_keys is not None:
                keys = [predict_keys] if isinstance(predict_keys, str) else list(predict_keys)
                missing = [k for k in keys if k not in predictions]
                if missing:
                    raise ValueError("Expected to run at least one output from {}, provided "
                                     "{}.".format(sorted(predictions), missing))
                predictions = {k: predictions[k] for k in keys}
            creator = tf.train.ChiefSessionCreator(
                scaffold=spec.scaffold, checkpoint_filename_with_path=checkpoint,
                config=self._config.session_config)
            run_hooks = list(spec.prediction_hooks) + list(hooks or [])
            with tf.train.MonitoredSession(session_creator=creator, hooks=run_hooks) as session:
                while not session.should_stop():
                    batch = session.run(predictions)
                    if not yield_single_examples:
                        yield batch
                    elif isinstance(batch, dict):
                        for i in range(len(next(iter(batch.values())))):
                            yield {k: v[i] for k, v in batch.items()}
                    else:
                        for row in batch:
                            yield row

    def latest_checkpoint(self):
        return _tf().train.latest_checkpoint(self.model_dir)

    def export_saved_model(self, export_dir_base, serving_input_receiver_fn,
                           assets_extra=None, as_text=False, checkpoint_path=None):
        """A SavedModel of the PREDICT graph fed by ``serving_input_receiver_fn``, with
        the latest (or the given) checkpoint's variables, in a new timestamped folder of
        ``export_dir_base``; returns its path, as bytes (as TF 1.15 did). Its signatures:
        the model_fn's ``export_outputs``, else one PredictOutput of its predictions."""
        tf = _tf()
        if assets_extra:
            raise ValueError("assets_extra is not carried by tf1-mnist run on TensorFlow 2 "
                             "(docs/run.md); export without it")
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            raise ValueError("Couldn't find trained model at {}.".format(self.model_dir))
        with self._graph().as_default():
            tf.train.get_or_create_global_step()
            receiver = serving_input_receiver_fn()
            spec = _call_with_known(self._model_fn, {
                "features": receiver.features, "labels": None, "mode": ModeKeys.PREDICT,
                "params": self._params, "config": self._config})
            signatures = _signature_defs(receiver, spec)
            export_dir = _timestamped(export_dir_base)
            temporary = os.path.join(export_dir_base, "temp-" + os.path.basename(export_dir))
            with tf.Session(config=self._config.session_config) as session:
                saver = (spec.scaffold and spec.scaffold.saver) or tf.train.Saver(sharded=True)
                saver.restore(session, checkpoint)
                builder = tf.saved_model.builder.SavedModelBuilder(temporary)
                builder.add_meta_graph_and_variables(
                    session, [tf.saved_model.tag_constants.SERVING],
                    signature_def_map=signatures, saver=saver, strip_default_attrs=True,
                    main_op=tf.train.Scaffold.default_local_init_op())
                builder.save(as_text)
            os.rename(temporary, export_dir)
        return export_dir.encode("utf-8")

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn,
                          assets_extra=None, as_text=False, checkpoint_path=None,
                          strip_default_attrs=False):
        """TF 1.15's older name of ``export_saved_model`` (default attributes are always
        stripped, as TF Serving wants)."""
        return self.export_saved_model(export_dir_base, serving_input_receiver_fn,
                                       assets_extra, as_text, checkpoint_path)

    def get_variable_names(self):
        return [name for name, _ in _tf().train.list_variables(self.model_dir)]

    def get_variable_value(self, name):
        return _tf().train.load_variable(self.model_dir, name)

    def _global_step(self):
        checkpoint = self.latest_checkpoint()
        if checkpoint is None:
            return 0
        return int(_tf().train.load_variable(checkpoint, "global_step"))

    def _write_eval_summary(self, result, name):
        tf = _tf()
        folder = os.path.join(self.model_dir, "eval" if not name else "eval_" + name)
        summary = tf.Summary()
        for key, value in result.items():
            if key != "global_step" and np.ndim(value) == 0:
                summary.value.add(tag=key, simple_value=float(value))
        writer = tf.summary.FileWriterCache.get(folder)
        writer.add_summary(summary, int(result["global_step"]))
        writer.flush()


def _timestamped(export_dir_base):
    """``export_dir_base``/<seconds since 1970>, a name not taken yet (TF 1.15's layout,
    which TF Serving reads as versions)."""
    for _ in range(10):
        path = os.path.join(export_dir_base, str(int(time.time())))
        if not os.path.exists(path):
            return path
        time.sleep(1)  # one export a second, as TF 1.15
    raise RuntimeError("Failed to obtain a unique export directory name after 10 attempts.")


def _signature_defs(receiver, spec):
    """{key: SignatureDef} of ``spec``'s export outputs for ``receiver``'s tensors: a
    single output is also ``serving_default``; an output whose signature the receiver
    cannot feed (a classification of non-string input) is left out, as TF 1.15 did."""
    tf = _tf()
    outputs = spec.export_outputs
    if outputs is None:
        outputs = {DEFAULT_SIGNATURE: PredictOutput(spec.predictions)}
    outputs = dict(outputs)
    if len(outputs) == 1 and DEFAULT_SIGNATURE not in outputs:
        outputs[DEFAULT_SIGNATURE] = next(iter(outputs.values()))
    if DEFAULT_SIGNATURE not in outputs:
        raise ValueError("Multiple export_outputs were provided, but none of them is "
                         "specified as the default. Do this by naming one of them with "
                         "signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY.")
    signatures = {}
    for key, output in outputs.items():
        if not isinstance(output, _ExportOutput):
            raise TypeError("Values in export_outputs must be ExportOutput objects. Given: "
                            "{}".format(outputs))
        try:
            signatures[key] = output.as_signature_def(receiver.receiver_tensors)
        except ValueError as exc:
            tf.logging.warn("Export includes no {} signature: {}".format(key, exc))
    if not signatures:
        raise ValueError("Export failed: no valid signatures")
    return signatures


DEFAULT_SIGNATURE = "serving_default"


class _ExportOutput(object):
    """What a model_fn's ``export_outputs`` map to: one serving signature each."""


def _one_tensor(outputs, what):
    return outputs if isinstance(outputs, dict) else {what: outputs}


class PredictOutput(_ExportOutput):
    """Any named tensors (``outputs``), fed by the receiver's tensors: TF Serving's
    predict signature."""

    def __init__(self, outputs):
        self.outputs = _one_tensor(outputs, "output")

    def as_signature_def(self, receiver_tensors):
        return _tf().saved_model.signature_def_utils.predict_signature_def(
            receiver_tensors, self.outputs)


def _examples(receiver_tensors, what):
    values = list(receiver_tensors.values())
    if len(values) != 1 or values[0].dtype != _tf().string:
        raise ValueError("{} input must be a single string Tensor; got {}".format(
            what, receiver_tensors))
    return values[0]


class ClassificationOutput(_ExportOutput):
    """``scores`` and/or ``classes`` of serialized tf.Examples: the classify signature."""

    def __init__(self, scores=None, classes=None):
        if scores is None and classes is None:
            raise ValueError("At least one of scores and classes must be set.")
        self.scores, self.classes = scores, classes

    def as_signature_def(self, receiver_tensors):
        return _tf().saved_model.signature_def_utils.classification_signature_def(
            _examples(receiver_tensors, "Classification"), self.classes, self.scores)


class RegressionOutput(_ExportOutput):
    """``value`` of serialized tf.Examples: the regress signature."""

    def __init__(self, value):
        self.value = value

    def as_signature_def(self, receiver_tensors):
        return _tf().saved_model.signature_def_utils.regression_signature_def(
            _examples(receiver_tensors, "Regression"), self.value)


class ServingInputReceiver(collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors",
                                 "receiver_tensors_alternatives"])):
    """What a serving_input_receiver_fn returns: the model's ``features`` and the
    tensors a client feeds (single tensors wrapped as {'feature': t} and {'input': t})."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None or receiver_tensors is None:
            raise ValueError("features and receiver_tensors must be defined.")
        if receiver_tensors_alternatives:
            raise ValueError("receiver_tensors_alternatives is not carried by tf1-mnist run "
                             "on TensorFlow 2 (docs/run.md)")
        return super(ServingInputReceiver, cls).__new__(
            cls, _one_tensor(features, "feature"), _one_tensor(receiver_tensors, "input"),
            None)


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A receiver fn that feeds each of ``features`` (a dict of tensors) directly, through
    a placeholder of its dtype and shape (any batch size, or ``default_batch_size``)."""
    def serving_input_receiver_fn():
        tf = _tf()
        placeholders = {
            name: tf.placeholder(t.dtype, [default_batch_size] + t.shape.as_list()[1:],
                                 name=t.op.name)
            for name, t in features.items()}
        return ServingInputReceiver(placeholders, placeholders)
    return serving_input_receiver_fn


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A receiver fn that takes serialized tf.Examples (``examples``) and parses them
    with ``feature_spec``."""
    def serving_input_receiver_fn():
        tf = _tf()
        serialized = tf.placeholder(tf.string, [default_batch_size],
                                    name="input_example_tensor")
        return ServingInputReceiver(tf.parse_example(serialized, feature_spec),
                                    {"examples": serialized})
    return serving_input_receiver_fn


def _stop_after(steps):
    """A hook that stops an evaluation after ``steps`` batches."""
    tf = _tf()

    class StopAfter(tf.train.SessionRunHook):
        def __init__(self):
            self.done = 0

        def after_run(self, run_context, run_values):
            self.done += 1
            if self.done >= steps:
                run_context.request_stop()

    return StopAfter()


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
    """TF 1.15's ``tf.estimator.inputs.numpy_input_fn``: batches of ``x`` (an array or
    a dict of arrays) and ``y``, ``num_epochs`` times (None: for ever), reshuffled each
    epoch when ``shuffle``. The last batch of the data may be smaller."""
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided explicitly as a bool, got %s instead."
                         % shuffle)
    features = {k: np.asarray(v) for k, v in x.items()} if isinstance(x, dict) \
        else np.asarray(x)
    labels = None if y is None else ({k: np.asarray(v) for k, v in y.items()}
                                     if isinstance(y, dict) else np.asarray(y))
    arrays = _flatten(features) + _flatten(labels)

    def input_fn():
        tf = _tf()
        lengths = {len(a) for _, a in arrays}
        if len(lengths) != 1:  # checked when called, as TF 1.15 did
            raise ValueError("Length of tensors in x and y is mismatched. All elements in "
                             "x and y must have the same length.")
        size = lengths.pop()
        rows = tf.data.Dataset.range(size)
        if shuffle:
            rows = rows.shuffle(size, reshuffle_each_iteration=True)
        rows = rows.repeat(num_epochs).batch(batch_size)

        def gather(index):
            return tuple(a[index] for _, a in arrays)

        def to_tensors(index):
            tensors = tf.numpy_function(gather, [index], [tf.as_dtype(a.dtype)
                                                          for _, a in arrays])
            for tensor, (_, a) in zip(tensors, arrays):
                tensor.set_shape((None,) + a.shape[1:])
            return tuple(tensors)

        batch = tf.data.make_one_shot_iterator(rows.map(to_tensors)).get_next()
        values = dict(zip([k for k, _ in arrays], batch))
        return _unflatten(features, values, "x"), _unflatten(labels, values, "y")

    return input_fn


def _flatten(value, prefix=None):
    if value is None:
        return []
    if isinstance(value, dict):
        return [("{}/{}".format(prefix or "x", k), value[k]) for k in sorted(value)]
    return [(prefix or id(value), value)]


def _unflatten(value, tensors, prefix):
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: tensors["{}/{}".format(prefix, k)] for k in value}
    return tensors[id(value)]


TrainSpec = collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks"])
TrainSpec.__new__.__defaults__ = (None, ())
EvalSpec = collections.namedtuple("EvalSpec", ["input_fn", "steps", "name", "hooks",
                                               "exporters", "start_delay_secs",
                                               "throttle_secs"])
EvalSpec.__new__.__defaults__ = (100, None, (), None, 120, 600)


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Train to ``train_spec.max_steps``, then evaluate once; (metrics, []).

    TF 1.15 also evaluated after each checkpoint saved ``throttle_secs`` apart; on one
    machine its last evaluation, the one returned, is this one."""
    estimator.train(train_spec.input_fn, hooks=train_spec.hooks,
                    max_steps=train_spec.max_steps)
    return estimator.evaluate(eval_spec.input_fn, steps=eval_spec.steps,
                              hooks=eval_spec.hooks, name=eval_spec.name), []


_OPTIMIZERS = {"Adagrad": "AdagradOptimizer", "Adam": "AdamOptimizer",
               "Ftrl": "FtrlOptimizer", "RMSProp": "RMSPropOptimizer",
               "SGD": "GradientDescentOptimizer"}


def _optimizer(optimizer, learning_rate):
    tf = _tf()
    if isinstance(optimizer, str):
        if optimizer not in _OPTIMIZERS:
            raise ValueError("Unsupported optimizer name: {}. Supported names are: {}".format(
                optimizer, tuple(sorted(_OPTIMIZERS))))
        return getattr(tf.train, _OPTIMIZERS[optimizer])(learning_rate=learning_rate)
    if callable(optimizer) and not isinstance(optimizer, tf.train.Optimizer):
        return optimizer()
    return optimizer


def _dense(net, units, name, initializer):
    tf = _tf()
    with tf.variable_scope(name):
        kernel = tf.get_variable("kernel", [net.shape[-1], units], initializer=initializer)
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        return tf.nn.bias_add(tf.matmul(net, kernel), bias)


class _Classifier(Estimator):
    """TF 1.15's canned classifiers: logits from ``_logits``, then its classification
    head (softmax for 3+ classes, sigmoid for 2), loss summed over the batch."""

    def __init__(self, feature_columns, model_dir, n_classes, optimizer, config,
                 label_vocabulary=None, weight_column=None):
        if n_classes < 2:
            raise ValueError("n_classes must be > 1 for classification: {}".format(n_classes))
        _check_arguments(label_vocabulary=label_vocabulary, weight_column=weight_column)
        self._columns = list(feature_columns)
        self._n_classes = n_classes
        self._optimizer_spec = optimizer
        super(_Classifier, self).__init__(self._classifier_fn, model_dir, config)

    def _classifier_fn(self, features, labels, mode):
        tf = _tf()
        training = mode == ModeKeys.TRAIN
        units = 1 if self._n_classes == 2 else self._n_classes
        logits = self._logits(features, units, training)
        if units == 1:
            probability = tf.nn.sigmoid(logits)
            probabilities = tf.concat([1.0 - probability, probability], axis=1)
            class_ids = tf.cast(logits > 0, tf.int64)
        else:
            probabilities = tf.nn.softmax(logits)
            class_ids = tf.expand_dims(tf.argmax(logits, axis=1), -1)
        all_class_ids = tf.tile(tf.range(self._n_classes, dtype=tf.int32)[None],
                                [tf.shape(logits)[0], 1])
        predictions = {"logits": logits, "probabilities": probabilities,
                       "class_ids": class_ids, "classes": tf.as_string(class_ids),
                       "all_class_ids": all_class_ids,
                       "all_classes": tf.as_string(all_class_ids)}
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        labels = tf.reshape(tf.cast(labels, tf.int64), [-1, 1])
        if units == 1:
            per_example = tf.nn.sigmoid_cross_entropy_with_logits(
                labels=tf.cast(labels, logits.dtype), logits=logits)
        else:
            per_example = tf.expand_dims(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=tf.reshape(labels, [-1]), logits=logits), -1)
        loss = tf.reduce_sum(per_example)
        if mode == ModeKeys.EVAL:
            metrics = {"accuracy": tf.metrics.accuracy(labels, class_ids, name="acc"),
                       "average_loss": tf.metrics.mean(per_example, name="average_loss")}
            if units == 1:
                metrics["precision"] = tf.metrics.precision(labels, class_ids)
                metrics["recall"] = tf.metrics.recall(labels, class_ids)
                metrics["auc"] = tf.metrics.auc(labels, probability)
            return EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
        optimizer = _optimizer(self._optimizer_spec, self._default_learning_rate())
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        return EstimatorSpec(mode, loss=loss, train_op=train_op)


class LinearClassifier(_Classifier):
    """TF 1.15's ``tf.estimator.LinearClassifier``: weights from zero, FTRL at
    min(0.2, 1/sqrt(number of columns))."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, **ignored):
        super(LinearClassifier, self).__init__(feature_columns, model_dir, n_classes,
                                               optimizer, config, label_vocabulary,
                                               weight_column)

    def _default_learning_rate(self):
        return min(0.2, 1.0 / math.sqrt(len(self._columns)))

    def _logits(self, features, units, training):
        tf = _tf()
        with tf.variable_scope("linear/linear_model"):
            net = tf.feature_column.input_layer(features, self._columns)
            return _dense(net, units, "weights", tf.zeros_initializer())


class DNNClassifier(_Classifier):
    """TF 1.15's ``tf.estimator.DNNClassifier``: Glorot-uniform layers, ``dropout`` as
    the rate while training, Adagrad at 0.05."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=None, dropout=None, config=None, batch_norm=False,
                 **ignored):
        if batch_norm:
            raise ValueError("DNNClassifier(batch_norm=True) is not carried by tf1-mnist run")
        self._hidden_units = list(hidden_units)
        self._activation = activation_fn or _tf().nn.relu
        self._dropout = dropout
        super(DNNClassifier, self).__init__(feature_columns, model_dir, n_classes,
                                            optimizer, config, label_vocabulary,
                                            weight_column)

    def _default_learning_rate(self):
        return 0.05

    def _logits(self, features, units, training):
        tf = _tf()
        glorot = tf.glorot_uniform_initializer()
        with tf.variable_scope("dnn"):
            net = tf.feature_column.input_layer(features, self._columns)
            for i, width in enumerate(self._hidden_units):
                net = self._activation(_dense(net, width, "hiddenlayer_%d" % i, glorot))
                if self._dropout is not None and training:
                    net = tf.nn.dropout(net, rate=self._dropout)
            return _dense(net, units, "logits", glorot)


_HOOKS = ("SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues",
          "LoggingTensorHook", "StopAtStepHook", "CheckpointSaverHook",
          "CheckpointSaverListener", "SummarySaverHook", "NanTensorHook",
          "NanLossDuringTrainingError", "StepCounterHook", "FinalOpsHook", "FeedFnHook", "GlobalStepWaiterHook",
          "ProfilerHook", "SecondOrStepTimer")


def module():
    """The ``tf.estimator`` module a TF 1.15 script sees (``inputs`` and ``export`` are
    rows of their own)."""
    estimator = types.ModuleType("tensorflow.estimator")
    estimator.__dict__.update(
        Estimator=Estimator, EstimatorSpec=EstimatorSpec, ModeKeys=ModeKeys,
        RunConfig=RunConfig, TrainSpec=TrainSpec, EvalSpec=EvalSpec,
        train_and_evaluate=train_and_evaluate, LinearClassifier=LinearClassifier,
        DNNClassifier=DNNClassifier, __doc__=__doc__)

    def __getattr__(name):  # the session hooks TF 1.15 also showed here
        if name in _HOOKS:
            return getattr(_tf().train, name)
        raise AttributeError("module 'tensorflow.estimator' has no attribute {!r}".format(name))

    estimator.__getattr__ = __getattr__
    return estimator


def inputs_module():
    """``tf.estimator.inputs``."""
    inputs = types.ModuleType("tensorflow.estimator.inputs")
    inputs.numpy_input_fn = numpy_input_fn
    return inputs


def export_module():
    """``tf.estimator.export``."""
    export = types.ModuleType("tensorflow.estimator.export")
    export.__dict__.update(
        ServingInputReceiver=ServingInputReceiver, PredictOutput=PredictOutput,
        ClassificationOutput=ClassificationOutput, RegressionOutput=RegressionOutput,
        build_raw_serving_input_receiver_fn=build_raw_serving_input_receiver_fn,
        build_parsing_serving_input_receiver_fn=build_parsing_serving_input_receiver_fn)
    return export
