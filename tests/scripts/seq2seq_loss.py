"""tf.contrib.seq2seq.sequence_loss, the loss of the char-RNN and seq2seq tutorials, on
fixed logits, targets and padding weights, for every way its flags reduce."""
import itertools

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
logits = tf.constant(rng.randn(3, 4, 5).astype(np.float32))
targets = tf.constant(rng.randint(0, 5, size=(3, 4)).astype(np.int32))
weights = tf.constant(np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], np.float32))

losses = []
for avg_time, avg_batch, sum_time, sum_batch in itertools.product([True, False], repeat=4):
    if avg_time and sum_time or avg_batch and sum_batch:
        continue
    losses.append(((avg_time, avg_batch, sum_time, sum_batch), tf.contrib.seq2seq.sequence_loss(
        logits, targets, weights, average_across_timesteps=avg_time,
        average_across_batch=avg_batch, sum_over_timesteps=sum_time,
        sum_over_batch=sum_batch)))

with tf.Session() as sess:
    for flags, value in zip([f for f, _ in losses], sess.run([l for _, l in losses])):
        print(" ".join(str(int(f)) for f in flags),
              np.array2string(np.asarray(value), precision=5, separator=", "))
