"""Every picture the package draws: the reproduction's histogram and learning curves,
and the confusion matrix. matplotlib without a display; files written whole.

Each drawing function returns ``figure_texts`` of what it drew (titles, axis labels,
legend entries): reports keep them beside the pictures, so a test can tell when the
code would now draw a picture differently from the committed one.
"""
import io
import math

import numpy as np

from tf1_mnist import files

COLOURS = {"faithful": "tab:blue", "intended": "tab:orange", "fix-activations": "tab:green",
           "fix-dropout": "tab:purple"}


def pyplot():
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def figure_texts(fig):
    """The words of a figure: suptitle, and per axes its title, labels and legend."""
    texts = {"suptitle": fig._suptitle.get_text() if fig._suptitle else "", "axes": []}
    for ax in fig.axes:
        legend = ax.get_legend()
        texts["axes"].append({
            "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "legend": [t.get_text() for t in legend.get_texts()] if legend else []})
    return texts


def save_figure(fig, path, dpi=100):
    """Save ``fig`` as a PNG durably, close it, and return its ``figure_texts``."""
    plt = pyplot()
    try:
        fig.tight_layout()
        texts = figure_texts(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    files.write_file(path, buffer.getvalue(), what="picture")
    return texts


def runs_text(n):
    return "1 run" if n == 1 else "{} runs".format(n)


def histogram(groups, stack, path):
    """Test accuracies over seeds, one colour per (schedule, variant) group, the
    tutorial's reported value marked."""
    plt = pyplot()
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(8, 4.5))
    reported = stack["reported"]
    values = [r["test_accuracy"] for rs in groups.values() for r in rs]
    values += [reported] if reported else []
    width = 0.001
    bins = np.arange(math.floor(min(values) / width) * width,
                     max(values) + 2 * width, width)
    handles = []  # explicit: matplotlib versions order lines and bars differently
    for (schedule, variant), rs in groups.items():
        colour = COLOURS.get(variant, "tab:blue")
        tutorial = schedule == "tutorial" or not COLOURS.get(variant)
        style = dict(color=colour, alpha=0.8 if tutorial else 0.45,
                     hatch=None if tutorial else "//")
        ax.hist([r["test_accuracy"] for r in rs], bins=bins, edgecolor="white", linewidth=0.8,
                **style)
        handles.append(Patch(label="{} ({}, {})".format(variant, schedule, runs_text(len(rs))),
                             **style))
    if reported:
        handles.append(ax.axvline(reported, color="red", linestyle="--", linewidth=2,
                                  label="tutorial's reported {}".format(
                                      stack["reported_text"])))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("test accuracy")
    ax.set_ylabel("runs")
    ax.set_title("{}: test accuracy over seeds (Python {}, TensorFlow {})".format(
        stack["model"], stack["python"], stack["tensorflow"]))
    ax.legend(handles=handles, fontsize=8)
    return save_figure(fig, path)


def curves(groups, stack, path):
    """Training loss and accuracy (and validation accuracy where the tutorial had a
    validation set), mean and min-max band over the seeds, for the tutorial's schedule."""
    plt = pyplot()
    first = next(iter(groups.values()))[0]["history"]
    step = "epoch" if first and "epoch" in first[0] else "iteration"
    shown = {key: rs for key, rs in groups.items()
             if step == "epoch" or key[0] == "tutorial"}
    panels = [("loss", "training loss (log scale)"), ("accuracy", "training accuracy")]
    if any(p.get("validation_accuracy") is not None
           for rs in shown.values() for r in rs for p in r["history"]):
        panels.append(("validation_accuracy", "validation accuracy"))
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.5))
    for (schedule, variant), rs in shown.items():
        colour = COLOURS.get(variant, "tab:blue")
        x = [p[step] for p in rs[0]["history"]]
        for ax, (key, _) in zip(axes, panels):
            series = np.array([[p.get(key) for p in r["history"]] for r in rs], dtype=float)
            ax.plot(x, series.mean(axis=0), color=colour, marker="o", markersize=3,
                    label="{} (mean of {})".format(variant, runs_text(len(rs))))
            ax.fill_between(x, series.min(axis=0), series.max(axis=0), color=colour,
                            alpha=0.15)
    from matplotlib.ticker import MaxNLocator

    axes[0].set_yscale("log")
    for ax, (key, title) in zip(axes, panels):
        ax.set_title(title)
        ax.set_xlabel(step)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if key != "loss" and stack["reported"]:
            low, high = ax.get_ylim()
            if low <= stack["reported"] <= high + 0.02:
                ax.axhline(stack["reported"], color="red", linestyle="--", linewidth=1,
                           label="tutorial's reported test accuracy")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.suptitle("{}: learning curves by {}; bands: min-max over seeds (Python {}, "
                 "TensorFlow {})".format(stack["model"], step, stack["python"],
                                         stack["tensorflow"]))
    return save_figure(fig, path)


def confusion(result, path, title="Confusion matrix"):
    """The confusion matrix with a count in each cell; colour shows the errors only,
    and each count is drawn in black or white, whichever its cell contrasts with."""
    plt = pyplot()
    matrix = np.array(result["confusion_matrix"])
    n = len(matrix)
    off_diagonal = matrix * (1 - np.eye(n, dtype=np.int64))
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(off_diagonal, cmap="Reds", vmin=0, vmax=max(1, off_diagonal.max()))
    for (row, col), count in np.ndenumerate(matrix):
        if row == col:
            colour = "tab:blue"
        else:
            shade = image.cmap(image.norm(off_diagonal[row, col]))[:3]
            colour = "white" if np.dot(shade, [0.299, 0.587, 0.114]) < 0.5 else "black"
        ax.text(col, row, str(count), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title("{} (test accuracy {:.4f}; colour: errors only)".format(
        title, result["test_accuracy"]))
    fig.colorbar(image, ax=ax, label="misclassified images")
    return save_figure(fig, path, dpi=110)


def predictions(names, originals, network_inputs, probabilities, path):
    """One row per image: the image as given, the 28x28 the network saw, and the ten
    probabilities as bars (the predicted digit highlighted)."""
    import os

    plt = pyplot()
    rows = len(names)
    fig, axes = plt.subplots(rows, 3, figsize=(10, 2.8 * rows), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 1, 2.2]})
    for row, (name, original, seen, p) in enumerate(zip(names, originals, network_inputs,
                                                        probabilities)):
        left, middle, right = axes[row]
        left.imshow(original, cmap="gray", vmin=0, vmax=1)
        left.set_title(os.path.basename(name)[:40], fontsize=9)
        middle.imshow(seen, cmap="gray", vmin=0, vmax=1)
        middle.set_title("what the network saw (28x28)", fontsize=9)
        for ax in (left, middle):
            ax.set_xticks([])
            ax.set_yticks([])
        digit = int(np.argmax(p))
        right.bar(range(10), p, color=["tab:orange" if d == digit else "tab:blue"
                                       for d in range(10)], edgecolor="white")
        right.set_xticks(range(10))
        right.set_ylim(0, 1)
        right.set_ylabel("probability")
        right.set_title("prediction: {} ({:.1%})".format(digit, p[digit]), fontsize=9)
    return save_figure(fig, path, dpi=90)
