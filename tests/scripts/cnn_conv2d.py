"""A small CNN from tf.nn.conv2d and tf.nn.max_pool, as in mnist_deep.py, with
tf.app.flags (absl) for its options."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string("data_dir", "MNIST_data", "where MNIST is")
flags.DEFINE_integer("steps", 60, "training steps")
FLAGS = flags.FLAGS


def weight_variable(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))


def bias_variable(shape):
    return tf.Variable(tf.constant(0.1, shape=shape))


def main(_):
    tf.set_random_seed(1)
    mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    image = tf.reshape(x, [-1, 28, 28, 1])
    h = tf.nn.relu(tf.nn.conv2d(image, weight_variable([5, 5, 1, 8]), strides=[1, 1, 1, 1],
                                padding="SAME") + bias_variable([8]))
    h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    flat = tf.reshape(h, [-1, 14 * 14 * 8])
    y = tf.matmul(flat, weight_variable([14 * 14 * 8, 10])) + bias_variable([10])
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
    train_step = tf.train.AdamOptimizer(1e-3).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)), tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(FLAGS.steps):
            batch = mnist.train.next_batch(50)
            train_step.run(feed_dict={x: batch[0], y_: batch[1]})
        print("cnn accuracy %g" % accuracy.eval(feed_dict={x: mnist.test.images[:2000],
                                                          y_: mnist.test.labels[:2000]}))


if __name__ == "__main__":
    tf.app.run()
