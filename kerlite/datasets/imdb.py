"""IMDB movie reviews: 25,000 training and 25,000 test reviews labelled positive (1) or negative (0).

Each review is a list of word indices; a word's index is its frequency rank (1 = most frequent
word), shifted by ``index_from``. Index 0 is left for padding, 1 marks the start of a review and
2 stands for words cut by ``num_words`` (Keras's conventions). Downloaded on first use (17 MB).
Offline? ``kerlite.datasets.generators.make_sentiment`` makes IMDB-like sequences.
"""

import json

import numpy

from kerlite.datasets import _fetch
from kerlite.datasets._safe_pickle import load_npz

ORIGIN = _fetch.KERAS_DATASETS_URL + "imdb.npz"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"  # sha256
WORD_INDEX_ORIGIN = _fetch.KERAS_DATASETS_URL + "imdb_word_index.json"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"  # md5


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, cache_dir=None, **kwargs):
    """Return ``(x_train, y_train), (x_test, y_test)`` as Keras does.

    x: 1-D object arrays whose items are lists of int word indices; y: int arrays of 0/1.
    ``num_words`` keeps the most frequent words (others become ``oov_char``, or are dropped when
    ``oov_char=None``), ``skip_top`` also turns the most frequent ones into ``oov_char``,
    ``maxlen`` drops reviews with ``maxlen`` or more words, ``seed`` fixes the shuffle.
    """
    local = _fetch.fetch(path, ORIGIN, FILE_HASH, cache_dir=cache_dir,
                         offline_alternatives=_fetch.OFFLINE_TEXT)
    arrays = load_npz(local)
    rng = numpy.random.RandomState(seed)
    x_train, labels_train = _shuffled(arrays["x_train"], arrays["y_train"], rng)
    x_test, labels_test = _shuffled(arrays["x_test"], arrays["y_test"], rng)

    prefix = [] if start_char is None else [start_char]
    shift = index_from or 0
    x_train = [prefix + [w + shift for w in review] for review in x_train]
    x_test = [prefix + [w + shift for w in review] for review in x_test]

    if maxlen:
        x_train, labels_train = _drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                "kept. Increase maxlen."
            )

    reviews = x_train + x_test
    labels = numpy.concatenate([numpy.asarray(labels_train), numpy.asarray(labels_test)])
    if not num_words:  # as Keras: the largest index then counts as out of vocabulary too
        num_words = max(max(review) for review in reviews)
    if oov_char is not None:
        reviews = [[w if skip_top <= w < num_words else oov_char for w in r] for r in reviews]
    else:
        reviews = [[w for w in r if skip_top <= w < num_words] for r in reviews]

    cut = len(x_train)
    return (_object_array(reviews[:cut]), labels[:cut]), (_object_array(reviews[cut:]), labels[cut:])


def get_word_index(path="imdb_word_index.json", cache_dir=None):
    """Dict mapping each word (str) to its frequency rank (int; add ``index_from`` to match x)."""
    local = _fetch.fetch(path, WORD_INDEX_ORIGIN, WORD_INDEX_HASH, cache_dir=cache_dir,
                         offline_alternatives=_fetch.OFFLINE_TEXT)
    with open(local, encoding="utf8") as file:
        return json.load(file)


def _shuffled(reviews, labels, rng):
    order = numpy.arange(len(reviews))
    rng.shuffle(order)
    return reviews[order], labels[order]


def _drop_long(maxlen, reviews, labels):
    kept = [(r, y) for r, y in zip(reviews, labels) if len(r) < maxlen]
    return [r for r, _ in kept], [y for _, y in kept]


def _object_array(lists):
    """A 1-D object array of lists (even when all lists happen to have the same length)."""
    out = numpy.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out
