"""Drop-in for ``tensorflow.examples.tutorials.mnist.input_data``, removed in TF 2.

A legacy tutorial script runs by changing only its import line::

    from tf1_mnist import input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)

Same signature and behaviour as TF 1.15's
``tensorflow/contrib/learn/python/learn/datasets/mnist.py``: the first
``validation_size`` training images become the validation set, images are flattened
to 784 and scaled to float32 in [0, 1] (or left uint8), labels optionally one-hot
(float64, as there), and ``DataSet.next_batch`` shuffles on its first call and
concatenates across each epoch boundary. Two deliberate differences: each DataSet
shuffles with its own ``numpy.random.RandomState`` instead of reseeding NumPy's
global generator, and the files are verified (see ``tf1_mnist.data``). No
TensorFlow is imported.
"""
import collections

import numpy as np

from tf1_mnist import data as mnist_data
from tf1_mnist.recipes import HOLD_OUT

DEFAULT_SOURCE_URL = mnist_data.MIRRORS[0]

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def _numpy_dtype(dtype):
    """Accept tf.float32 / tf.uint8 as well as NumPy dtypes and their names."""
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if dtype not in (np.dtype(np.uint8), np.dtype(np.float32)):
        raise TypeError("Invalid image dtype {!r}, expected uint8 or float32".format(dtype))
    return dtype


def dense_to_one_hot(labels_dense, num_classes=mnist_data.NUM_CLASSES):
    """Labels [N] -> one-hot [N, num_classes] float64, as TF 1.x returned them."""
    labels_one_hot = np.zeros((labels_dense.shape[0], num_classes))
    labels_one_hot[np.arange(labels_dense.shape[0]), labels_dense] = 1
    return labels_one_hot


class DataSet(object):
    """Images and labels with TF 1.x's ``next_batch`` semantics.

    ``images`` is uint8 [N, 28, 28, 1] (or [N, 28, 28]); with ``reshape`` it becomes
    [N, 784], and with ``dtype`` float32 it is scaled by 1/255. ``seed`` makes the
    shuffles reproducible without touching NumPy's global random state.

    ``global_numpy_seeding`` (``tf1-mnist run`` sets it): shuffle as TF 1.15's DataSet
    did, with NumPy's global generator reseeded from the graph-level seed, so a legacy
    script that calls tf.set_random_seed(s) draws the batches it drew on TF 1.15.
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False,
                 dtype=np.float32, reshape=True, seed=None, global_numpy_seeding=False):
        dtype = _numpy_dtype(dtype)
        if global_numpy_seeding:
            from tf1_mnist.compat import tf

            seed1, seed2 = tf.get_seed(seed)
            np.random.seed(seed1 if seed is None else seed2)
            self._rng = np.random
        else:
            self._rng = np.random.RandomState(seed)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            assert images.shape[0] == labels.shape[0], (
                "images.shape: {} labels.shape: {}".format(images.shape, labels.shape))
            self._num_examples = images.shape[0]
            if reshape:
                images = images.reshape(images.shape[0], -1)
            if dtype == np.float32:
                images = mnist_data.scale(images)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def _shuffle(self):
        perm = self._rng.permutation(self._num_examples)
        self._images = self._images[perm]
        self._labels = self._labels[perm]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next ``batch_size`` examples, wrapping into a reshuffled next epoch."""
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return ([fake_image for _ in range(batch_size)],
                    [fake_label for _ in range(batch_size)])
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest = self._num_examples - start
            images_rest = self._images[start:self._num_examples]
            labels_rest = self._labels[start:self._num_examples]
            if shuffle:
                self._shuffle()
            self._index_in_epoch = batch_size - rest
            end = self._index_in_epoch
            return (np.concatenate((images_rest, self._images[:end]), axis=0),
                    np.concatenate((labels_rest, self._labels[:end]), axis=0))
        self._index_in_epoch += batch_size
        end = self._index_in_epoch
        return self._images[start:end], self._labels[start:end]


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=np.float32,
                   reshape=True, validation_size=HOLD_OUT, seed=None,
                   source_url=None, checksums=mnist_data.SHA256, global_numpy_seeding=False):
    """MNIST as ``Datasets(train, validation, test)``, downloading missing files.

    ``source_url`` (default: ``DEFAULT_SOURCE_URL``, read when called) is tried first,
    then the other mirrors. ``checksums`` (an
    addition to TF's signature) is the table of decompressed SHA-256s to verify
    against; None skips that check, for IDX files that are not MNIST itself.
    ``global_numpy_seeding``: see ``DataSet``.
    """
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed,
                           global_numpy_seeding=global_numpy_seeding)
        return Datasets(train=fake(), validation=fake(), test=fake())

    mirrors = tuple(dict.fromkeys((source_url or DEFAULT_SOURCE_URL,) + mnist_data.MIRRORS))
    arrays = mnist_data.load_mnist(train_dir, checksums=checksums, mirrors=mirrors)
    return from_arrays(arrays, one_hot=one_hot, dtype=dtype, reshape=reshape,
                       validation_size=validation_size, seed=seed,
                       global_numpy_seeding=global_numpy_seeding)


def from_arrays(arrays, one_hot=False, dtype=np.float32, reshape=True, validation_size=HOLD_OUT,
                seed=None, global_numpy_seeding=False):
    """``Datasets`` from the uint8 arrays of ``tf1_mnist.data.load_mnist``, as
    ``read_data_sets`` splits them: for many seeded runs over one loaded copy."""
    train_images = arrays["train_images"][..., np.newaxis]
    test_images = arrays["test_images"][..., np.newaxis]
    train_labels, test_labels = arrays["train_labels"], arrays["test_labels"]
    if one_hot:
        train_labels = dense_to_one_hot(train_labels)
        test_labels = dense_to_one_hot(test_labels)

    if not 0 <= validation_size <= len(train_images):
        raise ValueError("Validation size should be between 0 and {}. Received: {}."
                         .format(len(train_images), validation_size))

    options = dict(dtype=dtype, reshape=reshape, seed=seed,
                   global_numpy_seeding=global_numpy_seeding)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size],
                         **options)
    test = DataSet(test_images, test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)
