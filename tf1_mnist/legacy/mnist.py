"""MNIST as TF1 programs read it, under ``run``, on both stacks: one room.

* ``tensorflow.examples.tutorials.mnist.input_data`` is the verified drop-in, which
  seeds and shuffles with NumPy's global generator as TF 1.15's did. A directory the
  program names without the MNIST files is filled from ``--data-dir`` /
  $TF1_MNIST_DATA_DIR, else by a verified download; one line on stderr says where the
  data came from. Any other module of that package (TensorFlow's own ``mnist.py``)
  comes from the program's folder.
* ``tf.contrib.learn.datasets`` (``mnist``, ``load_dataset``, ``DATASETS``) reads
  through it: the table's rows on TensorFlow 2, a patch of TF 1.15's own module there.
"""
import sys
import types

EXAMPLES = "tensorflow.examples.tutorials.mnist"
INPUT_DATA = EXAMPLES + ".input_data"
MNIST_DEFAULT_DIR = "MNIST-data"  # TF 1.15's load_mnist default


def install(program_dir, data_dir=None):
    """Put the tutorial package (its ``input_data`` the drop-in, its other modules from
    ``program_dir``) under ``sys.modules["tensorflow"]``; return the ``input_data``."""
    from tf1_mnist import input_data
    from tf1_mnist.legacy.engine import package

    parent = sys.modules["tensorflow"]
    for name, path in (("tensorflow.examples", None), ("tensorflow.examples.tutorials", None),
                       (EXAMPLES, [program_dir])):
        module = package(name, path)
        sys.modules[name] = module
        setattr(parent, name.rsplit(".", 1)[1], module)
        parent = module
    shim = types.ModuleType(INPUT_DATA)
    shim.__dict__.update({k: getattr(input_data, k) for k in dir(input_data)
                          if not k.startswith("__")})
    shim.read_data_sets, shim.DataSet = read_data_sets_for(data_dir), tf1_data_set()
    shim.__doc__ = input_data.__doc__
    sys.modules[shim.__name__] = shim
    parent.input_data = shim
    return shim


def tf1_data_set():
    from tf1_mnist import input_data

    class DataSet(input_data.DataSet):
        """TF 1.15's batches, for seeded scripts: NumPy's global generator."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("global_numpy_seeding", True)
            super(DataSet, self).__init__(*args, **kwargs)

    return DataSet


def read_data_sets_for(fallback_dir):
    from tf1_mnist import data, input_data

    def read_data_sets(train_dir, *args, **kwargs):
        """TF 1.15's ``read_data_sets``: the files the script names, else the data
        directory tf1-mnist was given, else a verified download there."""
        kwargs.setdefault("global_numpy_seeding", True)  # TF 1.15's batches
        where = "{} (verified)".format(train_dir)
        if data.missing_files(train_dir):
            if fallback_dir and not data.missing_files(fallback_dir):
                where = "{} (verified; {} lacks the files)".format(fallback_dir, train_dir)
                train_dir = fallback_dir
            else:
                where = "{} (downloaded and verified)".format(train_dir)
        if kwargs.get("fake_data"):
            return input_data.read_data_sets(train_dir, *args, **kwargs)
        datasets = input_data.read_data_sets(train_dir, *args, **kwargs)
        sys.stderr.write("tf1-mnist run: MNIST from {}\n".format(where))
        for name in data.FILES:  # TF 1.15's own lines, on stdout as there
            print("Extracting", data.find_file(train_dir, name))
        return datasets
    read_data_sets.__doc__ = input_data.read_data_sets.__doc__
    return read_data_sets


def mnist_module(name="tensorflow.contrib.learn.datasets.mnist"):
    """``tf.contrib.learn.datasets.mnist``: the drop-in's reader under TF 1.15's names."""
    from tf1_mnist import input_data

    shim = sys.modules[INPUT_DATA]
    module = types.ModuleType(name)

    def load_mnist(train_dir=MNIST_DEFAULT_DIR):
        """TF 1.15's ``load_mnist``: ``read_data_sets(train_dir)``, labels as integers."""
        return module.read_data_sets(train_dir)

    module.__dict__.update(read_data_sets=shim.read_data_sets, load_mnist=load_mnist,
                           DataSet=shim.DataSet, dense_to_one_hot=input_data.dense_to_one_hot,
                           DEFAULT_SOURCE_URL=input_data.DEFAULT_SOURCE_URL)
    return module


def datasets_module():
    """``tf.contrib.learn.datasets``: ``load_dataset`` and ``DATASETS``, for MNIST."""
    module = types.ModuleType("tensorflow.contrib.learn.datasets")
    module.__path__ = []
    # Made here, not imported: importing it would import this package, being made.
    mnist = sys.modules.setdefault(module.__name__ + ".mnist", mnist_module())
    module.mnist = mnist
    module.DATASETS = {"mnist": mnist.load_mnist}

    def load_dataset(name, size="small", test_with_fake_data=False):
        """TF 1.15's ``load_dataset``; of its datasets, only MNIST is carried."""
        if name not in module.DATASETS:
            raise ValueError("Name of dataset is not found: %s" % name)
        return module.DATASETS[name]()

    module.load_dataset = load_dataset
    return module


def patch_learn(shim, uses):
    """On TF 1.15, once ``uses`` names ``tf.contrib.learn``: keep its own MNIST
    functions but read through ``shim`` (the drop-in ``install`` returned), which
    verifies and falls back to the given data directory. Done once per ``shim``."""
    if getattr(shim, "learn_patched", False) or \
            not any(name.startswith("tf.contrib.learn") for _, name in uses):
        return
    from tensorflow.contrib.learn.python.learn import datasets

    ours = mnist_module(datasets.mnist.__name__)
    datasets.mnist.read_data_sets = shim.read_data_sets
    datasets.mnist.load_mnist = ours.load_mnist
    datasets.mnist.DataSet = shim.DataSet
    datasets.DATASETS["mnist"] = ours.load_mnist
    shim.learn_patched = True
