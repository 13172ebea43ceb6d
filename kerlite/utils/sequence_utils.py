"""``pad_sequences``: turn a list of variable-length sequences into one rectangular array.

Host-side data preparation (plain NumPy), done before the data reaches a model.
"""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pad (or cut) every sequence to the same length, as ``keras.utils.pad_sequences``.

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)

    Args:
        sequences: a list of sequences (lists or arrays; items may be vectors).
        maxlen: the length of the result; default: the longest sequence.
        dtype: dtype of the result (``object`` for strings).
        padding: ``"pre"`` (default) or ``"post"``: where the ``value`` fill goes.
        truncating: ``"pre"`` (default) or ``"post"``: which end of a too-long sequence
            is dropped.
        value: the fill value.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + item_shape``.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "`sequences` must be a list (or other sized iterable) of sequences. "
            f"Received: {type(sequences).__name__}"
        )
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood: use "pre" or "post".')
    if truncating not in ("pre", "post"):
        raise ValueError(
            f'Truncating type "{truncating}" not understood: use "pre" or "post".'
        )
    lengths, item_shape = [], None
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise ValueError(
                "`sequences` must be a list of iterables. "
                f"Found non-iterable at position {index}: {sequence!r}"
            )
        lengths.append(len(sequence))
        if item_shape is None and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with the string padding value {value!r}. "
            "Use dtype=object for variable-length strings."
        )
    result = np.full((len(sequences), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return result
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(
                f"Sequence at position {index} has items of shape {kept.shape[1:]}, but "
                f"the first non-empty sequence has items of shape {tuple(item_shape)}."
            )
        if padding == "post":
            result[index, :len(kept)] = kept
        else:
            result[index, maxlen - len(kept):] = kept
    return result
