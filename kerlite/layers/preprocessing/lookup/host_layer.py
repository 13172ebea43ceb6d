"""HostLayer: the base of the lookup and text layers, which compute with NumPy on the host.

Strings cannot live on a GPU and a vocabulary is a Python dict, so these layers bring
their inputs back to NumPy, work there, and return Tensors on the active backend. Like
Keras's preprocessing layers they also take plain Python lists and scalars:
``StringLookup(vocabulary=["a", "b"])(["a", "z"])``.
"""

import numpy

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.layer import Layer


def to_host(value, what="inputs"):
    """``value`` (list, scalar, array or Tensor) as a NumPy array on the host."""
    if isinstance(value, Tensor):
        return arrays.to_numpy(value.data)
    if isinstance(value, numpy.ndarray):
        return value
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # CuPy or another library
        return arrays.to_numpy(value) if hasattr(value, "get") else numpy.asarray(value)
    try:
        return numpy.asarray(value)
    except ValueError as error:
        raise ValueError(
            f"Could not turn the {what} into an array ({error}). Every row must have the "
            "same length: pad the rows, or pass one string per sample to "
            "TextVectorization, which splits them itself."
        ) from error


def host_tensor(array):
    """Wrap a NumPy result: numbers go to the active backend, strings stay on the host."""
    if array.dtype.kind in "OSU":
        return Tensor(array)
    return Tensor(arrays.convert_to_array(array))


def batches_of(data, steps=None):
    """What ``adapt`` reads: an array or list is one batch; any other iterable (a
    generator, a ``PyDataset``...) yields batches, at most ``steps`` of them."""
    if isinstance(data, (list, tuple, numpy.ndarray, Tensor, str, bytes)) or not hasattr(
            data, "__iter__"):
        return [data], True

    def limited():
        for index, batch in enumerate(data):
            if steps is not None and index >= steps:
                return
            yield batch
    return limited(), False


class HostLayer(Layer):
    """A layer without weights whose ``call`` gets its inputs unchanged (no float cast)."""

    def __init__(self, **kwargs):
        super().__init__(autocast=False, **kwargs)
        self.built = True

    def __call__(self, *args, **kwargs):
        if args and not isinstance(args[0], (Tensor, KerasTensor)):
            args = (Tensor(to_host(args[0])),) + args[1:]
        elif not args and "inputs" in kwargs and not isinstance(
                kwargs["inputs"], (Tensor, KerasTensor)):
            kwargs["inputs"] = Tensor(to_host(kwargs["inputs"]))
        return super().__call__(*args, **kwargs)
