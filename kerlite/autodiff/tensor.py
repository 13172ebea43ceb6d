"""Tensor: a backend array that remembers how it was computed, while recording is on.

The graph lives on the tensors (micrograd's idea): a recorded result keeps its input
tensors in ``_parents`` and a ``_backward(grad)`` function that returns one gradient per
parent. Nothing is recorded outside a ``GradientTape`` (or a training step), so
inference pays only for the arithmetic.
"""

from kerlite import arrays


class _Recording:
    """How many tapes (or training steps) are recording right now."""

    depth = 0


def is_recording():
    return _Recording.depth > 0


class Tensor:
    """An array on the active backend, with NumPy-style operators that record gradients.

    ``data`` is the raw NumPy (or CuPy) array. Use ``numpy()`` or ``np.asarray(t)`` to
    get a NumPy array back.
    """

    # _keras_mask: set by a layer on its output (Embedding(mask_zero=True), Masking...);
    # read with getattr(t, "_keras_mask", None) by the layers that come after it.
    __slots__ = ("data", "_parents", "_backward", "_needs_grad", "_keras_mask", "__weakref__")
    __array_priority__ = 100  # NumPy defers `array + tensor` to Tensor.__radd__

    def __init__(self, data, parents=(), backward=None):
        self.data = data
        self._parents = parents
        self._backward = backward
        self._needs_grad = backward is not None
        self._keras_mask = None

    # --- array-like behaviour -------------------------------------------------------
    @property
    def shape(self):
        return tuple(self.data.shape)

    @property
    def dtype(self):
        return arrays.standardize_dtype(self.data.dtype)

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return int(self.data.size)

    @property
    def T(self):
        return _ops().transpose(self)

    def numpy(self):
        """A NumPy copy of the values (from the GPU if needed)."""
        return arrays.to_numpy(self.data)

    def __array__(self, dtype=None, copy=None):
        array = arrays.to_numpy(self.data)
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)  # a new array already
        return array.copy() if copy else array  # np.array(t) asks for a copy

    def item(self):
        return self.data.item()

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a scalar) is undefined.")
        return self.data.shape[0]

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __index__(self):
        return int(self.data)

    def __bool__(self):
        return bool(self.data)

    def __repr__(self):
        body = repr(arrays.to_numpy(self.data)).replace("array(", "", 1)
        body = body[:-1].replace(f", dtype={self.dtype}", "")  # dtype is shown already
        return f"<Tensor shape={self.shape}, dtype={self.dtype}, {body}>"

    __hash__ = object.__hash__

    def astype(self, dtype):
        return _ops().cast(self, dtype)

    def reshape(self, *shape):
        return _ops().reshape(self, shape[0] if len(shape) == 1 else shape)

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    # --- Python operators: each is the kerlite.ops function of the same meaning ----------
    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().divide(self, other)

    def __rtruediv__(self, other):
        return _ops().divide(other, self)

    def __floordiv__(self, other):
        return _ops().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops().floor_divide(other, self)

    def __mod__(self, other):
        return _ops().mod(self, other)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops().abs(self)

    def __eq__(self, other):
        return _ops().equal(self, other)

    def __ne__(self, other):
        return _ops().not_equal(self, other)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __and__(self, other):
        return _ops().logical_and(self, other)

    def __or__(self, other):
        return _ops().logical_or(self, other)

    def __invert__(self):
        return _ops().logical_not(self)


# Tensor's operators are kerlite.ops functions, but autodiff sits below ops in the import
# order: kerlite/ops/__init__.py hands its functions over when it is imported
# (``use_ops``), so this module never imports ops. ``import kerlite`` always does that.
_OPS = []


def use_ops(namespace):
    """Called once by ``kerlite.ops``: the functions Tensor's operators run (``add`` for
    ``a + b``, ``matmul`` for ``a @ b``, ``get_item`` for ``a[i]``...)."""
    _OPS[:] = [namespace]


def _ops():
    if not _OPS:
        raise RuntimeError("A Tensor's operators need kerlite.ops: run `import kerlite` "
                           "before using them.")
    return _OPS[0]


def array_of(value):
    """The array inside a Tensor, or ``value`` itself (an array or a number).

    Not ``getattr(value, "data", value)``: a CuPy array has a ``.data`` of its own (a
    pointer to its GPU memory).
    """
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value, like=None):
    """Wrap ``value`` as a Tensor; Python numbers take the dtype of ``like``.

    Keeps float32 float32: ``x * 2.0`` must not become float64.
    """
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, (int, float, bool)):
        kind = like.data.dtype.kind
        if kind in "fc" or (kind in "iu" and not isinstance(value, float)):
            return Tensor(like.data.dtype.type(value))
    return Tensor(arrays.convert_to_array(value))


def keeps_backward(parents):
    """True if ``record`` keeps the backward pass of an op on ``parents``: a tape is
    recording and one of them needs a gradient. An op may skip what only backward uses."""
    return _Recording.depth > 0 and any(parent._needs_grad for parent in parents)


def record(data, parents, backward):
    """The result of an op: keeps ``backward`` only if some parent needs a gradient."""
    if keeps_backward(parents):
        return Tensor(data, parents, backward)
    return Tensor(data)
