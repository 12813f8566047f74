"""Training the tutorial's network in a TF1 session, as the tutorial does.

``train`` runs ``n_iterations`` steps of ``batch_size`` images, prints the
tutorial's minibatch line every ``log_every`` iterations, then the validation and
test accuracy and how the latter compares with the tutorial's reported 0.9206, and
saves a self-describing model directory.

``train_epochs`` trains the other tutorials' networks (``tf1_mnist.networks``) the
way their Keras code did: shuffled epochs over the 60,000 training images, a line per
epoch with the running loss and accuracy, the validation accuracy and the seconds,
and a progress bar while an epoch runs on a terminal.
"""
import math
import time

import numpy as np

from tf1_mnist import checkpoint, model, networks
from tf1_mnist.compat import tf

REPORTED_TEST_ACCURACY = networks.SPECS[networks.MLP].reported  # its sample output
LOG_EVERY = 100


def session_config():
    """The session configuration shared by training, evaluation and prediction."""
    return tf.ConfigProto()


def compare_line(test_accuracy, reported=REPORTED_TEST_ACCURACY, reported_text=None):
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
    is about 2.3 epochs of the 55,000 training images)."""
    return int(math.ceil(epochs * num_examples / float(batch_size)))


def train(datasets, model_dir, hparams=None, variant="faithful", seed=None, log=print,
          log_every=LOG_EVERY, log_dir=None, track_validation=None):
    """Train on ``datasets`` (``input_data.read_data_sets(..., one_hot=True)``), save to
    ``model_dir`` and return the metrics as a dict.

    ``hparams`` overrides entries of ``model.DEFAULT_HPARAMS``. ``log`` receives
    each output line. Every ``log_every`` iterations the minibatch loss and accuracy
    are recorded, and with ``track_validation`` (the default when ``log_dir`` is given)
    the validation accuracy too, which costs a pass over the validation set each time;
    with ``log_dir`` they are also written as TensorBoard summaries, with the graph.
    The model directory is checked before training starts and written only after
    training finished.
    """
    if track_validation is None:
        track_validation = log_dir is not None
    hp = dict(model.DEFAULT_HPARAMS)
    unknown = set(hparams or {}) - set(hp)
    if unknown:
        raise ValueError("unknown hyper-parameters: {}".format(sorted(unknown)))
    hp.update(hparams or {})
    checkpoint.check_writable(model_dir)

    history = []
    with tf.Graph().as_default():
        g = model.build(hp, variant=variant, seed=seed)
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
        with tf.Session(config=session_config()) as sess:
            sess.run(tf.global_variables_initializer())
            writer = tf.summary.FileWriter(log_dir, sess.graph) if log_dir else None
            # train on mini batches
            for i in range(hp["n_iterations"]):
                batch_x, batch_y = datasets.train.next_batch(hp["batch_size"])
                sess.run(g.train_step, feed_dict={
                    g.X: batch_x, g.Y: batch_y, g.keep_prob: hp["dropout"]})
                # print loss and accuracy (per minibatch), keep_prob defaulting to 1.0
                if i % log_every == 0:
                    minibatch_loss, minibatch_accuracy = sess.run(
                        [g.cross_entropy, g.accuracy], feed_dict={g.X: batch_x, g.Y: batch_y})
                    log("Iteration {} \t| Loss = {} \t| Accuracy = {}".format(
                        i, _as_printed(minibatch_loss), _as_printed(minibatch_accuracy)))
                    point = {"iteration": i, "loss": float(minibatch_loss),
                             "accuracy": float(minibatch_accuracy)}
                    if track_validation:
                        point["validation_accuracy"] = float(
                            _accuracy(sess, g, datasets.validation))
                    history.append(point)
                    if writer:
                        _write_summaries(writer, point)

            if writer:
                writer.close()
            validation_accuracy = _accuracy(sess, g, datasets.validation)
            test_accuracy = _accuracy(sess, g, datasets.test)
            log("Validation accuracy: {}".format(_as_printed(validation_accuracy)))
            log("\nAccuracy on test set: {}".format(_as_printed(test_accuracy)))
            log(compare_line(test_accuracy))

            metrics = {
                "validation_accuracy": float(validation_accuracy),
                "test_accuracy": float(test_accuracy),
                "reported_test_accuracy": REPORTED_TEST_ACCURACY,
                "minibatch_history": history,
            }
            checkpoint.save(sess, saver, model_dir, {
                "model": networks.MLP, "variant": variant, "hparams": hp, "seed": seed,
                "metrics": metrics,
            })
    return metrics


def _write_summaries(writer, point):
    values = [tf.Summary.Value(tag=tag, simple_value=point[key]) for tag, key in (
        ("minibatch/loss", "loss"), ("minibatch/accuracy", "accuracy"),
        ("validation/accuracy", "validation_accuracy")) if key in point]
    writer.add_summary(tf.Summary(value=values), point["iteration"])


def _as_printed(value):
    """Six significant digits, as the tutorial's NumPy printed float32s (3.67079, 0.882812)."""
    return "{:.6g}".format(float(value))


def _accuracy(sess, g, dataset):
    if dataset.num_examples == 0:
        return float("nan")
    return sess.run(g.accuracy, feed_dict={g.X: dataset.images, g.Y: dataset.labels})


