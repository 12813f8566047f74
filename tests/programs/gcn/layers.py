"""A graph convolution over sparse supports (tf.SparseTensor, sparse_tensor_dense_matmul)."""
import numpy as np
import tensorflow as tf


def glorot(shape, name):
    init_range = np.sqrt(6.0 / (shape[0] + shape[1]))
    return tf.Variable(tf.random_uniform(shape, -init_range, init_range, tf.float32,
                                         seed=len(name)), name=name)


def dot(x, y, sparse=False):
    return tf.sparse_tensor_dense_matmul(x, y) if sparse else tf.matmul(x, y)


def sparse_dropout(x, keep_prob, noise_shape):
    keep = tf.cast(tf.floor(keep_prob + tf.random_uniform(noise_shape, seed=7)), tf.bool)
    return tf.sparse_retain(x, keep) * (1. / keep_prob)


class GraphConvolution(object):
    def __init__(self, name, input_dim, output_dim, supports, act=tf.nn.relu,
                 sparse_inputs=False, dropout=None, num_features_nonzero=None):
        self.supports, self.act, self.sparse_inputs = supports, act, sparse_inputs
        self.dropout, self.num_features_nonzero = dropout, num_features_nonzero
        with tf.variable_scope(name + "_vars"):
            self.weights = [glorot([input_dim, output_dim], "weights_{}".format(i))
                            for i in range(len(supports))]

    def __call__(self, x):
        if self.sparse_inputs:
            x = sparse_dropout(x, 1 - self.dropout, self.num_features_nonzero)
        else:
            x = tf.nn.dropout(x, 1 - self.dropout, seed=11)
        outputs = [dot(support, dot(x, w, sparse=self.sparse_inputs), sparse=True)
                   for support, w in zip(self.supports, self.weights)]
        return self.act(tf.add_n(outputs))
