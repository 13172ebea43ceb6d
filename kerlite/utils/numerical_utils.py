"""Label and array helpers used while preparing data: ``to_categorical``, ``normalize``.

These run at the edge of the library, on host data, before it meets a model. NumPy in,
NumPy out (as in Keras); a kerlite ``Tensor`` in gives a ``Tensor`` out.
"""

import numpy

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def to_categorical(x, num_classes=None):
    """Turn integer class labels into one-hot rows ("binary class matrix").

    ``to_categorical([0, 2], 3)`` -> ``[[1, 0, 0], [0, 0, 1]]``. A trailing axis of
    size 1 (labels shaped ``(n, 1)``, as ``cifar10.load_data()`` returns them) is
    dropped first, so the result is ``(n, num_classes)``; the class axis is last.

    Args:
        x: array-like of integers in ``[0, num_classes)``.
        num_classes: number of classes; ``None`` means ``max(x) + 1``.

    Returns:
        A float64 NumPy array for NumPy/list input (as Keras), or a float32 ``Tensor``
        for ``Tensor`` input.
    """
    was_tensor = _is_tensor(x)
    labels = numpy.asarray(arrays.to_numpy(x) if was_tensor else x)
    if labels.dtype.kind == "f" and not numpy.all(labels == numpy.round(labels)):
        raise ValueError(
            "to_categorical expects integer class labels, but received "
            f"non-integer values (e.g. {labels.ravel()[labels.ravel() % 1 != 0][0]}). "
            "Round or map your labels to 0 .. num_classes-1 first."
        )
    labels = labels.astype("int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    if not num_classes:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    if flat.size and (flat.min() < 0 or flat.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must lie in [0, {num_classes}), but received "
            f"labels from {flat.min()} to {flat.max()} with num_classes={num_classes}. "
            "Pass a larger num_classes or fix the labels."
        )
    one_hot = numpy.zeros((flat.size, num_classes))
    one_hot[numpy.arange(flat.size), flat] = 1.0
    one_hot = one_hot.reshape(shape + (num_classes,))
    if was_tensor:
        return Tensor(arrays.convert_to_array(one_hot, arrays.floatx()))
    return one_hot


def normalize(x, axis=-1, order=2):
    """Scale ``x`` so each slice along ``axis`` has unit ``order``-norm.

    ``x / ||x||_order``; slices whose norm is 0 are left unchanged (NumPy input) or
    divided by ``epsilon()`` at most (``Tensor`` input), so nothing becomes NaN.

    Args:
        x: NumPy array or kerlite ``Tensor``.
        axis: axis along which to normalize.
        order: the norm's order (``2`` is the Euclidean length).
    """
    if not _is_tensor(x):
        x = numpy.asarray(x)
        norm = numpy.atleast_1d(numpy.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / numpy.expand_dims(norm, axis if axis is not None else -1)

    from kerlite import ops

    if order == 2:
        norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    else:
        powered = ops.power(ops.abs(x), order)
        norm = ops.power(ops.sum(powered, axis=axis, keepdims=True), 1.0 / order)
    return ops.divide(x, ops.clip(norm, arrays.epsilon(), float("inf")))
