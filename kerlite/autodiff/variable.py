"""Variable: a named, mutable Tensor that holds a layer weight or an optimizer slot."""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor


class Variable(Tensor):
    """A tensor whose value is changed in place by ``assign`` (as ``keras.Variable``).

    Trainable variables are watched automatically by every ``GradientTape``.

    Args:
        initializer: initial value (array-like) or an initializer (string, or callable
            ``(shape, dtype) -> array``) used together with ``shape``.
        shape: the shape, when ``initializer`` is a callable or a name.
        dtype: defaults to ``floatx()``.
        trainable: whether optimizers update it and tapes watch it.
        name: a readable name (``"kernel"``, ``"bias"``...).
    """

    __slots__ = ("name", "path", "_trainable", "regularizer", "constraint")

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None):
        if callable(initializer) or isinstance(initializer, str):
            if shape is None:
                raise ValueError(
                    "A Variable created from an initializer needs a shape. "
                    f"Received: initializer={initializer!r}, shape=None"
                )
            if isinstance(initializer, str):
                initializer = _initializer_named(initializer)
            value = initializer(tuple(shape), dtype=arrays.standardize_dtype(dtype))
        else:
            value = initializer
        # As in Keras, a Variable is floatx() unless another dtype is asked for.
        data = arrays.convert_to_array(value, arrays.standardize_dtype(dtype))
        if shape is not None and tuple(data.shape) != tuple(shape):
            raise ValueError(
                f"Variable {name!r}: the initial value has shape {tuple(data.shape)} "
                f"but shape={tuple(shape)} was requested."
            )
        shares_caller_array = data is (value.data if isinstance(value, Tensor) else value)
        read_only = not getattr(data.flags, "writeable", True)  # CuPy arrays have no such flag
        if shares_caller_array or data.dtype.kind in "iub" or read_only or data.base is not None:
            data = data.copy()
        super().__init__(data)
        self.name = name or "variable"
        self.path = self.name
        self.trainable = trainable
        self.regularizer = None
        self.constraint = None

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self._needs_grad = self._trainable and self.data.dtype.kind == "f"

    @property
    def value(self):
        """The current value (this variable itself, so gradients still flow)."""
        return self

    def numpy(self):
        """A NumPy copy of the current values: a later ``assign`` does not change it."""
        return arrays.to_numpy(self.data).copy()

    def __array__(self, dtype=None, copy=None):
        # The data changes in place on `assign`, so NumPy always gets a snapshot, as from
        # Keras's variables (whose arrays are immutable): `np.array(layer.kernel)` taken
        # before training must still hold the old values after it.
        snapshot = self.numpy()
        return snapshot.astype(dtype, copy=False) if dtype is not None else snapshot

    def assign(self, value):
        """Replace the values in place; the shape must stay the same."""
        new = arrays.convert_to_array(value, self.data.dtype)
        if tuple(new.shape) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(new.shape)} to variable "
                f"{self.path!r} of shape {self.shape}."
            )
        self.data[...] = new
        return self

    def assign_add(self, value):
        self.data += arrays.convert_to_array(value, self.data.dtype)
        return self

    def assign_sub(self, value):
        self.data -= arrays.convert_to_array(value, self.data.dtype)
        return self

    def __repr__(self):
        body = repr(self.numpy()).replace("array(", "", 1)[:-1]
        body = body.replace(f", dtype={self.dtype}", "")  # dtype is shown already
        return (
            f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
            f"value={body}>"
        )


# An initializer may be given by name ("zeros", "glorot_uniform"), as in Keras. The names
# live in kerlite.initializers, above autodiff in the import order: that package hands
# its lookup over when it is imported (``use_initializer_lookup``), so this module never
# imports it. ``import kerlite`` always does.
_INITIALIZER_LOOKUP = []


def use_initializer_lookup(get):
    """Called once by ``kerlite.initializers`` with its ``get`` (name -> initializer)."""
    _INITIALIZER_LOOKUP[:] = [get]


def _initializer_named(name):
    if not _INITIALIZER_LOOKUP:
        raise RuntimeError(f"The initializer {name!r} is given by name, which needs "
                           "kerlite.initializers: run `import kerlite` first.")
    return _INITIALIZER_LOOKUP[0](name)
