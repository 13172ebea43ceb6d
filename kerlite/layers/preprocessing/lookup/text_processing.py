"""The text steps of TextVectorization: standardize, split, ngrams (NumPy and Python).

They reproduce what Keras does with TensorFlow's string ops:

- "lower" lowercases ASCII letters only (``tf.strings.lower`` without an encoding), so
  "É" stays "É";
- "strip_punctuation" deletes the 32 ASCII punctuation characters of
  ``string.punctuation`` and nothing else (not "¿" or "…");
- "whitespace" splits on runs of ASCII whitespace (space, \\t, \\n, \\v, \\f, \\r) and
  drops empty pieces; "character" splits into Unicode characters;
- ngrams of several widths come width by width: all 1-grams, then all 2-grams...
"""

import re
import string

import numpy

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_ASCII_WHITESPACE = re.compile("[ \t\n\v\f\r]+")

STANDARDIZE_MODES = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT_MODES = ("whitespace", "character")


def standardize(texts, mode):
    """Apply a standardize mode (a name, or a callable given the NumPy str array)."""
    if mode is None:
        return texts
    if callable(mode):
        return numpy.asarray(mode(texts)).astype(str)
    lower = mode in ("lower", "lower_and_strip_punctuation")
    strip = mode in ("strip_punctuation", "lower_and_strip_punctuation")

    def one(text):
        if lower:
            text = text.translate(_ASCII_LOWER)
        return _PUNCTUATION.sub("", text) if strip else text

    if texts.size == 0:
        return texts
    return numpy.vectorize(one, otypes=[str])(texts)


def split(texts, mode):
    """A 1-D str array -> one list of tokens per text."""
    if mode == "whitespace":
        return [[t for t in _ASCII_WHITESPACE.split(text) if t] for text in texts.tolist()]
    if mode == "character":
        return [list(text) for text in texts.tolist()]
    pieces = mode(texts)
    pieces = pieces.numpy() if hasattr(pieces, "numpy") else pieces
    return [[_as_str(t) for t in numpy.asarray(row).reshape(-1).tolist()] for row in pieces]


def ngrams(tokens, widths):
    """The ngrams of one token list, for each width in turn, joined by spaces."""
    grams = []
    for width in widths:
        if width > len(tokens):  # no ngram that wide: ngrams=2**30 must cost nothing
            if isinstance(widths, range):
                break  # the widths only grow from here
            continue
        grams.extend(" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1))
    return grams


def _as_str(token):
    return token.decode("utf-8") if isinstance(token, bytes) else str(token)
