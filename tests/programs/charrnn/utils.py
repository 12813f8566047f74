"""The character reader as 2016 char-RNN code wrote it: a vocabulary by frequency, the
text as ids saved beside it, batches cut in order."""
import collections
import os
import pickle

import numpy as np


class TextLoader(object):
    def __init__(self, data_dir, batch_size, seq_length):
        self.batch_size, self.seq_length = batch_size, seq_length
        vocab_file = os.path.join(data_dir, "vocab.pkl")
        tensor_file = os.path.join(data_dir, "data.npy")
        if os.path.exists(vocab_file) and os.path.exists(tensor_file):
            with open(vocab_file, "rb") as f:
                self.chars = pickle.load(f)
            self.tensor = np.load(tensor_file)
        else:
            with open(os.path.join(data_dir, "input.txt")) as f:
                data = f.read()
            counts = sorted(collections.Counter(data).items(), key=lambda x: (-x[1], x[0]))
            self.chars = tuple(char for char, _ in counts)
            with open(vocab_file, "wb") as f:
                pickle.dump(self.chars, f, protocol=2)
            self.tensor = np.array([self.chars.index(c) for c in data])
            np.save(tensor_file, self.tensor)
        self.vocab = dict(zip(self.chars, range(len(self.chars))))
        self.vocab_size = len(self.chars)
        self.num_batches = self.tensor.size // (batch_size * seq_length)
        if self.num_batches == 0:
            raise ValueError("not enough data: make seq_length and batch_size smaller")
        tensor = self.tensor[:self.num_batches * batch_size * seq_length]
        following = np.roll(tensor, -1)
        self.x_batches = np.split(tensor.reshape(batch_size, -1), self.num_batches, 1)
        self.y_batches = np.split(following.reshape(batch_size, -1), self.num_batches, 1)
        self.pointer = 0

    def next_batch(self):
        x, y = self.x_batches[self.pointer], self.y_batches[self.pointer]
        self.pointer = (self.pointer + 1) % self.num_batches
        return x, y
