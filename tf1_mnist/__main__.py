"""``python -m tf1_mnist ...``: the same as the ``tf1-mnist`` command."""
import sys

try:
    from tf1_mnist.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python was still importing
    print("error: interrupted; nothing was saved, the previous model (if any) is unchanged",
          file=sys.stderr)
    sys.exit(130)

sys.exit(main())
