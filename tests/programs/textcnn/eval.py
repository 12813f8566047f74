"""python -m textcnn.eval --out_dir O SENTENCE...: the saved vocabulary, restored."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn.preprocessing import text

from .data_helpers import clean_str


def main():
    out_dir = sys.argv[sys.argv.index("--out_dir") + 1]
    sentences = sys.argv[sys.argv.index("--out_dir") + 2:]
    vocab_processor = text.VocabularyProcessor.restore(out_dir + "/vocab")
    x = np.array(list(vocab_processor.transform([clean_str(s) for s in sentences])))
    print("ids:", x.tolist())
    print("words:", list(vocab_processor.reverse(x)))
    print("TensorFlow graph mode:", not tf.executing_eagerly())


if __name__ == "__main__":
    main()
