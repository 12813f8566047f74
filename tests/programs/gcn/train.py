"""python -m gcn.train --data_dir D --dataset NAME --model gcn|gcn_cheby --epochs N"""
import time

import numpy as np
import tensorflow as tf

from .layers import GraphConvolution
from .utils import chebyshev_polynomials, load_data, preprocess_adj, preprocess_features

flags = tf.app.flags
FLAGS = flags.FLAGS
flags.DEFINE_string("data_dir", "data", "holds NAME.content and NAME.cites")
flags.DEFINE_string("dataset", "graph", "NAME")
flags.DEFINE_string("model", "gcn", "gcn or gcn_cheby")
flags.DEFINE_integer("max_degree", 2, "Chebyshev polynomials' degree (gcn_cheby)")
flags.DEFINE_float("learning_rate", 0.05, "Adam's learning rate")
flags.DEFINE_integer("epochs", 20, "epochs")
flags.DEFINE_integer("hidden1", 8, "hidden units")
flags.DEFINE_float("dropout", 0.0, "dropout rate (1 - keep probability)")
flags.DEFINE_float("weight_decay", 5e-4, "L2 on the first layer's weights")


def masked_softmax_cross_entropy(preds, labels, mask):
    loss = tf.nn.softmax_cross_entropy_with_logits(logits=preds, labels=labels)
    mask = tf.cast(mask, dtype=tf.float32)
    return tf.reduce_mean(loss * mask / tf.reduce_mean(mask))


def masked_accuracy(preds, labels, mask):
    correct = tf.cast(tf.equal(tf.argmax(preds, 1), tf.argmax(labels, 1)), tf.float32)
    mask = tf.cast(mask, dtype=tf.float32)
    return tf.reduce_mean(correct * mask / tf.reduce_mean(mask))


def main(_):
    np.random.seed(123)
    tf.set_random_seed(123)
    adj, features, labels, (train_mask, val_mask, test_mask) = load_data(
        FLAGS.data_dir, FLAGS.dataset)
    features = preprocess_features(features)
    if FLAGS.model == "gcn":
        support = [preprocess_adj(adj)]
    elif FLAGS.model == "gcn_cheby":
        support, largest = chebyshev_polynomials(adj, FLAGS.max_degree)
        print("Largest eigenvalue of the Laplacian: {:.5f}".format(largest))
    else:
        raise ValueError("Invalid argument for model: " + str(FLAGS.model))
    placeholders = {
        "support": [tf.sparse_placeholder(tf.float32) for _ in support],
        "features": tf.sparse_placeholder(tf.float32, shape=features[2]),
        "labels": tf.placeholder(tf.float32, shape=(None, labels.shape[1])),
        "labels_mask": tf.placeholder(tf.int32),
        "dropout": tf.placeholder_with_default(0., shape=()),
        "num_features_nonzero": tf.placeholder(tf.int32),
    }
    layer1 = GraphConvolution("gc1", features[2][1], FLAGS.hidden1, placeholders["support"],
                              sparse_inputs=True, dropout=placeholders["dropout"],
                              num_features_nonzero=placeholders["num_features_nonzero"])
    layer2 = GraphConvolution("gc2", FLAGS.hidden1, labels.shape[1], placeholders["support"],
                              act=lambda x: x, dropout=placeholders["dropout"])
    outputs = layer2(layer1(placeholders["features"]))
    loss = FLAGS.weight_decay * tf.add_n([tf.nn.l2_loss(w) for w in layer1.weights])
    loss += masked_softmax_cross_entropy(outputs, placeholders["labels"],
                                         placeholders["labels_mask"])
    accuracy = masked_accuracy(outputs, placeholders["labels"], placeholders["labels_mask"])
    opt_op = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(loss)

    def feed(mask):
        d = {placeholders["labels"]: labels, placeholders["labels_mask"]: mask,
             placeholders["features"]: features,
             placeholders["num_features_nonzero"]: features[1].shape}
        d.update({placeholders["support"][i]: support[i] for i in range(len(support))})
        return d

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for epoch in range(FLAGS.epochs):
        t = time.time()
        train_feed = feed(train_mask)
        train_feed[placeholders["dropout"]] = FLAGS.dropout
        _, train_loss, train_acc = sess.run([opt_op, loss, accuracy], train_feed)
        val_loss, val_acc = sess.run([loss, accuracy], feed(val_mask))
        print("Epoch:", "%04d" % (epoch + 1), "train_loss=", "{:.5f}".format(train_loss),
              "train_acc=", "{:.5f}".format(train_acc), "val_loss=",
              "{:.5f}".format(val_loss), "val_acc=", "{:.5f}".format(val_acc),
              "time=", "{:.5f}".format(time.time() - t))
    print("Optimization Finished!")
    test_loss, test_acc = sess.run([loss, accuracy], feed(test_mask))
    print("Test set results:", "cost=", "{:.5f}".format(test_loss),
          "accuracy=", "{:.5f}".format(test_acc))


if __name__ == "__main__":
    tf.app.run()
