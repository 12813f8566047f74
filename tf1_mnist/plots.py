"""matplotlib without a display, and pictures written whole or not at all."""
import os

from tf1_mnist.errors import UserError


def pyplot():
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path, dpi=100):
    """Save ``fig`` as PNG via a temporary file and a rename, then close it."""
    plt = pyplot()
    fig.tight_layout()
    tmp = path + ".part.png"
    try:
        fig.savefig(tmp, dpi=dpi)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError("{}: cannot write the picture ({}); choose another path"
                        .format(path, exc.strerror or exc))
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.remove(tmp)
