"""StringLookup: strings -> integer indices (or one_hot/multi_hot/count/tf_idf vectors).

    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    layer([["a", "c", "d"], ["d", "z", "b"]])     # [[1, 3, 4], [4, 0, 2]]: "z" is OOV

With ``invert=True`` it maps indices back to strings (as bytes, like Keras's output).
"""

import numpy

from kerlite.layers.preprocessing.lookup.host_layer import host_tensor, to_host
from kerlite.layers.preprocessing.lookup.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """``keras.layers.StringLookup``: a vocabulary lookup for strings.

    Args:
        max_tokens: the largest vocabulary ``adapt`` may learn, mask and OOV included.
        num_oov_indices: indices reserved for unknown strings (0: unknown strings are
            an error). More than 1 is not supported: Keras spreads unknown strings over
            them with FarmHash, which kerlite does not implement.
        mask_token: a string for padding; it maps to index 0 in "int" mode and is
            dropped in the other modes.
        oov_token: what ``invert=True`` returns for unknown indices ("[UNK]").
        vocabulary: a list/array of strings or the path of a file with one per line.
        idf_weights: for "tf_idf": one weight per vocabulary entry.
        invert: map indices to strings instead.
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
        pad_to_max_tokens: make vector outputs ``max_tokens`` long.
        sparse: must be False (kerlite has no sparse tensors).
        encoding: how bytes inputs are decoded and inverted outputs encoded.
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 salt=None, **kwargs):
        oov_method = kwargs.pop("oov_method", "floormod")
        if num_oov_indices > 1 or salt is not None or oov_method != "floormod":
            raise ValueError(
                "StringLookup: num_oov_indices > 1 (and `salt`/`oov_method`) is not "
                "supported: Keras spreads unknown strings over the OOV indices with "
                "FarmHash, which kerlite does not implement. Received: "
                f"num_oov_indices={num_oov_indices}, salt={salt}, oov_method={oov_method}.")
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name,
                         **kwargs)

    def _token_from(self, value):
        return value.decode(self.encoding) if isinstance(value, bytes) else str(value)

    def _tokens_array(self, inputs):
        array = to_host(inputs)
        if array.dtype.kind == "U":
            return array
        if array.dtype.kind == "S":
            return numpy.char.decode(array, self.encoding)
        if array.dtype.kind == "O":
            return numpy.vectorize(self._token_from, otypes=[str])(array) if array.size \
                else array.astype(str)
        raise ValueError(
            f"Layer '{self.name}' (StringLookup) expects strings, but received an array of "
            f"dtype {array.dtype}. For integer tokens use IntegerLookup; to turn indices "
            "back into strings use StringLookup(..., invert=True).")

    def _oov_buckets(self, oov_tokens):
        return numpy.zeros(len(oov_tokens), dtype="int64")  # one OOV index only

    def _inverted_output(self, tokens):
        return host_tensor(numpy.vectorize(lambda t: t.encode(self.encoding),
                                           otypes=[object])(tokens) if tokens.size else tokens)

    def _inverted_dtype(self):
        return "string"

    def get_config(self):
        config = super().get_config()
        config.update({"encoding": self.encoding, "oov_method": "floormod", "salt": None})
        return config
