"""Evaluating a saved model on the MNIST test set: accuracy, per digit, confusion matrix."""
import numpy as np

NUM_CLASSES = 10


def confusion_matrix(labels, predictions, num_classes=NUM_CLASSES):
    """Counts [true digit, predicted digit] as int64 [num_classes, num_classes]."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)
    return matrix


def evaluate(model_dir, test_images, test_labels):
    """Evaluate the model in ``model_dir`` on float images [N, 784] and dense labels [N].

    Returns a dict: ``test_accuracy``, ``per_digit_accuracy`` (10 floats) and
    ``confusion_matrix`` (10 lists of 10 counts, rows are the true digits).
    """
    from tf1_mnist.predict import Predictor

    with Predictor(model_dir) as predictor:
        predictions = np.argmax(predictor.probabilities(test_images), axis=1)
    matrix = confusion_matrix(test_labels, predictions)
    per_digit = np.diag(matrix) / np.maximum(matrix.sum(axis=1), 1)
    return {
        "test_accuracy": float(np.trace(matrix)) / max(1, matrix.sum()),
        "per_digit_accuracy": [float(x) for x in per_digit],
        "confusion_matrix": matrix.tolist(),
    }


def format_report(result):
    """The evaluation as text: accuracy, a per-digit line, the confusion matrix."""
    matrix = np.array(result["confusion_matrix"])
    lines = ["Accuracy on test set: {:.4f} ({} of {})".format(
        result["test_accuracy"], int(np.trace(matrix)), int(matrix.sum())),
        "", "Per-digit accuracy:"]
    lines.append("  " + "  ".join("{}: {:.3f}".format(d, a)
                                  for d, a in enumerate(result["per_digit_accuracy"])))
    lines += ["", "Confusion matrix (rows: true digit, columns: predicted):",
              "      " + "".join("{:>6}".format(d) for d in range(NUM_CLASSES))]
    for digit, row in enumerate(matrix):
        lines.append("{:>6}".format(digit) + "".join("{:>6}".format(n) for n in row))
    return "\n".join(lines)


def save_confusion_picture(result, path, title="Confusion matrix"):
    """Draw the confusion matrix as a PNG (counts in each cell, diagonal dimmed)."""
    from tf1_mnist.plots import pyplot, save_figure

    plt = pyplot()
    matrix = np.array(result["confusion_matrix"])
    off_diagonal = matrix * (1 - np.eye(NUM_CLASSES, dtype=np.int64))
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(off_diagonal, cmap="Reds")
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(col, row, str(count), ha="center", va="center", fontsize=8,
                color="black" if row != col else "tab:blue")
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_yticks(range(NUM_CLASSES))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title("{} (test accuracy {:.4f}; colour: errors only)".format(
        title, result["test_accuracy"]))
    fig.colorbar(image, ax=ax, label="misclassified images")
    save_figure(fig, path, dpi=110)