def probabilities_in_chunks(sess, g, images, chunk=1000):
    """Class probabilities [N, 10], a chunk at a time (a CNN's activations for 10,000
    images at once would take gigabytes)."""
    if len(images) == 0:
        return np.zeros((0, 10), np.float32)
    return np.concatenate([sess.run(g.probabilities, feed_dict={g.X: images[i:i + chunk]})
                           for i in range(0, len(images), chunk)])


def keras_style_split(arrays, validation):
    """Training and validation (images float32 [N, 784] in [0, 1], one-hot labels) as
    the Keras tutorials had them: all 60,000 training images, validating on the test
    set ("test"), on the last fraction of the training images (a float, Keras'
    ``validation_split``), or on nothing (None)."""
    def prepare(images, labels):
        return (images.reshape(len(images), -1).astype(np.float32) / np.float32(255),
                np.eye(10, dtype=np.float32)[labels])
    train = prepare(arrays["train_images"], arrays["train_labels"])
    test = prepare(arrays["test_images"], arrays["test_labels"])
    if validation == "test":
        return train, test, test
    if validation:
        cut = int(len(train[0]) * (1 - validation))
        return (train[0][:cut], train[1][:cut]), (train[0][cut:], train[1][cut:]), test
    return train, None, test


def train_epochs(arrays, model_dir, name, hparams=None, seed=None, log=print,
                 progress=None):
    """Train network ``name`` (not the MLP) with its tutorial's recipe on the uint8
    ``arrays`` of ``data.load_mnist``; save to ``model_dir``; return the metrics.

    ``hparams`` overrides the recipe (learning_rate, batch_size, epochs,
    dropout_rate). ``progress``, a stream, gets a progress bar while epochs run.
    """
    spec = networks.spec(name)
    hp = dict(spec.recipe)
    unknown = set(hparams or {}) - set(hp)
    if unknown:
        raise ValueError("unknown hyper-parameters for {}: {}".format(name, sorted(unknown)))
    hp.update(hparams or {})
    checkpoint.check_writable(model_dir)
    (x, y), validation, test = keras_style_split(arrays, spec.validation)
    rng = np.random.RandomState(seed)
    batch_size = hp["batch_size"]
    steps = int(math.ceil(len(x) / float(batch_size)))
    history = []
    with tf.Graph().as_default():
        g = networks.build(name, hp, seed=seed)
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
        with tf.Session(config=session_config()) as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(1, hp["epochs"] + 1):
                start, order = time.time(), rng.permutation(len(x))
                seen = loss_sum = correct_sum = 0.0
                bar = _ProgressBar(progress, steps, "Epoch {}/{}".format(epoch, hp["epochs"]))
                for step in range(steps):
                    idx = order[step * batch_size:(step + 1) * batch_size]
                    _, loss, accuracy = sess.run(
                        [g.train_step, g.cross_entropy, g.accuracy],
                        feed_dict={g.X: x[idx], g.Y: y[idx],
                                   g.keep_prob: 1.0 - hp["dropout_rate"]})
                    seen += len(idx)
                    loss_sum += float(loss) * len(idx)
                    correct_sum += float(accuracy) * len(idx)
                    bar.update(step + 1, loss_sum / seen, correct_sum / seen)
                bar.close()
                point = {"epoch": epoch, "loss": loss_sum / seen, "accuracy": correct_sum / seen,
                         "validation_accuracy": _labelled_accuracy(sess, g, validation),
                         "seconds": time.time() - start}
                history.append(point)
                log("Epoch {}/{} \t| Loss = {:.4f} \t| Accuracy = {:.4f} \t| Validation "
                    "accuracy = {} \t| {:.1f} s".format(
                        epoch, hp["epochs"], point["loss"], point["accuracy"],
                        "-" if validation is None else "{:.4f}".format(
                            point["validation_accuracy"]), point["seconds"]))
            test_accuracy = _labelled_accuracy(sess, g, test)
            log("\nAccuracy on test set: {}".format(_as_printed(test_accuracy)))
            log(compare_line(test_accuracy, spec.reported, spec.reported_text))
            metrics = {"test_accuracy": test_accuracy, "reported_test_accuracy": spec.reported,
                       "validation": spec.validation, "epoch_history": history}
            checkpoint.save(sess, saver, model_dir, {
                "model": name, "variant": None, "hparams": hp, "seed": seed,
                "metrics": metrics})
    return metrics


def _labelled_accuracy(sess, g, pair):
    if pair is None:
        return None
    images, labels = pair
    predictions = probabilities_in_chunks(sess, g, images).argmax(axis=1)
    return float(np.mean(predictions == labels.argmax(axis=1)))


class _ProgressBar(object):
    """``Epoch 1/5  1200/1875 [==========>        ] loss 0.2301 accuracy 0.9312`` on a
    terminal, redrawn at most 5 times a second; silent when not on a terminal."""

    def __init__(self, stream, total, label, width=30):
        self.stream = stream if stream is not None and stream.isatty() else None
        self.total, self.label, self.width = total, label, width
        self.last = 0.0

    def update(self, done, loss, accuracy):
        now = time.time()
        if self.stream is None or (now - self.last < 0.2 and done < self.total):
            return
        self.last = now
        filled = int(self.width * done / self.total)
        arrow = ">" if filled < self.width else ""
        self.stream.write("\r{} {:>{n}}/{} [{}{}{}] loss {:.4f} accuracy {:.4f}".format(
            self.label, done, self.total, "=" * filled, arrow,
            " " * (self.width - filled - len(arrow)), loss, accuracy, n=len(str(self.total))))
        self.stream.flush()

    def close(self):
        if self.stream is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
