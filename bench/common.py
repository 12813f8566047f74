"""What every benchmark shares: the project on the import path, its command line's
first flags, the line naming the stack it ran on, and errors as one line."""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tf1_mnist import data  # noqa: E402
from tf1_mnist.errors import UserError  # noqa: E402


def parser(doc, data_help="MNIST directory ($TF1_MNIST_DATA_DIR, else MNIST_data/)"):
    """An argument parser described by ``doc``'s first paragraph, showing defaults, with
    ``--data-dir``."""
    result = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    result.add_argument("--data-dir", default=data.resolve_data_dir(), help=data_help)
    return result


def stack():
    """``Python 3.6.15, TensorFlow 1.15.5, 2 CPUs``: where the figures come from."""
    from tf1_mnist.compat import TF_VERSION

    return "Python {}, TensorFlow {}, {} CPUs".format(sys.version.split()[0], TF_VERSION,
                                                      os.cpu_count())


def check_out(path):
    """Refuse an ``--out`` that cannot be written before the measurements, not after."""
    from tf1_mnist import files

    if path:
        files.check_writable_dir(os.path.dirname(os.path.abspath(path)), "table", "--out")


def write_out(path, lines):
    """Write the table's ``lines`` to ``path`` (when given), durably."""
    from tf1_mnist import files

    if path:
        files.write_file(path, "\n".join(lines) + "\n", what="table")


def run(main):
    """Run ``main()``; no MNIST, a damaged file or a bad flag end in one line."""
    try:
        main()
    except UserError as exc:
        sys.exit("error: {}".format(exc))
