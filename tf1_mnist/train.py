"""Training: one loop for every network, two batch schedules, two log formats.

``train`` builds a network's graph, feeds it minibatches in a TF1 session, prints
its log lines, evaluates, and saves a self-describing model directory. What differs
between the tutorials is only the schedule:

* ``TutorialSchedule`` (the DigitalOcean MLP): ``n_iterations`` minibatches from
  ``DataSet.next_batch``; every 100 iterations the minibatch's loss and accuracy
  (measured after the step, without dropout) in the tutorial's line
  ``Iteration 100 | Loss = 0.519856 | Accuracy = 0.875``; then the validation and
  test accuracy.
* ``EpochSchedule`` (the Keras tutorials): shuffled passes over all the training
  images; after each epoch the running loss and accuracy, the validation accuracy
  and the seconds, as Keras printed them; then the test accuracy.

Evaluation never runs a dropout op (see ``model.dropout``), so a run gives the same
numbers whether or not it is watched (``--log-dir``, validation passes).
"""
import collections
import contextlib
import math
import time

import numpy as np

from tf1_mnist import checkpoint, data as mnist_data, files, input_data, networks, recipes, \
    session
from tf1_mnist.compat import tf
from tf1_mnist.errors import UserError, first_line
from tf1_mnist.lifecycle import check_interrupted
from tf1_mnist.progress import bar

LOG_EVERY = 100

# What a run trains on: ``train`` is an ``input_data.DataSet`` (the tutorial schedule)
# or an (images, one-hot labels) pair; ``validation`` and ``test`` are such pairs, and
# ``validation`` may be None (the tutorial validated on nothing).
Data = collections.namedtuple("Data", ["train", "validation", "test"])


def compare_line(test_accuracy, reported, reported_text=None):
    """One line putting a measured test accuracy next to the tutorial's."""
    if reported is None:
        return "The tutorial reported no accuracy for this network; this run {:.4f}".format(
            float(test_accuracy))
    diff = float(test_accuracy) - reported
    return ("Tutorial reported {}; this run {:.4f} ({:+.4f}, {:+.2f} percentage points)"
            .format(reported_text or "{:.4f}".format(reported), float(test_accuracy), diff,
                    100 * diff))


def as_printed(value):
    """Six significant digits, as the tutorial's NumPy printed float32s (3.67079, 0.882812)."""
    return "{:.6g}".format(float(value))


class TutorialSchedule(object):
    """The DigitalOcean tutorial's iterations and log line."""

    unit = "iteration"

    def __init__(self, dataset, n_iterations, batch_size, log_every=LOG_EVERY):
        self.dataset, self.total = dataset, n_iterations
        self.batch_size, self.log_every = batch_size, log_every

    def batches(self):
        for _ in range(self.total):
            yield self.dataset.next_batch(self.batch_size)

    def label(self, step):
        return "Training"

    @staticmethod
    def fetches(g):
        return []

    def after_step(self, sess, g, step, x, y, fetched):
        """The point to log after ``step``, or None."""
        if step % self.log_every:
            return None
        # print loss and accuracy (per minibatch), keep_prob defaulting to 1.0
        loss, accuracy = sess.run([g.cross_entropy, g.accuracy], feed_dict={g.X: x, g.Y: y})
        return {"iteration": step, "loss": float(loss), "accuracy": float(accuracy)}

    @staticmethod
    def format(point):
        return "Iteration {} \t| Loss = {} \t| Accuracy = {}".format(
            point["iteration"], as_printed(point["loss"]), as_printed(point["accuracy"]))

    @staticmethod
    def final_lines(validation_accuracy, test_accuracy):
        lines = []
        if validation_accuracy is not None:
            lines.append("Validation accuracy: {}".format(as_printed(validation_accuracy)))
        return lines + ["\nAccuracy on test set: {}".format(as_printed(test_accuracy))]


