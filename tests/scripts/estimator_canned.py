"""The canned estimators on MNIST, as TF 1.x's getting-started guides wrote them: a
LinearClassifier and a DNNClassifier on one numeric_column of 784 pixels, MNIST from
tf.contrib.learn.datasets.DATASETS, trained with train_and_evaluate / train."""
import sys

import numpy as np
import tensorflow as tf

STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 300


def inputs(data, epochs, shuffle):
    return tf.estimator.inputs.numpy_input_fn(
        x={"pixels": data.images}, y=data.labels.astype(np.int32), batch_size=100,
        num_epochs=epochs, shuffle=shuffle)


def main(model_dir):
    mnist = tf.contrib.learn.datasets.DATASETS["mnist"]("MNIST-data")
    columns = [tf.feature_column.numeric_column("pixels", shape=[784])]
    linear = tf.estimator.LinearClassifier(columns, n_classes=10,
                                           model_dir=model_dir + "/linear")
    metrics, _ = tf.estimator.train_and_evaluate(
        linear, tf.estimator.TrainSpec(inputs(mnist.train, None, True), max_steps=STEPS),
        tf.estimator.EvalSpec(inputs(mnist.test, 1, False), steps=None))
    print("linear accuracy %.4f" % metrics["accuracy"])
    dnn = tf.estimator.DNNClassifier(hidden_units=[128, 64], feature_columns=columns,
                                     n_classes=10, optimizer="Adam", dropout=0.1,
                                     model_dir=model_dir + "/dnn")
    dnn.train(inputs(mnist.train, None, True), steps=STEPS)
    metrics = dnn.evaluate(inputs(mnist.test, 1, False))
    print("dnn accuracy %.4f average_loss %.4f" % (metrics["accuracy"],
                                                   metrics["average_loss"]))
    first = next(dnn.predict(inputs(mnist.test, 1, False)))
    print("prediction keys", sorted(first), "class", first["class_ids"][0],
          "label", mnist.test.labels[0])


if __name__ == "__main__":
    main(sys.argv[1])
