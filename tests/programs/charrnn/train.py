"""python -m charrnn.train --data_dir D --save_dir S [--init_from S] --num_epochs N"""
import argparse
import os
import pickle

import tensorflow as tf

from .model import Model
from .utils import TextLoader


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_dir", default="data", help="holds input.txt")
    parser.add_argument("--save_dir", default="save", help="checkpoints go here")
    parser.add_argument("--init_from", default=None, help="resume from this save_dir")
    parser.add_argument("--rnn_size", type=int, default=16)
    parser.add_argument("--num_layers", type=int, default=2)
    parser.add_argument("--batch_size", type=int, default=4)
    parser.add_argument("--seq_length", type=int, default=8)
    parser.add_argument("--num_epochs", type=int, default=2)
    parser.add_argument("--grad_clip", type=float, default=5.0)
    parser.add_argument("--learning_rate", type=float, default=0.01)
    parser.add_argument("--decay_rate", type=float, default=0.97)
    parser.add_argument("--seed", type=int, default=None, help="graph-level seed")
    args = parser.parse_args()
    train(args)


def train(args):
    loader = TextLoader(args.data_dir, args.batch_size, args.seq_length)
    args.vocab_size = loader.vocab_size
    ckpt = None
    if args.init_from is not None:
        with open(os.path.join(args.init_from, "config.pkl"), "rb") as f:
            saved = pickle.load(f)
        for name in ("rnn_size", "num_layers", "seq_length", "vocab_size"):
            assert vars(saved)[name] == vars(args)[name], \
                "command line and saved model disagree on " + name
        ckpt = tf.train.get_checkpoint_state(args.init_from)
        assert ckpt and ckpt.model_checkpoint_path, "no checkpoint found"
    if not os.path.isdir(args.save_dir):
        os.makedirs(args.save_dir)
    with open(os.path.join(args.save_dir, "config.pkl"), "wb") as f:
        pickle.dump(args, f, protocol=2)
    with open(os.path.join(args.save_dir, "chars_vocab.pkl"), "wb") as f:
        pickle.dump((loader.chars, loader.vocab), f, protocol=2)
    if args.seed is not None:
        tf.set_random_seed(args.seed)
    model = Model(args)
    global_step = tf.Variable(0, trainable=False, name="global_step")
    next_step = tf.assign_add(global_step, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver = tf.train.Saver(tf.global_variables())
        if ckpt is not None:
            saver.restore(sess, ckpt.model_checkpoint_path)
        start = sess.run(global_step) // loader.num_batches
        for e in range(start, start + args.num_epochs):
            sess.run(tf.assign(model.lr, args.learning_rate * (args.decay_rate ** e)))
            loader.pointer = 0
            state = sess.run(model.initial_state)
            for b in range(loader.num_batches):
                x, y = loader.next_batch()
                feed = {model.input_data: x, model.targets: y, model.initial_state: state}
                train_loss, state, _, step = sess.run(
                    [model.cost, model.final_state, model.train_op, next_step], feed)
                print("{}/{} (epoch {}), train_loss = {:.4f}".format(
                    step, (start + args.num_epochs) * loader.num_batches, e, train_loss))
        path = saver.save(sess, os.path.join(args.save_dir, "model.ckpt"),
                          global_step=global_step)
        print("model saved to {}".format(path))


if __name__ == "__main__":
    main()
