"""tf.estimator's contract, on ten rows in batches of four: what train's steps and
max_steps do, that evaluate sees every row (the last batch short) or only `steps`
batches, what predict yields, and the errors for a malformed input_fn or spec.
Every number it prints is fixed by that contract, so TF 1.15's own tf.estimator and
`run`'s on TensorFlow 2 must print the same."""
import tempfile

import numpy as np
import tensorflow as tf

ROWS = np.arange(20, dtype=np.float32).reshape(10, 2) / 20
LABELS = (np.arange(10) % 2).astype(np.int32)


def model_fn(features, labels, mode):
    w = tf.get_variable("w", [2, 2], initializer=tf.zeros_initializer())
    logits = tf.matmul(features["x"], w)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={
            "class": tf.argmax(logits, 1), "first": features["x"][:, 0]})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    if mode == tf.estimator.ModeKeys.EVAL:
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops={
            "mean_first": tf.metrics.mean(features["x"][:, 0])})
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def inputs(batch_size=4, epochs=1, labels=True):
    return tf.estimator.inputs.numpy_input_fn(
        {"x": ROWS}, LABELS if labels else None, batch_size=batch_size, num_epochs=epochs,
        shuffle=False)


def main():
    estimator = tf.estimator.Estimator(model_fn, model_dir=tempfile.mkdtemp())
    estimator.train(inputs(epochs=None), steps=3)
    print("after steps=3:", estimator.get_variable_value("global_step"))
    estimator.train(inputs(epochs=None), max_steps=3)
    print("after max_steps=3:", estimator.get_variable_value("global_step"))
    estimator.train(inputs(epochs=None), max_steps=5)
    print("after max_steps=5:", estimator.get_variable_value("global_step"))
    estimator.train(inputs(epochs=1))
    print("after one epoch of 3 batches:", estimator.get_variable_value("global_step"))
    every_row = inputs()
    for _ in range(2):
        metrics = estimator.evaluate(every_row)
        print("evaluate: mean_first %.4f global_step %d" % (metrics["mean_first"],
                                                             metrics["global_step"]))
    metrics = estimator.evaluate(inputs(), steps=1)
    print("evaluate steps=1: mean_first %.4f" % metrics["mean_first"])
    print("keys", sorted(metrics))
    rows = list(estimator.predict(inputs(labels=False)))
    print("predict:", len(rows), sorted(rows[0]), ["%.2f" % r["first"] for r in rows[:3]])
    batches = list(estimator.predict(inputs(labels=False), yield_single_examples=False))
    print("predict batches:", [len(b["first"]) for b in batches])
    print("w", estimator.get_variable_value("w").shape,
          "global_step" in estimator.get_variable_names())
    for bad in (lambda: tf.estimator.inputs.numpy_input_fn({"x": ROWS}, LABELS),
                lambda: tf.estimator.inputs.numpy_input_fn({"x": ROWS}, LABELS[:3],
                                                           shuffle=False),
                lambda: tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=1.0),
                lambda: estimator.train(inputs(), steps=1, max_steps=1)):
        try:
            bad()
            print("no error")
        except ValueError as exc:
            print("ValueError", str(exc).split()[0])


if __name__ == "__main__":
    main()
