"""IntegerLookup: arbitrary integer ids -> contiguous indices (or encoded vectors).

    layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    layer(np.array([[12, 1138, 42], [42, 1000, 36]]))   # [[1, 3, 4], [4, 0, 2]]

Useful for ids such as user or product numbers, before an ``Embedding``.
"""

import numpy

from kerlite.layers.preprocessing.lookup.host_layer import to_host
from kerlite.layers.preprocessing.lookup.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """``keras.layers.IntegerLookup``: a vocabulary lookup for integers.

    The arguments are StringLookup's, with integer tokens: ``oov_token=-1`` and
    ``mask_token=None`` by default (``mask_token=0`` makes 0 the padding id). With
    ``num_oov_indices > 1`` an unknown id ``t`` goes to OOV index ``t % num_oov_indices``
    (Keras's default ``oov_method="floormod"``; "farmhash" and ``salt`` are not
    supported).
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError("IntegerLookup: only vocabulary_dtype='int64' is supported. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        if oov_method != "floormod" or salt is not None:
            raise ValueError(
                "IntegerLookup: oov_method='farmhash' and `salt` are not supported (Keras "
                "hashes with FarmHash/SipHash, which kerlite does not implement). Use "
                f"oov_method='floormod'. Received: oov_method={oov_method!r}, salt={salt}.")
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token),
                         vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    def _token_from(self, value):
        return int(value)

    def _tokens_array(self, inputs):
        array = to_host(inputs)
        if array.dtype.kind in "iub":
            return array.astype("int64")
        if array.dtype.kind == "f" and numpy.array_equal(array, numpy.round(array)):
            return array.astype("int64")
        raise ValueError(
            f"Layer '{self.name}' (IntegerLookup) expects integers, but received an array "
            f"of dtype {array.dtype}. For strings use StringLookup.")

    def _oov_buckets(self, oov_tokens):
        return numpy.mod(oov_tokens, self.num_oov_indices).astype("int64")

    def _inverted_output(self, tokens):
        return super()._inverted_output(tokens.astype("int64"))

    def _inverted_dtype(self):
        return "int64"

    def get_config(self):
        config = super().get_config()
        config.update({"vocabulary_dtype": self.vocabulary_dtype,
                       "oov_method": self.oov_method, "salt": None})
        return config
