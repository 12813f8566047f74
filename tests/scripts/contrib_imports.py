"""Every way scripts of the era imported tf.contrib: a module alias, from-imports of
functions and classes, the long path of tf.contrib.learn's MNIST reader, a submodule."""
import tensorflow as tf
import tensorflow.contrib.slim as slim
from tensorflow.contrib.layers import fully_connected, xavier_initializer
from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets
from tensorflow.contrib.rnn import LSTMStateTuple
import tensorflow.contrib.compiler.jit as jit

x = tf.placeholder(tf.float32, [None, 4])
with slim.arg_scope([slim.fully_connected], activation_fn=None):
    print(slim.fully_connected(x, 3).shape,
          fully_connected(x, 2, weights_initializer=xavier_initializer()).shape,
          read_data_sets.__name__, LSTMStateTuple.__name__,
          jit.experimental_jit_scope.__name__)
