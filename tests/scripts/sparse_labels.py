"""Dense (not one-hot) labels from read_data_sets(dir) and tf.losses'
sparse_softmax_cross_entropy; a seeded run that prints its losses."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.set_random_seed(42)
mnist = input_data.read_data_sets("MNIST_data")
x = tf.placeholder(tf.float32, [None, 784])
labels = tf.placeholder(tf.int64, [None])
hidden = tf.nn.relu(tf.matmul(x, tf.Variable(tf.truncated_normal([784, 64], stddev=0.1))))
logits = tf.matmul(hidden, tf.Variable(tf.truncated_normal([64, 10], stddev=0.1)))
loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train = tf.train.AdamOptimizer(1e-3).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(200):
        xs, ys = mnist.train.next_batch(64)
        _, value = sess.run([train, loss], {x: xs, labels: ys})
        if step % 50 == 0:
            print("step", step, "loss", value, "first labels", list(ys[:5]))
    correct = tf.equal(tf.argmax(logits, 1), labels)
    print("sparse accuracy", sess.run(tf.reduce_mean(tf.cast(correct, tf.float32)),
                                      {x: mnist.test.images, labels: mnist.test.labels}))
