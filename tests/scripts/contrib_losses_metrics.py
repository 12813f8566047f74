"""tf.contrib.losses and tf.contrib.metrics as 2016-2017 scripts called them: logits or
predictions first, labels second. The numbers it prints are TF 1.15's own."""
import tensorflow as tf

logits = tf.constant([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
onehot = tf.constant([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
labels = tf.constant([0, 1])
predictions = tf.argmax(logits, 1)
a = tf.contrib.losses.softmax_cross_entropy(logits, onehot)
b = tf.contrib.losses.sparse_softmax_cross_entropy(logits, labels)
c = tf.contrib.losses.mean_squared_error(tf.nn.softmax(logits), onehot)
acc, update = tf.contrib.metrics.streaming_accuracy(predictions, tf.cast(labels, tf.int64))
plain = tf.contrib.metrics.accuracy(tf.cast(predictions, tf.int32), labels)
with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    sess.run(update)
    print(["%.5f" % v for v in sess.run([a, b, c, acc, plain])],
          len(tf.contrib.losses.get_losses()))
