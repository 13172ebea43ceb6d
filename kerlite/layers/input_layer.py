"""Input and InputLayer: where a functional model's data comes in.

``keras.Input(shape=(784,))`` makes an ``InputLayer`` and returns its symbolic output, a
``KerasTensor`` of shape ``(None, 784)`` (None: any batch size).
"""

import warnings

from kerlite import arrays
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.graph.node import Node
from kerlite.layers.layer import Layer


def _standardize_shape(shape, argument):
    """``shape`` as a tuple of positive ints and Nones, or a ValueError naming it.

    Keras's messages ("Negative dimensions are not allowed", "Found invalid dimension"),
    with the fix. kerlite also refuses a size of 0 (Keras accepts it): an axis of size 0
    holds no data, so such an Input is always a mistake.
    """
    if isinstance(shape, int) and not isinstance(shape, bool):
        warnings.warn(
            f"`{argument}={shape}` is Keras 2 style (an int); Keras 3 expects a tuple: "
            f"use `{argument}=({shape},)`.", DeprecationWarning, stacklevel=4)
        shape = (shape,)
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__iter__"):
        raise ValueError(
            f"Cannot convert {shape!r} to a shape: `{argument}` must be a tuple of ints "
            "(None for an unknown size), e.g. shape=(784,).")
    sizes = []
    for size in shape:
        if size is None:
            sizes.append(None)
            continue
        if isinstance(size, bool) or not hasattr(size, "__index__"):
            raise ValueError(
                f"Cannot convert {tuple(shape)!r} to a shape. Found invalid dimension "
                f"{size!r} of type {type(size).__name__}: each size in `{argument}` must "
                "be an int (or None for an unknown size), e.g. shape=(28, 28).")
        size = int(size)
        if size <= 0:
            problem = ("Negative dimensions are not allowed" if size < 0 else
                       "A dimension of size 0 holds no data")
            raise ValueError(
                f"Cannot convert {tuple(shape)!r} to a shape. {problem}: each size in "
                f"`{argument}` must be a positive int, or None for a size known only "
                "when data arrives (e.g. shape=(None, 3) for sequences of any length).")
        sizes.append(size)
    return tuple(sizes)


class InputLayer(Layer):
    """The layer behind ``keras.Input``: it has no weights and one node with no inputs."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.",
                          DeprecationWarning, stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    "Argument `input_tensor` must be a KerasTensor. Received invalid "
                    f"type: input_tensor={input_tensor!r} (of type "
                    f"{type(input_tensor).__name__})")
            batch_shape, dtype = input_tensor.shape, input_tensor.dtype
        else:
            if shape is not None and batch_shape is not None:
                raise ValueError(
                    "You cannot pass both `shape` and `batch_shape` at the same time.")
            if batch_size is not None and batch_shape is not None:
                raise ValueError(
                    "You cannot pass both `batch_size` and `batch_shape` at the same time.")
            if shape is None and batch_shape is None:
                raise ValueError(
                    "You must pass a `shape` argument, e.g. keras.Input(shape=(784,)).")
            if shape is not None:
                batch_shape = (batch_size,) + _standardize_shape(shape, "shape")
            else:
                batch_shape = _standardize_shape(batch_shape, "batch_shape")
            input_tensor = KerasTensor(batch_shape, dtype=dtype or arrays.floatx(),
                                       sparse=bool(sparse), name=name)
        self._batch_shape = tuple(batch_shape)
        self._dtype = arrays.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)
        self.built = True

    def call(self):
        return None

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def input(self):
        return self._input_tensor

    @property
    def input_shape(self):
        return self._batch_shape

    def get_config(self):
        return {"batch_shape": self._batch_shape, "dtype": self._dtype,
                "sparse": self.sparse, "ragged": self.ragged, "name": self.name,
                "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
          batch_shape=None, name=None, tensor=None, optional=False):
    """A symbolic input for a functional model (as ``keras.Input``).

    Args:
        shape: the shape of one sample, without the batch axis: ``(784,)``,
            ``(28, 28, 1)``. (``Input(784)``, an int, is accepted with a warning.)
        batch_size: a fixed batch size, if any.
        dtype: ``"float32"`` unless given (``"int32"`` for token ids...).
        batch_shape: the full shape with the batch axis, instead of ``shape``.
        name: a unique name; it names the model's input (for dict inputs).
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
                       optional=optional, name=name)
    return layer.output