class EpochSchedule(object):
    """The Keras tutorials' shuffled epochs and per-epoch line."""

    unit = "epoch"

    def __init__(self, images, labels, epochs, batch_size, seed=None):
        self.images, self.labels, self.epochs = images, labels, epochs
        self.batch_size, self.seed = batch_size, seed
        self.steps_per_epoch = int(math.ceil(len(images) / float(batch_size)))
        self.total = epochs * self.steps_per_epoch
        self._sums = None

    def batches(self):
        rng = np.random.RandomState(self.seed)
        for _ in range(self.epochs):
            order = rng.permutation(len(self.images))
            for step in range(self.steps_per_epoch):
                idx = order[step * self.batch_size:(step + 1) * self.batch_size]
                yield self.images[idx], self.labels[idx]

    def label(self, step):
        return "Epoch {}/{}".format(step // self.steps_per_epoch + 1, self.epochs)

    @staticmethod
    def fetches(g):
        return [g.cross_entropy, g.accuracy]  # while training, dropout on: Keras' figures

    def after_step(self, sess, g, step, x, y, fetched):
        if step % self.steps_per_epoch == 0:
            self._sums = [0.0, 0.0, 0.0, time.time()]
        loss, accuracy = fetched
        self._sums[0] += len(x)
        self._sums[1] += float(loss) * len(x)
        self._sums[2] += float(accuracy) * len(x)
        if (step + 1) % self.steps_per_epoch:
            return None
        seen, loss_sum, correct_sum, start = self._sums
        return {"epoch": (step + 1) // self.steps_per_epoch, "loss": loss_sum / seen,
                "accuracy": correct_sum / seen, "seconds": time.time() - start}

    def format(self, point):
        validation = point.get("validation_accuracy")
        return ("Epoch {}/{} \t| Loss = {:.4f} \t| Accuracy = {:.4f} \t| Validation accuracy "
                "= {} \t| {:.1f} s".format(
                    point["epoch"], self.epochs, point["loss"], point["accuracy"],
                    "-" if validation is None else "{:.4f}".format(validation),
                    point["seconds"]))

    @staticmethod
    def final_lines(validation_accuracy, test_accuracy):
        return ["\nAccuracy on test set: {}".format(as_printed(test_accuracy))]


def prepare(config, source, seed=None, log_every=LOG_EVERY):
    """The ``Data`` and schedule ``config``'s network trains on, split as its tutorial
    did; ``seed`` shuffles the batches (default: the config's); the MLP logs every
    ``log_every`` iterations.

    ``source`` is the uint8 arrays of ``data.load_mnist``, or for the MLP also the
    ``Datasets`` of ``input_data.read_data_sets(..., one_hot=True)``.
    """
    seed = config.seed if seed is None else seed
    hparams = config.hparams
    if config.network == recipes.MLP:
        datasets = source if isinstance(source, input_data.Datasets) else \
            input_data.from_arrays(source, one_hot=True, seed=seed)
        validation = datasets.validation
        data = Data(datasets.train, (validation.images, validation.labels)
                    if validation.num_examples else None,
                    (datasets.test.images, datasets.test.labels))
        return data, TutorialSchedule(datasets.train, hparams["n_iterations"],
                                      hparams["batch_size"], log_every)
    train_pair, validation, test = mnist_data.keras_style_split(
        source, recipes.spec(config.network).validation)
    return Data(train_pair, validation, test), EpochSchedule(
        train_pair[0], train_pair[1], hparams["epochs"], hparams["batch_size"], seed)


class Monitor(collections.namedtuple("Monitor", [
        "log", "progress", "log_dir", "track_validation", "log_every"])):
    """How a training is watched; none of it changes the numbers. ``log`` receives each
    output line; ``progress``, a stream, gets a progress bar when it is a terminal;
    ``log_dir`` gets TensorBoard summaries and the graph; ``track_validation`` (default:
    with ``log_dir``, and always for the epoch schedule) adds the validation accuracy to
    every logged point; ``log_every``: the tutorial schedule's 100 iterations."""


Monitor.__new__.__defaults__ = (print, None, None, None, LOG_EVERY)


class Run(object):
    """One training's config, data, schedule and log: what training here and as a
    parameter-server worker share, from the first batch to the saved model."""

    def __init__(self, source, config, monitor=None, data_seed=None):
        self.config, self.monitor = config, monitor or Monitor()
        self.spec = recipes.spec(config.network)
        if isinstance(source, str):  # a data directory: loaded once the lock is held
            source = mnist_data.load_mnist(source)
        self.data, self.schedule = prepare(config, source, data_seed,
                                           self.monitor.log_every)
        train = self.data.train
        size = train.num_examples if hasattr(train, "num_examples") else len(train[0])
        if config.hparams["batch_size"] > size:
            raise UserError("--batch-size {} is larger than the {} training images; choose "
                            "at most {}".format(config.hparams["batch_size"], size, size))
        self.track_validation = self.monitor.track_validation
        if self.track_validation is None:
            self.track_validation = bool(self.monitor.log_dir) or \
                isinstance(self.schedule, EpochSchedule)
        self.keep_prob = recipes.keep_prob(config.network, config.hparams)
        self.history = []

    def feed(self, g, x, y):
        return {g.X: x, g.Y: y, g.keep_prob: self.keep_prob}

    def record(self, point, sess, g, line=None):
        """Keep a logged point (with the validation accuracy when tracked) and print it."""
        if self.track_validation:
            point["validation_accuracy"] = _accuracy(sess, g, self.data.validation)
        self.history.append(point)
        self.monitor.log(line or self.schedule.format(point))

    def finish(self, sess, g, saver, model_dir, cluster=None):
        """Evaluate, print the closing lines, and save to ``model_dir`` (None: not
        saved); return the metrics."""
        validation_accuracy = _accuracy(sess, g, self.data.validation)
        test_accuracy = _accuracy(sess, g, self.data.test)
        for line in self.schedule.final_lines(validation_accuracy, test_accuracy):
            self.monitor.log(line)
        self.monitor.log(compare_line(test_accuracy, self.spec.reported,
                                      self.spec.reported_text))
        if not all(math.isfinite(p["loss"]) for p in self.history):
            raise UserError("the loss became NaN or infinite (diverged); lower "
                            "--learning-rate (the model was not saved)")
        metrics = {"validation_accuracy": validation_accuracy, "test_accuracy": test_accuracy,
                   "reported_test_accuracy": self.spec.reported,
                   "validation": self.spec.validation, "history": self.history}
        if model_dir is not None:
            config = self.config
            description = {"model": config.network, "variant": config.variant,
                           "hparams": config.hparams, "seed": config.seed,
                           "metrics": metrics}
            if cluster:
                description["cluster"] = cluster
            checkpoint.save(sess, saver, model_dir, description)
        return metrics


def locked(model_dir, wait=False):
    """The model directory's ``checkpoint.Lock`` (nothing when ``model_dir`` is None:
    a training that saves nothing)."""
    return checkpoint.Lock(model_dir, wait=wait) if model_dir else contextlib.ExitStack()


def train(source, model_dir, config, monitor=None, intra_op_threads=0, wait=False):
    """Train ``config``'s network on ``source`` (see ``prepare``; or a data directory,
    loaded once the lock is held), save it to ``model_dir`` and return the metrics.

    The model directory is locked (``wait``: for another training to finish) and checked
    before training, and written only after it; ``model_dir=None`` saves nothing.
    """
    monitor = monitor or Monitor()
    if monitor.log_dir:
        files.check_writable_dir(monitor.log_dir, "TensorBoard logs", "--log-dir")
    with locked(model_dir, wait):
        return _train(Run(source, config, monitor), model_dir, intra_op_threads)


def _train(run, model_dir, intra_op_threads):
    schedule, log_dir = run.schedule, run.monitor.log_dir
    with tf.Graph().as_default():
        g = networks.build(run.config.network, run.config.hparams,
                           variant=run.config.variant, seed=run.config.seed)
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
        with tf.Session(config=session.config(intra_op_threads)) as sess:
            sess.run(tf.global_variables_initializer())
            writer = _summary_writer(log_dir, sess.graph) if log_dir else None
            fetches = [g.train_step] + schedule.fetches(g)
            with bar(run.monitor.progress, total=schedule.total, unit=" steps",
                     desc=schedule.label(0)) as shown:
                for step, (x, y) in enumerate(schedule.batches()):
                    check_interrupted()
                    if step and step % 50 == 0:
                        shown.set_description(schedule.label(step), refresh=False)
                    fetched = sess.run(fetches, feed_dict=run.feed(g, x, y))
                    shown.update(1)
                    point = schedule.after_step(sess, g, step, x, y, fetched[1:])
                    if point is None:
                        continue
                    shown.clear()
                    run.record(point, sess, g)
                    if writer:
                        _write_summaries(writer, point, schedule.unit)
            if writer:
                writer.close()
            return run.finish(sess, g, saver, model_dir)


def _summary_writer(log_dir, graph):
    try:
        return tf.summary.FileWriter(log_dir, graph)
    except (tf.errors.OpError, OSError) as exc:
        raise UserError("{}: cannot write TensorBoard logs there ({}); choose another "
                        "--log-dir".format(log_dir, first_line(exc)))


def _accuracy(sess, g, pair):
    return None if pair is None else session.accuracy(sess, g, *pair)


def _write_summaries(writer, point, unit):
    values = [tf.Summary.Value(tag=tag, simple_value=point[key]) for tag, key in (
        ("minibatch/loss", "loss"), ("minibatch/accuracy", "accuracy"),
        ("validation/accuracy", "validation_accuracy")) if point.get(key) is not None]
    writer.add_summary(tf.Summary(value=values), point[unit])
