"""python -m textcnn.train --positive P --negative N --out_dir O"""
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib import learn

from .data_helpers import load_data_and_labels

tf.flags.DEFINE_string("positive", "pos.txt", "positive examples")
tf.flags.DEFINE_string("negative", "neg.txt", "negative examples")
tf.flags.DEFINE_string("out_dir", "runs", "where the vocabulary and checkpoint go")
FLAGS = tf.flags.FLAGS


def main(_):
    x_text, y = load_data_and_labels(FLAGS.positive, FLAGS.negative)
    max_document_length = max(len(x.split(" ")) for x in x_text)
    vocab_processor = learn.preprocessing.VocabularyProcessor(max_document_length)
    x = np.array(list(vocab_processor.fit_transform(x_text)))
    print("Vocabulary Size: {:d}".format(len(vocab_processor.vocabulary_)))
    print("x:", x.tolist())
    if not os.path.exists(FLAGS.out_dir):
        os.makedirs(FLAGS.out_dir)
    vocab_processor.save(os.path.join(FLAGS.out_dir, "vocab"))
    embedding = tf.Variable(tf.random_uniform([len(vocab_processor.vocabulary_), 4], -1, 1))
    pooled = tf.reduce_mean(tf.nn.embedding_lookup(embedding, x), axis=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print("pooled:", sess.run(pooled).shape)
        tf.train.Saver().save(sess, os.path.join(FLAGS.out_dir, "model"))


if __name__ == "__main__":
    tf.app.run()
