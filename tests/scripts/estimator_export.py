"""An Estimator MNIST script in the style of TensorFlow's official models (2018): a
model_fn whose PREDICT branch names its export outputs (tf.estimator.export.PredictOutput),
tf.data input, training, evaluation, and export_savedmodel with a raw serving input
receiver; the SavedModel is then loaded back and its predictions compared with the
Estimator's."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data


def model_fn(features, labels, mode, params):
    image = features
    if isinstance(image, dict):
        image = features["image"]
    net = tf.layers.dense(tf.reshape(image, [-1, 784]), 64, activation=tf.nn.relu)
    logits = tf.layers.dense(net, 10)
    if mode == tf.estimator.ModeKeys.PREDICT:
        predictions = {"classes": tf.argmax(logits, axis=1),
                       "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
        return tf.estimator.EstimatorSpec(
            mode=mode, predictions=predictions,
            export_outputs={"classify": tf.estimator.export.PredictOutput(predictions)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.AdamOptimizer(params["learning_rate"])
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=optimizer.minimize(
            loss, tf.train.get_or_create_global_step()))
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops={
        "accuracy": tf.metrics.accuracy(labels=labels, predictions=tf.argmax(logits, 1))})


def main(steps, model_dir, export_dir):
    tf.logging.set_verbosity(tf.logging.ERROR)
    mnist = input_data.read_data_sets("MNIST_data")
    train, test = mnist.train, mnist.test

    def train_input_fn():
        data = tf.data.Dataset.from_tensor_slices(
            (train.images, train.labels.astype(np.int32)))
        return data.shuffle(10000, seed=0).repeat().batch(100)

    def eval_input_fn():
        return tf.data.Dataset.from_tensor_slices(
            (test.images, test.labels.astype(np.int32))).batch(1000)

    classifier = tf.estimator.Estimator(model_fn=model_fn, model_dir=model_dir,
                                        params={"learning_rate": 1e-3})
    classifier.train(input_fn=train_input_fn, steps=steps)
    print("evaluation accuracy %.4f" % classifier.evaluate(input_fn=eval_input_fn)["accuracy"])

    image = tf.placeholder(tf.float32, [None, 28, 28])
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn({"image": image})
    exported = classifier.export_savedmodel(export_dir, receiver_fn, strip_default_attrs=True)
    print("exported a", type(exported).__name__, "path")

    predicted = [p["classes"] for p in classifier.predict(
        input_fn=lambda: tf.data.Dataset.from_tensor_slices(test.images[:200]).batch(200))]
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                          exported.decode())
        print("signatures:", sorted(meta.signature_def))
        signature = meta.signature_def["serving_default"]
        served = sess.run(signature.outputs["classes"].name,
                          {signature.inputs["image"].name: test.images[:200].reshape(-1, 28, 28)})
    print("the SavedModel agrees with predict on %d of 200 test digits"
          % int(np.sum(np.array(predicted) == served)))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
