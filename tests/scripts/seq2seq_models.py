"""tf.contrib.legacy_seq2seq's models, on which tf1_mnist/legacy/seq2seq.py must build what TF
1.15.5's own tf.contrib.legacy_seq2seq builds. Run under ``tf1-mnist run`` on either
stack: each model is built in a graph of its own, every variable set by its name to
the same numbers, and the variables' names and shapes, the outputs and the losses
printed as JSON (the test compares the two stacks)."""
import json
import zlib

import numpy as np
import tensorflow as tf
from tensorflow.contrib import legacy_seq2seq as seq2seq

STEPS, BATCH, SYMBOLS, UNITS = 3, 2, 7, 4


def ints(seed, steps=STEPS):
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randint(0, SYMBOLS, BATCH), tf.int32) for _ in range(steps)]


def floats(seed):
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randn(BATCH, 3), tf.float32) for _ in range(STEPS)]


def cells():
    return {"gru": lambda: tf.nn.rnn_cell.GRUCell(UNITS),
            "lstm": lambda: tf.nn.rnn_cell.BasicLSTMCell(UNITS),
            "lstm2": lambda: tf.nn.rnn_cell.MultiRNNCell(
                [tf.nn.rnn_cell.LSTMCell(UNITS) for _ in range(2)])}


def models():
    c = cells()
    feed = lambda value: tf.placeholder_with_default(value, [])  # noqa: E731
    return {
        "rnn_decoder loop": lambda: seq2seq.rnn_decoder(
            floats(1), tf.zeros([BATCH, UNITS]), tf.nn.rnn_cell.GRUCell(UNITS),
            loop_function=lambda prev, i: tf.tanh(prev[:, :3]) * i),
        "basic_rnn_seq2seq gru": lambda: seq2seq.basic_rnn_seq2seq(
            floats(2), floats(3), c["gru"]()),
        "tied_rnn_seq2seq lstm": lambda: seq2seq.tied_rnn_seq2seq(
            floats(4), [tf.tile(x, [1, 1]) for x in floats(5)],
            tf.nn.rnn_cell.BasicLSTMCell(3)),
        "embedding_rnn_seq2seq gru": lambda: seq2seq.embedding_rnn_seq2seq(
            ints(6), ints(7), c["gru"](), SYMBOLS, SYMBOLS, 5),
        "embedding_rnn_seq2seq lstm feed_previous": lambda: seq2seq.embedding_rnn_seq2seq(
            ints(8), ints(9), c["lstm"](), SYMBOLS, SYMBOLS, 5, feed_previous=True),
        "embedding_rnn_seq2seq lstm2 feed tensor": lambda: seq2seq.embedding_rnn_seq2seq(
            ints(10), ints(11), c["lstm2"](), SYMBOLS, SYMBOLS, 5,
            feed_previous=feed(True)),
        "embedding_tied_rnn_seq2seq gru": lambda: seq2seq.embedding_tied_rnn_seq2seq(
            ints(12), ints(13), c["gru"](), SYMBOLS, 5),
        "embedding_tied_rnn_seq2seq lstm feed tensor": lambda:
            seq2seq.embedding_tied_rnn_seq2seq(ints(14), ints(15), c["lstm"](), SYMBOLS, 5,
                                               feed_previous=feed(False)),
        "embedding_attention_seq2seq gru": lambda: seq2seq.embedding_attention_seq2seq(
            ints(16), ints(17), c["gru"](), SYMBOLS, SYMBOLS, 5),
        "embedding_attention_seq2seq lstm2 heads": lambda:
            seq2seq.embedding_attention_seq2seq(
                ints(18), ints(19), c["lstm2"](), SYMBOLS, SYMBOLS, 5, num_heads=2,
                feed_previous=True, initial_state_attention=True),
        "embedding_attention_seq2seq lstm feed tensor projection": lambda:
            seq2seq.embedding_attention_seq2seq(
                ints(20), ints(21), c["lstm"](), SYMBOLS, SYMBOLS, 5,
                output_projection=(tf.constant(np.linspace(-1, 1, UNITS * SYMBOLS).reshape(
                    UNITS, SYMBOLS), tf.float32), tf.constant(np.zeros(SYMBOLS), tf.float32)),
                feed_previous=feed(True)),
    }


def losses(outputs):
    targets, weights = ints(30, len(outputs)), [tf.constant([1.0, 0.5])] * len(outputs)
    logits = [o if o.get_shape()[1] == SYMBOLS else tf.pad(o, [[0, 0], [0, SYMBOLS - int(
        o.get_shape()[1])]]) for o in outputs]
    return [seq2seq.sequence_loss(logits, targets, weights),
            seq2seq.sequence_loss(logits, targets, weights, average_across_batch=False),
            seq2seq.sequence_loss_by_example(logits, targets, weights,
                                             average_across_timesteps=False)]


def buckets():
    encoder, decoder = ints(40), ints(41)
    targets, weights = ints(42), [tf.constant([1.0, 1.0])] * STEPS

    def model(enc, dec):
        return seq2seq.embedding_attention_seq2seq(
            enc, dec, tf.nn.rnn_cell.GRUCell(UNITS), SYMBOLS, SYMBOLS, 5)
    outputs, bucket_losses = seq2seq.model_with_buckets(
        encoder, decoder, targets, weights, [(2, 2), (3, 3)], model)
    return [o for bucket in outputs for o in bucket], bucket_losses


def assign_by_name(sess):
    for variable in tf.global_variables():
        rng = np.random.RandomState(zlib.crc32(variable.op.name.encode()) % (2 ** 31))
        value = rng.uniform(-0.5, 0.5, variable.get_shape().as_list())
        variable.load(value.astype(variable.dtype.as_numpy_dtype), sess)


def run(build):
    with tf.Graph().as_default():
        built = build()
        outputs = built[0]
        flat = outputs + losses(outputs) if callable(build) and build is not buckets \
            else outputs + built[1]
        with tf.Session() as sess:
            assign_by_name(sess)
            values = sess.run(flat)
        return {"variables": sorted([v.op.name, v.get_shape().as_list()]
                                    for v in tf.global_variables()),
                "values": [np.round(np.asarray(v, np.float64), 5).tolist() for v in values]}


found = {name: run(build) for name, build in sorted(models().items())}
found["model_with_buckets"] = run(buckets)
print(json.dumps(found, sort_keys=True))
