"""``python -m tf1_mnist ...``: the same as the ``tf1-mnist`` command."""
import sys

from tf1_mnist.cli import main

sys.exit(main())
