"""tf.contrib.rnn's cells and wrappers, on which tf1_mnist/legacy/rnn.py must build what TF
1.15.5's own tf.contrib.rnn builds. Run under ``tf1-mnist run`` on either stack: each
model is built in a graph of its own and trained one Adam step (so the gradients count),
every variable first set by its name to the same numbers; the variables' names and
shapes, the outputs before the step and the loss after it are printed as JSON (the test
compares the two stacks)."""
import json
import zlib

import numpy as np
import tensorflow as tf
from tensorflow.contrib import rnn

STEPS, BATCH, FEATURES, UNITS, SYMBOLS = 4, 3, 5, 6, 7


def floats(seed):
    rng = np.random.RandomState(seed)
    return tf.constant(rng.randn(BATCH, STEPS, FEATURES), tf.float32)


def ints(seed):
    rng = np.random.RandomState(seed)
    return tf.constant(rng.randint(0, SYMBOLS, (BATCH, STEPS, 1)), tf.int32)


def dynamic(cell, inputs, **kwargs):
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, **kwargs)
    return [outputs] + tf.nest.flatten(state)


def static(cell, inputs):
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(inputs, axis=1), dtype=tf.float32)
    return outputs + tf.nest.flatten(state)


def models():
    return {
        "OutputProjectionWrapper basic": lambda: dynamic(
            rnn.OutputProjectionWrapper(rnn.BasicRNNCell(UNITS), 1), floats(1)),
        "OutputProjectionWrapper lstm relu": lambda: dynamic(
            rnn.OutputProjectionWrapper(rnn.BasicLSTMCell(UNITS), 2, activation=tf.nn.relu),
            floats(2)),
        "InputProjectionWrapper gru": lambda: dynamic(
            rnn.InputProjectionWrapper(rnn.GRUCell(UNITS), 3, activation=tf.tanh),
            floats(3)),
        "EmbeddingWrapper lstm": lambda: dynamic(
            rnn.EmbeddingWrapper(rnn.LSTMCell(UNITS), SYMBOLS, 4), ints(4)),
        "AttentionCellWrapper lstm": lambda: static(
            rnn.AttentionCellWrapper(rnn.BasicLSTMCell(UNITS), 3), floats(5)),
        "AttentionCellWrapper gru sizes": lambda: dynamic(
            rnn.AttentionCellWrapper(rnn.GRUCell(UNITS), 2, attn_size=4, attn_vec_size=5,
                                     input_size=3), floats(6)),
        "AttentionCellWrapper concatenated state": lambda: dynamic(
            rnn.AttentionCellWrapper(rnn.GRUCell(UNITS), 2, state_is_tuple=False),
            floats(7)),
        "LayerNormBasicLSTMCell": lambda: dynamic(
            rnn.LayerNormBasicLSTMCell(UNITS), floats(8)),
        "LayerNormBasicLSTMCell no norm": lambda: dynamic(
            rnn.LayerNormBasicLSTMCell(UNITS, layer_norm=False, forget_bias=0.5), floats(9)),
        "LSTMBlockCell": lambda: dynamic(rnn.LSTMBlockCell(UNITS), floats(10)),
        "LSTMBlockCell peephole clip": lambda: dynamic(
            rnn.LSTMBlockCell(UNITS, use_peephole=True, cell_clip=0.3), floats(11)),
        "GRUBlockCell": lambda: dynamic(rnn.GRUBlockCell(UNITS), floats(12)),
        "GRUBlockCellV2": lambda: dynamic(rnn.GRUBlockCellV2(UNITS), floats(13)),
        "MultiRNNCell of block cells": lambda: dynamic(rnn.MultiRNNCell(
            [rnn.LSTMBlockCell(UNITS), rnn.GRUBlockCell(UNITS)]), floats(14)),
        "ResidualWrapper DeviceWrapper": lambda: dynamic(rnn.ResidualWrapper(
            rnn.DeviceWrapper(rnn.GRUCell(FEATURES), "/cpu:0")), floats(15)),
        "stack_bidirectional_dynamic_rnn": stack_dynamic,
        "stack_bidirectional_rnn": stack_static,
    }


def stack_dynamic():
    lengths = tf.constant([STEPS, 2, 3])
    outputs, fw, bw = rnn.stack_bidirectional_dynamic_rnn(
        [rnn.LSTMBlockCell(UNITS), rnn.GRUCell(UNITS)],
        [rnn.LSTMCell(UNITS), rnn.GRUBlockCell(UNITS)], floats(16),
        dtype=tf.float32, sequence_length=lengths)
    return [outputs] + tf.nest.flatten([fw, bw])


def stack_static():
    outputs, fw, bw = rnn.stack_bidirectional_rnn(
        [rnn.GRUCell(UNITS), rnn.BasicLSTMCell(UNITS)],
        [rnn.GRUCell(UNITS), rnn.LayerNormBasicLSTMCell(UNITS)],
        tf.unstack(floats(17), axis=1), dtype=tf.float32)
    return outputs + tf.nest.flatten([fw, bw])


def assign_by_name(sess, variables):
    for variable in variables:
        rng = np.random.RandomState(zlib.crc32(variable.op.name.encode()) % (2 ** 31))
        value = rng.uniform(-0.5, 0.5, variable.get_shape().as_list())
        variable.load(value.astype(variable.dtype.as_numpy_dtype), sess)


def run(build):
    with tf.Graph().as_default():
        outputs = build()
        weights = tf.trainable_variables()
        loss = tf.add_n([tf.reduce_mean(tf.square(o)) for o in outputs])
        step = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assign_by_name(sess, weights)
            values = sess.run(outputs)
            for _ in range(3):
                sess.run(step)
            after = sess.run([loss] + weights[:1])
        return {"variables": sorted([v.op.name, v.get_shape().as_list()]
                                    for v in weights),
                "values": [np.round(np.asarray(v, np.float64), 5).tolist()
                           for v in values + after]}


print(json.dumps({name: run(build) for name, build in sorted(models().items())},
                 sort_keys=True))
