"""The read_data_sets drop-in against TF 1.15's documented behaviour, in plain NumPy."""
import numpy as np
import pytest

from conftest import checksums_of, write_mnist_like
from tf1_mnist import data, input_data


@pytest.fixture
def small(tmp_path):
    arrays = write_mnist_like(tmp_path, n_train=60, n_test=20)
    return str(tmp_path), arrays, checksums_of(arrays)


def test_split_scaling_and_one_hot_match_a_numpy_reference(small):
    directory, arrays, sums = small
    mnist = input_data.read_data_sets(directory, one_hot=True, validation_size=10,
                                      checksums=sums)
    train_images = arrays[data.TRAIN_IMAGES].reshape(60, 784).astype(np.float32) / 255.0
    eye = np.eye(10)
    np.testing.assert_allclose(mnist.validation.images, train_images[:10], rtol=1e-6)
    np.testing.assert_allclose(mnist.train.images, train_images[10:], rtol=1e-6)
    np.testing.assert_array_equal(mnist.train.labels, eye[arrays[data.TRAIN_LABELS][10:]])
    np.testing.assert_array_equal(mnist.test.labels, eye[arrays[data.TEST_LABELS]])
    assert mnist.train.images.dtype == np.float32
    assert mnist.train.labels.dtype == np.float64  # as TF 1.x's dense_to_one_hot
    assert (mnist.train.num_examples, mnist.validation.num_examples,
            mnist.test.num_examples) == (50, 10, 20)
    assert mnist.train.images.min() >= 0.0 and mnist.train.images.max() <= 1.0


def test_uint8_unreshaped_and_dense_labels(small):
    directory, arrays, sums = small
    mnist = input_data.read_data_sets(directory, dtype="uint8", reshape=False,
                                      validation_size=0, checksums=sums)
    assert mnist.train.images.shape == (60, 28, 28, 1)
    assert mnist.train.images.dtype == np.uint8
    np.testing.assert_array_equal(mnist.train.labels, arrays[data.TRAIN_LABELS])
    assert mnist.validation.num_examples == 0


def test_tensorflow_dtypes_are_accepted():
    class FakeTfDtype(object):  # what tf.float32 looks like to read_data_sets
        as_numpy_dtype = np.float32
    dataset = input_data.DataSet(np.zeros((2, 28, 28, 1), np.uint8), np.zeros(2),
                                 dtype=FakeTfDtype())
    assert dataset.images.dtype == np.float32
    with pytest.raises(TypeError, match="expected uint8 or float32"):
        input_data.DataSet(np.zeros((2, 28, 28, 1), np.uint8), np.zeros(2), dtype=np.int32)


def test_validation_size_out_of_range(small):
    directory, _, sums = small
    with pytest.raises(ValueError, match="between 0 and 60"):
        input_data.read_data_sets(directory, validation_size=61, checksums=sums)


def _dataset(n=10):
    images = np.arange(n, dtype=np.uint8).reshape(n, 1, 1, 1) * np.ones((1, 28, 28, 1), np.uint8)
    return input_data.DataSet(images, np.arange(n), dtype=np.uint8, seed=1)


def test_next_batch_shuffles_once_and_wraps_across_the_epoch_boundary():
    dataset = _dataset(10)
    first, first_labels = dataset.next_batch(4)
    np.testing.assert_array_equal(first[:, 0], first_labels)  # pairs stay together
    second = dataset.next_batch(4)[1]
    assert dataset.epochs_completed == 0
    wrapped = dataset.next_batch(4)[1]  # 2 left in epoch 0, then 2 from epoch 1
    assert dataset.epochs_completed == 1
    epoch0 = np.concatenate([first_labels, second, wrapped[:2]])
    assert sorted(epoch0.tolist()) == list(range(10))  # every example once per epoch
    epoch1_start = wrapped[2:]
    rest = dataset.next_batch(8)[1]
    assert sorted(np.concatenate([epoch1_start, rest]).tolist()) == list(range(10))


def test_next_batch_without_shuffle_is_sequential():
    dataset = _dataset(5)
    assert dataset.next_batch(3, shuffle=False)[1].tolist() == [0, 1, 2]
    assert dataset.next_batch(3, shuffle=False)[1].tolist() == [3, 4, 0]


def test_seeded_order_is_reproducible_and_leaves_numpy_global_state_alone():
    np.random.seed(123)
    expected_global = np.random.rand()
    np.random.seed(123)
    first, second = (_dataset(10).next_batch(10)[1].tolist() for _ in range(2))
    assert first == second
    assert first != list(range(10))  # it did shuffle
    assert np.random.rand() == expected_global  # TF 1.x reseeded the global generator


def test_fake_data():
    mnist = input_data.read_data_sets("unused", fake_data=True, one_hot=True)
    images, labels = mnist.train.next_batch(3, fake_data=True)
    assert np.array(images).shape == (3, 784)
    assert labels == [[1] + [0] * 9] * 3


def test_a_legacy_script_runs_by_changing_its_import_line(mnist_dir):
    """The tutorial's data lines, verbatim but for the import."""
    from tf1_mnist import input_data  # was: from tensorflow.examples.tutorials.mnist import
    mnist = input_data.read_data_sets(mnist_dir, one_hot=True)  # y labels are oh-encoded
    n_train = mnist.train.num_examples  # 55,000
    n_validation = mnist.validation.num_examples  # 5000
    n_test = mnist.test.num_examples  # 10,000
    assert (n_train, n_validation, n_test) == (55000, 5000, 10000)
    batch_x, batch_y = mnist.train.next_batch(128)
    assert batch_x.shape == (128, 784) and batch_y.shape == (128, 10)
    assert mnist.test.images.shape == (10000, 784)
