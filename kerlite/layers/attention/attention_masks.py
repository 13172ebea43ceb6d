"""Masks for attention: which (query, key) pairs may attend, and the masked softmax.

A mask is a boolean array, True where attention is allowed. Masks carry no gradient,
so they are plain NumPy/CuPy arrays; only the scores go through ``kerlite.ops``.
"""

from kerlite import arrays, ops
from kerlite.graph.keras_tensor import KerasTensor


def large_negative(dtype):
    """Stands in for -inf before a softmax (Keras's values; float16 stops at 65504)."""
    return -3e4 if str(dtype) == "float16" else -1e9


def as_bool(mask):
    """A Tensor, array or nested list as a boolean array (nonzero means True), or None."""
    if mask is None:
        return None
    if isinstance(mask, KerasTensor):  # a symbolic mask stays symbolic (a graph node)
        return mask if mask.dtype == "bool" else ops.cast(mask, "bool")
    return arrays.convert_to_array(mask).astype(bool)  # on the backend's device


def both(mask_a, mask_b):
    """Logical AND of two optional masks (broadcasting); None means "all allowed"."""
    if mask_a is None:
        return mask_b
    if mask_b is None:
        return mask_a
    return mask_a & mask_b


def causal_mask(query_length, key_length):
    """(1, T, S): query step i may see key steps j <= i (a lower triangle)."""
    xp = arrays.get_array_module()
    return xp.tril(xp.ones((query_length, key_length), dtype=bool))[None]


def band_mask(query_length, key_length, width):
    """(1, T, S): query step i may see key steps j with |i - j| < width."""
    xp = arrays.get_array_module()
    distance = xp.arange(query_length)[:, None] - xp.arange(key_length)[None, :]
    return (xp.abs(distance) < width)[None]


def masked_softmax(scores, mask=None, axis=-1):
    """Softmax of ``scores`` over ``axis`` where ``mask`` allows, 0 elsewhere.

    Disallowed scores become a large negative number before the softmax, and the
    probabilities are zeroed after it, so a row with nothing allowed is all zeros.
    """
    if mask is None:
        return ops.softmax(scores, axis=axis)
    scores = ops.where(mask, scores, large_negative(scores.dtype))
    return ops.where(mask, ops.softmax(scores, axis=axis), 0.0)
