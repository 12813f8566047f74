"""``tf.contrib.learn.preprocessing`` as TF 1.15 had it, for ``run`` on TensorFlow 2:
``VocabularyProcessor`` (the classic text CNN's first step), ``CategoricalVocabulary``,
``ByteProcessor`` and ``tokenizer``. Plain Python over NumPy, as it was.

The classes and the tokenizer carry TF 1.15's module paths, so a processor ``save``d
(pickled) on TensorFlow 1.15 restores here under ``run``, and one saved here restores
on 1.15.
"""
import collections
import pickle
import re
import sys

import numpy as np

_TEXT = "tensorflow.contrib.learn.python.learn.preprocessing.text"
_VOCABULARY = "tensorflow.contrib.learn.python.learn.preprocessing.categorical_vocabulary"

TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)


def _gfile():
    return sys.modules["tensorflow"].gfile


def tokenizer(iterator):
    """Each string of ``iterator`` as its list of tokens."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class CategoricalVocabulary(object):
    """Categories (words) to ids from 1 up, in the order first seen (id 0 is the
    unknown token); ``trim`` renumbers them by frequency."""

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        """The number of ids, the unknown token's included."""
        return len(self._mapping)

    def freeze(self, freeze=True):
        """After this, a new category gets the unknown token's id (0)."""
        self._freeze = freeze

    def get(self, category):
        """The id of ``category``; a new one gets the next id unless frozen."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        """Count ``category`` ``count`` more times (giving it an id if new)."""
        if self.get(category) > 0:
            self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keep the categories seen more than ``min_frequency`` times (and fewer than
        ``max_frequency``, if given), numbered 1.. by falling frequency, ties by name."""
        by_name = sorted(self._freq.items(), key=lambda item: (isinstance(item[0], str),
                                                                item[0]))
        self._freq = sorted(by_name, key=lambda item: item[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        next_id = 1
        for category, count in self._freq:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = next_id
            next_id += 1
            if self._support_reverse:
                self._reverse_mapping.append(category)
        self._freq = dict(self._freq[:next_id - 1])

    def reverse(self, class_id):
        """The category of id ``class_id``."""
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initialized with support_reverse to "
                             "support reverse() function.")
        return self._reverse_mapping[class_id]


class ByteProcessor(object):
    """Documents to fixed-length rows of their UTF-8 bytes (zero-padded)."""

    def __init__(self, max_document_length):
        self.max_document_length = max_document_length

    def fit(self, x):
        """Nothing to learn."""

    def fit_transform(self, x):
        return self.transform(x)

    def reverse(self, x):
        """Each row back to its text ('' if it is not UTF-8)."""
        for row in x:
            document = np.trim_zeros(row.astype(np.int8), trim="b").tobytes()
            try:
                yield document.decode("utf-8")
            except UnicodeDecodeError:
                yield ""

    def transform(self, x):
        """Each document (str or bytes) as a uint8 row of ``max_document_length``."""
        for document in x:
            if isinstance(document, str):
                document = document.encode("utf-8")
            row = np.frombuffer(memoryview(document)[:self.max_document_length],
                                dtype=np.uint8)
            yield np.pad(row, (0, self.max_document_length - len(row)), "constant")


class VocabularyProcessor(object):
    """Documents to rows of word ids, ``max_document_length`` long (cut or padded
    with 0), through a ``CategoricalVocabulary``."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Learn the vocabulary of ``raw_documents`` (then frozen); returns self."""
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        """``fit``, then ``transform`` (an iterator of rows)."""
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Each document as an int64 row of word ids."""
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            for i, token in enumerate(tokens):
                if i >= self.max_document_length:
                    break
                word_ids[i] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Each row of ids back to its words, joined by spaces."""
        for item in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        """Pickle the processor to ``filename`` (as TF 1.15 did)."""
        with _gfile().Open(filename, "wb") as f:
            f.write(pickle.dumps(self))

    @classmethod
    def restore(cls, filename):
        """The processor pickled in ``filename``."""
        with _gfile().Open(filename, "rb") as f:
            return pickle.loads(f.read())


# TF 1.15's names, which pickles record: a processor saved there restores here.
for _carried in (tokenizer, ByteProcessor, VocabularyProcessor):
    _carried.__module__ = _TEXT
CategoricalVocabulary.__module__ = _VOCABULARY
text = categorical_vocabulary = sys.modules[__name__]  # the submodules, at their paths
