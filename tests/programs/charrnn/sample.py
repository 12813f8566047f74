"""python -m charrnn.sample --save_dir S -n 20 --prime 'the '"""
import argparse
import os
import pickle

import tensorflow as tf

from .model import Model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--save_dir", default="save")
    parser.add_argument("-n", type=int, default=20, help="characters to sample")
    parser.add_argument("--prime", default=" ")
    args = parser.parse_args()
    with open(os.path.join(args.save_dir, "config.pkl"), "rb") as f:
        saved_args = pickle.load(f)
    with open(os.path.join(args.save_dir, "chars_vocab.pkl"), "rb") as f:
        chars, vocab = pickle.load(f)
    model = Model(saved_args, training=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver = tf.train.Saver(tf.global_variables())
        saver.restore(sess, tf.train.latest_checkpoint(args.save_dir))
        print(model.sample(sess, chars, vocab, args.n, args.prime))


if __name__ == "__main__":
    main()
