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
import math
import time
from fractions import Fraction

import numpy as np

from tf1_mnist import checkpoint, data as mnist_data, files, input_data, networks, session
from tf1_mnist.compat import tf
from tf1_mnist.errors import UserError, check_interrupted, first_line
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


def iterations_for_epochs(epochs, num_examples, batch_size):
    """Minibatches for ``epochs`` passes over ``num_examples`` (the tutorial's 1000 x 128
    is about 2.3 epochs of the 55,000 training images). Exact arithmetic on the decimal
    the user typed: 1.1 epochs of 55,000 in batches of 100 is 605, not 606."""
    return int(math.ceil(Fraction(repr(float(epochs))) * num_examples / batch_size))


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


def recipe(name, hparams=None):
    """Network ``name``'s tutorial recipe with ``hparams`` overriding entries of it."""
    hp = dict(networks.spec(name).recipe)
    unknown = set(hparams or {}) - set(hp)
    if unknown:
        raise ValueError("unknown hyper-parameters for {}: {}".format(name, sorted(unknown)))
    hp.update(hparams or {})
    return hp


def prepare(name, source, hp, seed=None):
    """The ``Data`` and schedule network ``name`` trains on, split as its tutorial did.

    ``source`` is the uint8 arrays of ``data.load_mnist``, or for the MLP also the
    ``Datasets`` of ``input_data.read_data_sets(..., one_hot=True)``.
    """
    spec = networks.spec(name)
    if name == networks.MLP:
        datasets = source if isinstance(source, input_data.Datasets) else \
            input_data.from_arrays(source, one_hot=True, seed=seed)
        validation = datasets.validation
        data = Data(datasets.train, (validation.images, validation.labels)
                    if validation.num_examples else None,
                    (datasets.test.images, datasets.test.labels))
        return data, TutorialSchedule(datasets.train, hp["n_iterations"], hp["batch_size"])
    train_pair, validation, test = mnist_data.keras_style_split(source, spec.validation)
    data = Data(train_pair, validation, test)
    return data, EpochSchedule(train_pair[0], train_pair[1], hp["epochs"], hp["batch_size"],
                               seed)


def keep_prob(name, hp):
    """What ``keep_prob`` is fed while training: the MLP's ``dropout`` (a keep
    probability, as in the tutorial) or 1 - the Keras recipes' ``dropout_rate``."""
    return hp["dropout"] if name == networks.MLP else 1.0 - hp["dropout_rate"]


def train(source, model_dir, name=networks.MLP, hparams=None, variant="faithful", seed=None,
          log=print, log_dir=None, track_validation=None, progress=None, log_every=None,
          intra_op_threads=0, save=True, locked=False):
    """Train network ``name`` on ``source`` (see ``prepare``), save it to ``model_dir``
    and return the metrics as a dict.

    ``hparams`` overrides the network's recipe. ``log`` receives each output line;
    ``progress``, a stream, gets a progress bar when it is a terminal. With
    ``track_validation`` (the default when ``log_dir`` is given, and always for the
    epoch schedule) every logged point also records the validation accuracy; with
    ``log_dir`` the points are written as TensorBoard summaries, with the graph.
    The model directory is locked and checked before training, and written only after
    it (``locked``: the caller holds the ``checkpoint.Lock`` already); ``save=False``
    trains without saving.
    """
    hp = recipe(name, hparams)
    if log_dir:
        files.check_writable_dir(log_dir, "TensorBoard logs", "--log-dir")
    if not save or locked:
        return _train(source, model_dir if save else None, name, hp, variant, seed, log,
                      log_dir, track_validation, progress, log_every, intra_op_threads)
    with checkpoint.Lock(model_dir):
        return _train(source, model_dir, name, hp, variant, seed, log, log_dir,
                      track_validation, progress, log_every, intra_op_threads)


def _train(source, model_dir, name, hp, variant, seed, log, log_dir, track_validation,
           progress, log_every, intra_op_threads):
    spec = networks.spec(name)
    data, schedule = prepare(name, source, hp, seed)
    train_size = data.train.num_examples if hasattr(data.train, "num_examples") \
        else len(data.train[0])
    if hp["batch_size"] > train_size:
        raise UserError("--batch-size {} is larger than the {} training images; choose at "
                        "most {}".format(hp["batch_size"], train_size, train_size))
    if log_every:
        schedule.log_every = log_every
    if track_validation is None:
        track_validation = log_dir is not None or isinstance(schedule, EpochSchedule)
    feed_keep_prob = keep_prob(name, hp)

    history = []
    with tf.Graph().as_default():
        g = networks.build(name, hp, variant=variant, seed=seed)
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
        with tf.Session(config=session.config(intra_op_threads)) as sess:
            sess.run(tf.global_variables_initializer())
            writer = _summary_writer(log_dir, sess.graph) if log_dir else None
            fetches = [g.train_step] + schedule.fetches(g)
            with bar(progress, total=schedule.total, unit=" steps",
                     desc=schedule.label(0)) as shown:
                for step, (x, y) in enumerate(schedule.batches()):
                    check_interrupted()
                    if step and step % 50 == 0:
                        shown.set_description(schedule.label(step), refresh=False)
                    fetched = sess.run(fetches, feed_dict={
                        g.X: x, g.Y: y, g.keep_prob: feed_keep_prob})
                    shown.update(1)
                    point = schedule.after_step(sess, g, step, x, y, fetched[1:])
                    if point is None:
                        continue
                    if track_validation:
                        point["validation_accuracy"] = _accuracy(sess, g, data.validation)
                    history.append(point)
                    if writer:
                        _write_summaries(writer, point, schedule.unit)
                    shown.clear()
                    log(schedule.format(point))
            if writer:
                writer.close()
            validation_accuracy = _accuracy(sess, g, data.validation)
            test_accuracy = _accuracy(sess, g, data.test)
            for line in schedule.final_lines(validation_accuracy, test_accuracy):
                log(line)
            log(compare_line(test_accuracy, spec.reported, spec.reported_text))
            if not all(math.isfinite(p["loss"]) for p in history):
                raise UserError("the loss became NaN or infinite (diverged); lower "
                                "--learning-rate (the model was not saved)")

            metrics = {
                "validation_accuracy": validation_accuracy,
                "test_accuracy": test_accuracy,
                "reported_test_accuracy": spec.reported,
                "validation": spec.validation,
                "history": history,
            }
            if model_dir is not None:
                checkpoint.save(sess, saver, model_dir, {
                    "model": name, "variant": variant if name == networks.MLP else None,
                    "hparams": hp, "seed": seed, "metrics": metrics})
    return metrics


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
