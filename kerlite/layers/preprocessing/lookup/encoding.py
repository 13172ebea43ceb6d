"""Turn integer indices into one_hot, multi_hot or count vectors (NumPy, on the host).

Shared by CategoryEncoding, Discretization and the lookup layers. The shapes follow
Keras 3:

- ``"one_hot"``: every element becomes a vector of ``depth``; a last axis of size 1 is
  replaced, any other last axis gets a new axis after it. (n,) -> (n, depth).
- ``"multi_hot"`` / ``"count"``: the last axis is one sample: (n,) -> (depth,) and
  (batch, n) -> (batch, depth), with a 1 (multi_hot) or the number of times (count) for
  each index present. Inputs of rank 3 or more are refused, as Keras supports only
  outputs up to rank 2 for them.

Negative indices are skipped: the lookup layers mark masked positions with -1.
"""

import numpy

MODES = ("one_hot", "multi_hot", "count")


def encode(indices, output_mode, depth, dtype="float32", count_weights=None):
    """Encode the integer array ``indices`` (values below ``depth``) as ``output_mode``."""
    indices = numpy.asarray(indices)
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        return _one_hot(indices, depth, dtype)
    if indices.ndim > 2:
        raise ValueError(
            f'output_mode="{output_mode}" supports inputs of rank 1 or 2 (the last axis '
            f"is one sample), but received an input of shape {indices.shape}. Reshape it "
            "to (batch, sample_length) first."
        )
    rows = indices.reshape(1, -1) if indices.ndim == 1 else indices
    if count_weights is not None:
        count_weights = numpy.asarray(count_weights)
        if count_weights.size != rows.size:
            raise ValueError(
                "`count_weights` must have the same shape as the inputs (one weight per "
                f"index). Received: count_weights.shape={count_weights.shape} for inputs "
                f"of shape {indices.shape}."
            )
        dtype = count_weights.dtype
        weights = count_weights.reshape(rows.shape)
    else:
        weights = numpy.ones(rows.shape, dtype=dtype)
    out = numpy.zeros((rows.shape[0], depth), dtype=dtype)
    row_ids, columns = numpy.nonzero(rows >= 0)
    numpy.add.at(out, (row_ids, rows[row_ids, columns]), weights[row_ids, columns])
    if output_mode == "multi_hot":
        out = (out > 0).astype(dtype)
    return out[0] if indices.ndim == 1 else out


def encoded_shape(input_shape, output_mode, depth):
    """The output shape of ``encode`` for inputs of ``input_shape`` (None: unknown sizes).

    "int" keeps the shape; "one_hot" adds a last axis of ``depth`` (replacing a last axis
    of 1); the other modes replace the last axis (one row of counts per sample).
    """
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


def encode_rows(rows, output_mode, depth, dtype="float32"):
    """multi_hot/count for samples of different lengths (a list of 1-D index arrays)."""
    out = numpy.zeros((len(rows), depth), dtype=dtype)
    for row_id, row in enumerate(rows):
        row = numpy.asarray(row, dtype="int64")
        numpy.add.at(out[row_id], row[row >= 0], 1)
    if output_mode == "multi_hot":
        out = (out > 0).astype(dtype)
    return out


def _one_hot(indices, depth, dtype):
    out = numpy.zeros(indices.shape + (depth,), dtype=dtype)
    flat = out.reshape(-1, depth)
    positions = numpy.flatnonzero(indices.reshape(-1) >= 0)
    flat[positions, indices.reshape(-1)[positions]] = 1
    return out
