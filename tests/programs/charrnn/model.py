"""A character language model on tf.contrib.rnn cells and tf.contrib.legacy_seq2seq."""
import numpy as np
import tensorflow as tf
from tensorflow.contrib import legacy_seq2seq, rnn


class Model(object):
    def __init__(self, args, training=True):
        if not training:
            args.batch_size, args.seq_length = 1, 1
        cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(args.rnn_size)
                                 for _ in range(args.num_layers)])
        self.cell = cell
        self.input_data = tf.placeholder(tf.int32, [args.batch_size, args.seq_length])
        self.targets = tf.placeholder(tf.int32, [args.batch_size, args.seq_length])
        self.initial_state = cell.zero_state(args.batch_size, tf.float32)
        with tf.variable_scope("rnnlm"):
            softmax_w = tf.get_variable("softmax_w", [args.rnn_size, args.vocab_size])
            softmax_b = tf.get_variable("softmax_b", [args.vocab_size])
        embedding = tf.get_variable("embedding", [args.vocab_size, args.rnn_size])
        inputs = tf.split(tf.nn.embedding_lookup(embedding, self.input_data),
                          args.seq_length, 1)
        inputs = [tf.squeeze(input_, [1]) for input_ in inputs]
        outputs, last_state = legacy_seq2seq.rnn_decoder(
            inputs, self.initial_state, cell, scope="rnnlm")
        output = tf.reshape(tf.concat(outputs, 1), [-1, args.rnn_size])
        self.logits = tf.matmul(output, softmax_w) + softmax_b
        self.probs = tf.nn.softmax(self.logits)
        loss = legacy_seq2seq.sequence_loss_by_example(
            [self.logits], [tf.reshape(self.targets, [-1])],
            [tf.ones([args.batch_size * args.seq_length])])
        self.cost = tf.reduce_sum(loss) / args.batch_size / args.seq_length
        self.final_state = last_state
        self.lr = tf.Variable(0.0, trainable=False)
        tvars = tf.trainable_variables()
        grads, _ = tf.clip_by_global_norm(tf.gradients(self.cost, tvars), args.grad_clip)
        self.train_op = tf.train.AdamOptimizer(self.lr).apply_gradients(zip(grads, tvars))

    def sample(self, sess, chars, vocab, num, prime):
        """The most likely next character, ``num`` times after ``prime``."""
        state = sess.run(self.cell.zero_state(1, tf.float32))
        for char in prime[:-1]:
            state = sess.run(self.final_state, {self.input_data: [[vocab[char]]],
                                                self.initial_state: state})
        text, char = prime, prime[-1]
        for _ in range(num):
            probs, state = sess.run([self.probs, self.final_state],
                                    {self.input_data: [[vocab[char]]],
                                     self.initial_state: state})
            char = chars[int(np.argmax(probs[0]))]
            text += char
        return text
