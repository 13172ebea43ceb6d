"""KerasTensor: a symbolic placeholder with a shape and a dtype, but no values.

``keras.Input(shape=(784,))`` returns one. Calling a layer on it records a ``Node`` and
returns new KerasTensors, so a model is described before any number is computed.
Python operators (``x + y``, ``x * 2``, ``-x``, ``x[:, 0]``) work too: each one is run
by a small operation (see ``symbolic_ops.py``) so it becomes part of the graph.
"""

from kerlite import arrays
from kerlite.common import naming
from kerlite.graph import symbolic_ops

_SYMBOLIC_HELP = (
    "A KerasTensor is symbolic: it is a placeholder for a shape and a dtype, used to "
    "build a functional model; it has no numerical value yet. "
)


class KerasTensor:
    """A symbolic tensor of the functional API (as ``keras.KerasTensor``).

    Args:
        shape: a tuple; ``None`` marks an unknown size (the batch axis, usually).
        dtype: a dtype name, ``"float32"`` by default.
        sparse: kept for Keras compatibility (always dense in kerlite).
        name: a unique name, ``keras_tensor``, ``keras_tensor_1``... by default.
    """

    __array_ufunc__ = None  # `numpy_array + x` defers to KerasTensor.__radd__

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None):
        if isinstance(shape, int):
            shape = (shape,)
        try:
            self.shape = tuple(None if n is None else int(n) for n in shape)
        except TypeError as error:
            raise ValueError(
                "A KerasTensor's shape must be a tuple of ints or None. "
                f"Received: shape={shape!r}"
            ) from error
        self.dtype = arrays.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or naming.unique_name("keras_tensor")
        self._keras_history = None  # (layer, node_index, tensor_index), set by Node
        # The mask of the values this tensor stands for (a bool KerasTensor), set by the
        # layer that made it from its compute_mask, e.g. Embedding(mask_zero=True).
        self._keras_mask = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
            f"sparse={self.sparse}, ragged={self.ragged}, name={self.name}>"
        )

    # --- what a symbolic tensor refuses to do --------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise ValueError(
            _SYMBOLIC_HELP + "You cannot convert it to a NumPy array. To get numbers, "
            "build a model and call it on data: `keras.Model(inputs, outputs)(x)` or "
            "`model.predict(x)`."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor cannot be used as a boolean (in `if`, `and`, `or`, "
            "`while`). " + _SYMBOLIC_HELP + "Use a layer or `keras.ops.where`/"
            "`keras.ops.cond` inside a layer's `call` instead."
        )

    def __len__(self):
        raise TypeError(
            _SYMBOLIC_HELP + "len() is not defined for it; use `x.shape[0]` "
            "(which is None for the batch axis)."
        )

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported. "
            "Use `x[i]` or `keras.ops.unstack(x)` inside a layer instead."
        )

    def __int__(self):
        raise ValueError(_SYMBOLIC_HELP + "You cannot convert it to an int.")

    def __float__(self):
        raise ValueError(_SYMBOLIC_HELP + "You cannot convert it to a float.")

    # --- Python operators build graph nodes ------------------------------------------
    def __add__(self, other):
        return _op("add", self, other)

    def __radd__(self, other):
        return _op("add", other, self)

    def __sub__(self, other):
        return _op("subtract", self, other)

    def __rsub__(self, other):
        return _op("subtract", other, self)

    def __mul__(self, other):
        return _op("multiply", self, other)

    def __rmul__(self, other):
        return _op("multiply", other, self)

    def __truediv__(self, other):
        return _op("divide", self, other)

    def __rtruediv__(self, other):
        return _op("divide", other, self)

    def __pow__(self, other):
        return _op("power", self, other)

    def __rpow__(self, other):
        return _op("power", other, self)

    def __matmul__(self, other):
        return _op("matmul", self, other)

    def __rmatmul__(self, other):
        return _op("matmul", other, self)

    def __neg__(self):
        return _op("negative", self)

    def __abs__(self):
        return _op("abs", self)

    def __getitem__(self, key):
        return _op("get_item", self, key)

    def __lt__(self, other):
        return _op("less", self, other)

    def __le__(self, other):
        return _op("less_equal", self, other)

    def __gt__(self, other):
        return _op("greater", self, other)

    def __ge__(self, other):
        return _op("greater_equal", self, other)

    def __ne__(self, other):
        return _op("not_equal", self, other)

    # As in Keras 3, `==` is identity, so `assert layer.output == encoded` works.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def reshape(self, newshape):
        return _op("reshape", self, newshape)

    def astype(self, dtype):
        return _op("cast", self, dtype)


def _op(name, *args):
    return symbolic_ops.symbolic_op(name, *args)


def is_keras_tensor(value):
    """True for a symbolic KerasTensor (as ``keras.KerasTensor`` isinstance check)."""
    return isinstance(value, KerasTensor)


def any_symbolic(structure):
    """True if a KerasTensor appears anywhere in ``structure`` (lists, tuples, dicts)."""
    if isinstance(structure, KerasTensor):
        return True
    if isinstance(structure, (list, tuple)):
        return any(any_symbolic(item) for item in structure)
    if isinstance(structure, dict):
        return any(any_symbolic(item) for item in structure.values())
    return False
