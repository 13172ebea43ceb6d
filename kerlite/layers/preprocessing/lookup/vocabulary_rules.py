"""The checks a given vocabulary must pass, its IDF weights, and vocabulary files.

Used by ``IndexLookup.set_vocabulary``. A vocabulary may start with the reserved tokens
(``[mask, oov...]``, exactly as ``get_vocabulary()`` returns them) or leave them out;
anywhere else they are an error, as are repeated tokens and more entries than
``max_tokens``.
"""

import collections

import numpy

from kerlite import arrays
from kerlite.layers.preprocessing.lookup.host_layer import to_host


def check_tokens(kind, tokens, special, reserved, max_tokens):
    """Raise a ValueError if ``tokens`` (the vocabulary without its reserved front)
    repeats a token, contains a ``reserved`` one ({name: token}) or is too long."""
    repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
    if repeated:
        raise ValueError(f"{kind}: the vocabulary has repeated tokens {repeated}. "
                         "Each token must appear once.")
    for name, token in reserved.items():
        if token is not None and token in tokens:
            raise ValueError(
                f"{kind}: the vocabulary contains the reserved {name}={token!r} at index "
                f"{tokens.index(token)}. Leave mask and OOV tokens out of the vocabulary, "
                f"or put them only at its start, in this order: {special}.")
    size = len(special) + len(tokens)
    if max_tokens is not None and size > max_tokens:
        raise ValueError(f"{kind}: the vocabulary has {size} entries (with the mask and "
                         f"OOV indices), more than max_tokens={max_tokens}.")


def idf_table(kind, idf_weights, vocabulary_length, front, pad_to=None):
    """One weight per index: ``front`` reserved slots get the mean weight (Keras cannot
    know their document frequency), then the given weights, then zeros to ``pad_to``."""
    weights = numpy.asarray(to_host(idf_weights, "idf_weights"), dtype="float64")
    if weights.ndim != 1 or len(weights) != vocabulary_length:
        raise ValueError(
            f"{kind}: `idf_weights` must be 1-D with one weight per vocabulary entry "
            f"({vocabulary_length}). Received shape {weights.shape}.")
    weights = numpy.concatenate([numpy.full(front, weights.mean()), weights])
    if pad_to is not None:
        weights = numpy.pad(weights, (0, pad_to - len(weights)))
    return weights.astype(arrays.floatx())


def read_vocabulary_file(kind, path, encoding, output_mode):
    """The lines of a vocabulary file, one token each (trailing empty lines dropped)."""
    from kerlite.serialization import serialization_lib

    if serialization_lib.in_safe_mode() is True:  # a safe load in progress
        raise ValueError(
            f"{kind}: the model being loaded asks to read the vocabulary file {path!r}, "
            "outside the model file. Load with safe_mode=False if you trust it.")
    if output_mode == "tf_idf":
        raise ValueError(f"{kind}: output_mode='tf_idf' cannot read its vocabulary from a "
                         "file; pass a list and `idf_weights`.")
    try:
        with open(path, encoding=encoding) as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        raise ValueError(f"{kind}: vocabulary file {path} could not be read ({error}).") \
            from error
    while lines and lines[-1] == "":
        lines.pop()
    return lines
