"""Small helpers shared by the ops: turning inputs into tensors, undoing broadcasting."""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor


def tensors(x1, x2):
    """Both operands as Tensors of one kind: a Python number takes the other operand's
    dtype, and an integer tensor meeting a float tensor becomes that float type (Keras's
    rule: int32 + float32 is float32, where NumPy would give float64).
    """
    if isinstance(x1, Tensor):
        a, b = x1, as_tensor(x2, like=x1)
    else:
        b = as_tensor(x2)
        a = as_tensor(x1, like=b)
    type_a, type_b = a.data.dtype, b.data.dtype
    if type_a != type_b:
        if type_a.kind == "f" and type_b.kind in "iub":
            b = Tensor(b.data.astype(type_a))
        elif type_b.kind == "f" and type_a.kind in "iub":
            a = Tensor(a.data.astype(type_b))
    return a, b


def float_tensor(x):
    """``x`` as a Tensor with a float dtype: integers and booleans become ``floatx()``.

    Used by ops such as ``exp`` or ``sigmoid`` whose result is never an integer (as in
    Keras, ``ops.exp(int32 tensor)`` is float32, not NumPy's float64).
    """
    x = as_tensor(x)
    if x.data.dtype.kind in "fc":
        return x
    from kerlite.ops.core import cast

    return cast(x, arrays.floatx())


def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``.

    If ``y = x + b`` broadcast ``b`` from ``shape``, then ``dL/db`` is ``dL/dy`` summed
    over those axes.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def normalize_axis(axis, ndim):
    """``axis`` (None, int or sequence, negatives allowed) as a tuple of positive ints."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    for a in axis:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(
                f"axis {a} is out of bounds for a tensor of rank {ndim}. "
                f"Use an axis in [{-ndim}, {ndim - 1}]."
            )
    return tuple(a % ndim if ndim else 0 for a in axis)


def scalar(value, like):
    """A Python number as a NumPy/CuPy scalar of ``like``'s dtype (keeps float32 float32)."""
    return like.dtype.type(value)


def ops_under_another_name(module_name, names):
    """``__getattr__`` and ``__dir__`` for a module that offers some ``kerlite.ops``
    functions under Keras's second spelling (``keras.ops.nn.relu`` is ``ops.relu``);
    the functions are looked up on first use, once ``kerlite.ops`` is complete."""
    import sys

    def __getattr__(name):
        if name in names:
            from kerlite import ops

            return getattr(ops, name)
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__():
        return sorted(list(vars(sys.modules[module_name])) + list(names))

    return __getattr__, __dir__
