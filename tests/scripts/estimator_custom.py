"""A custom tf.estimator.Estimator in the style of TensorFlow 1.x's "Creating
Estimators" guides: a model_fn of tf.layers with tf.metrics, fed by
tf.estimator.inputs.numpy_input_fn, trained, evaluated and used to predict from its
model_dir; NumPy as it was written in 2018 (np.float, np.int, np.reshape(newshape=))."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.app.flags.DEFINE_string("model_dir", "/tmp/mnist_estimator", "checkpoints")
tf.app.flags.DEFINE_integer("steps", 200, "training steps")
FLAGS = tf.app.flags.FLAGS


def model_fn(features, labels, mode, params):
    net = features["x"]
    for units in params["hidden"]:
        net = tf.layers.dense(net, units, activation=tf.nn.relu)
    net = tf.layers.dropout(net, rate=0.2, training=mode == tf.estimator.ModeKeys.TRAIN)
    logits = tf.layers.dense(net, 10)
    classes = tf.argmax(logits, axis=1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={
            "classes": classes, "probabilities": tf.nn.softmax(logits)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.EVAL:
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops={
            "accuracy": tf.metrics.accuracy(labels=labels, predictions=classes)})
    train_op = tf.train.AdamOptimizer(params["learning_rate"]).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main(argv):
    tf.logging.set_verbosity(tf.logging.INFO)
    mnist = input_data.read_data_sets("MNIST_data/")
    train_x = np.reshape(mnist.train.images, newshape=(-1, 784)).astype(np.float)
    train_y = mnist.train.labels.astype(np.int)
    estimator = tf.estimator.Estimator(
        model_fn, params={"hidden": [128, 64], "learning_rate": 1e-3},
        config=tf.estimator.RunConfig(model_dir=FLAGS.model_dir, tf_random_seed=1,
                                      save_checkpoints_steps=100))
    estimator.train(tf.estimator.inputs.numpy_input_fn(
        {"x": train_x.astype(np.float32)}, train_y, batch_size=100, num_epochs=None,
        shuffle=True), steps=FLAGS.steps)
    metrics = estimator.evaluate(tf.estimator.inputs.numpy_input_fn(
        {"x": mnist.test.images}, mnist.test.labels.astype(np.int32), shuffle=False))
    print("estimator accuracy %.4f at step %d" % (metrics["accuracy"], metrics["global_step"]))
    predictions = estimator.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": mnist.test.images[:5]}, shuffle=False))
    print("predicted", [int(p["classes"]) for p in predictions],
          "labels", mnist.test.labels[:5].tolist())
    print("argv", argv[1:])


if __name__ == "__main__":
    tf.app.run(main)
