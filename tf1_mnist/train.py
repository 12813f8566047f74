"""Training the tutorial's network in a TF1 session, as the tutorial does.

``train`` runs ``n_iterations`` steps of ``batch_size`` images, prints the
tutorial's minibatch line every ``log_every`` iterations, then the validation and
test accuracy and how the latter compares with the tutorial's reported 0.9206, and
saves a self-describing model directory.
"""
import math

from tf1_mnist import checkpoint, model
from tf1_mnist.compat import tf

MODEL_NAME = "do-mlp"
REPORTED_TEST_ACCURACY = 0.9206  # the tutorial's sample output
LOG_EVERY = 100


def session_config():
    """The session configuration shared by training, evaluation and prediction."""
    return tf.ConfigProto()


def compare_line(test_accuracy, reported=REPORTED_TEST_ACCURACY):
    """One line putting a measured test accuracy next to the tutorial's."""
    diff = float(test_accuracy) - reported
    return ("Tutorial reported {:.4f}; this run {:.4f} ({:+.4f}, {:+.2f} percentage points)"
            .format(reported, float(test_accuracy), diff, 100 * diff))


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
                "model": MODEL_NAME, "variant": variant, "hparams": hp, "seed": seed,
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
