"""What training, evaluation and prediction share once a graph exists: the session's
configuration and inference over many images a chunk at a time."""
import numpy as np

from tf1_mnist.compat import tf

CHUNK = 1000  # a CNN's activations for 10,000 images at once would take gigabytes


def config(intra_op_threads=0):
    """The session configuration (0 threads: as many as cores).

    TensorFlow (1.15 and 2.x alike) keeps the intra-op pool the first session of a
    process made; a later session asking for another count runs on that pool, and its
    numbers can differ in the last bits (measured: a one-thread MLP run after a
    default-threads one matches two threads, not one). So a process keeps one count:
    ``reproduce`` runs every training on ``THREADS_PER_TRAINING``, and bench/sweep.py
    times each way in a fresh process."""
    return tf.ConfigProto(intra_op_parallelism_threads=intra_op_threads)


def run_in_chunks(sess, tensor, X, images, chunk=CHUNK):
    """``tensor`` evaluated for ``images`` [N, 784], ``chunk`` rows at a time, with
    ``keep_prob`` at its default 1.0 (so no dropout op runs)."""
    images = np.asarray(images)
    if len(images) == 0:
        shape = [0] + tensor.shape.as_list()[1:]
        return np.zeros(shape, tensor.dtype.as_numpy_dtype)
    return np.concatenate([sess.run(tensor, feed_dict={X: images[i:i + chunk]})
                           for i in range(0, len(images), chunk)])


def accuracy(sess, g, images, labels):
    """The fraction of ``images`` whose predicted digit is the label (one-hot or
    dense); None when there are no images."""
    if images is None or len(images) == 0:
        return None
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    return float(np.mean(run_in_chunks(sess, g.prediction, g.X, images) == labels))
