"""CategoryEncoding: integer categories (already 0..num_tokens-1) -> one/multi-hot vectors.

    keras.layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])

For raw ids that are not yet 0..n-1 (user ids, strings) use IntegerLookup or
StringLookup, which have the same output modes.
"""

import numpy

from kerlite.layers.preprocessing.lookup import encoding
from kerlite.layers.preprocessing.lookup.host_layer import HostLayer, host_tensor, to_host
from kerlite.layers.sample_size_limit import check_sample_size


class CategoryEncoding(HostLayer):
    """``keras.layers.CategoryEncoding(num_tokens, output_mode="multi_hot")``.

    Args:
        num_tokens: the number of categories; every input must be in ``[0, num_tokens)``
            (kerlite raises a ValueError otherwise).
        output_mode: "one_hot" (one vector per element), "multi_hot" (one vector per
            sample, 1 where a category is present) or "count" (how many times, or the
            sum of ``count_weights``).
        sparse: must be False (kerlite has no sparse tensors).

    Call arguments:
        inputs: integers of rank 0, 1 or 2 (rank 2 for "one_hot" appends an axis).
        count_weights: "count" only: one weight per input element.
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in encoding.MODES:
            raise ValueError(f"CategoryEncoding: unknown output_mode={output_mode!r}. "
                             f"Expected one of {encoding.MODES}.")
        if num_tokens is None:
            raise ValueError("CategoryEncoding needs `num_tokens`, the number of categories. "
                             "If it is not known in advance, use IntegerLookup instead.")
        if num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be >= 1. Received: "
                             f"num_tokens={num_tokens}")
        if sparse:
            raise ValueError("CategoryEncoding: sparse=True is not supported: kerlite has no "
                             "sparse tensors. Use sparse=False.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "CategoryEncoding: `count_weights` are only used with output_mode="
                    f"'count'. Received: output_mode={self.output_mode!r}")
            count_weights = to_host(count_weights).astype(self.dtype)
        ids = to_host(inputs)
        if ids.dtype.kind not in "iub" and not (
                ids.dtype.kind == "f" and numpy.array_equal(ids, numpy.round(ids))):
            raise ValueError(f"Layer '{self.name}' (CategoryEncoding) expects integer "
                             f"categories, but received dtype {ids.dtype}.")
        ids = ids.astype("int64")
        if ids.size and (ids.min() < 0 or ids.max() >= self.num_tokens):
            raise ValueError(
                f"Layer '{self.name}' (CategoryEncoding with num_tokens={self.num_tokens}) "
                f"received values from {ids.min()} to {ids.max()}; they must be in "
                f"[0, {self.num_tokens}). Raise num_tokens or map the values with "
                "IntegerLookup first.")
        return host_tensor(encoding.encode(ids, self.output_mode, self.num_tokens,
                                           self.dtype, count_weights))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 0:
            shape = (self.num_tokens,)
        elif self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            shape = input_shape + (self.num_tokens,)
        else:
            shape = input_shape[:-1] + (self.num_tokens,)
        return check_sample_size(self, shape, f"num_tokens={self.num_tokens}")

    def compute_output_spec(self, inputs, count_weights=None):
        from kerlite.graph import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
