"""Evaluating a saved model on the MNIST test set: accuracy, per digit, confusion matrix."""
import numpy as np

NUM_CLASSES = 10


def confusion_matrix(labels, predictions, num_classes=NUM_CLASSES):
    """Counts [true digit, predicted digit] as int64 [num_classes, num_classes]."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)
    return matrix


def evaluate(model, test_images, test_labels):
    """Evaluate ``model`` (``checkpoint.open_model``'s) on float images [N, 784] and dense
    labels [N].

    Returns a dict: ``test_accuracy``, ``per_digit_accuracy`` (10 floats) and
    ``confusion_matrix`` (10 lists of 10 counts, rows are the true digits).
    """
    from tf1_mnist.restore import Predictor

    with Predictor(model) as predictor:
        predictions = predictor.predictions(test_images)
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
