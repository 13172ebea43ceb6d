"""Arranging and building arrays: roll, rot90, the *stack/*split family, diag, kron,
cross, meshgrid, vander, and real/imag for real tensors.

Most are compositions of differentiable ops (take, flip, concatenate, multiply...);
``diagonal`` and ``diag`` carry their own backward rules.
"""

import builtins
import math
import numbers

from kerlite import arrays
from kerlite.autodiff.tensor import array_of, as_tensor, record, Tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import normalize_axis
from kerlite.ops.core import convert_to_tensor
from kerlite.ops import reductions as _red
from kerlite.ops.arithmetic import add, multiply, subtract
from kerlite.ops.indexing import get_item, take, where
from kerlite.ops.joining import concatenate, split, stack
from kerlite.ops.shape import flip, moveaxis, ravel, reshape, transpose


def roll(x, shift, axis=None):
    """Shift entries along ``axis`` by ``shift``, wrapping around (flattened if None)."""
    x = as_tensor(x)
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), x.shape)
    shifts = tuple(int(s) for s in shift) if hasattr(shift, "__len__") else (int(shift),)
    axes = tuple(int(a) for a in axis) if hasattr(axis, "__len__") else (int(axis),)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ValueError(f"roll: {len(shifts)} shifts for {len(axes)} axes.")
    xp = get_array_module(x.data)
    for s, a in zip(shifts, axes):
        a = normalize_axis(a, x.ndim)[0]
        n = x.shape[a]
        if n:
            x = take(x, (xp.arange(n) - int(s)) % n, axis=a)
    return x


def rot90(array, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (first towards second)."""
    x = as_tensor(array)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must be two axes, got {axes!r}.")
    a, b = normalize_axis(tuple(axes), x.ndim)
    if a == b:
        raise ValueError(f"rot90: the two axes must differ, got {axes!r}.")
    k %= 4
    if k == 0:
        return get_item(x, (Ellipsis,))
    if k == 2:
        return flip(flip(x, a), b)
    order = list(range(x.ndim))
    order[a], order[b] = order[b], order[a]
    if k == 1:
        return transpose(flip(x, b), order)
    return flip(transpose(x, order), b)


def fliplr(x):
    """Reverse the order of the columns (axis 1)."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"fliplr needs a tensor of rank >= 2, got shape {x.shape}.")
    return flip(x, 1)


def flipud(x):
    """Reverse the order of the rows (axis 0)."""
    x = as_tensor(x)
    if x.ndim < 1:
        raise ValueError("flipud needs a tensor of rank >= 1, got a scalar.")
    return flip(x, 0)


def _at_least(x, rank):
    """``x`` with size-1 axes added as numpy.atleast_{1,2,3}d adds them."""
    x = as_tensor(x)
    if x.ndim >= rank:
        return x
    if x.ndim == 0:
        return reshape(x, (1,) * rank)
    if x.ndim == 1:
        return reshape(x, (1, -1) if rank == 2 else (1, -1, 1))
    return reshape(x, x.shape + (1,))


def _joined(xs):
    return [as_tensor(x) for x in xs]


def hstack(xs):
    """Join along axis 1 (axis 0 for 1-D tensors)."""
    xs = [_at_least(x, 1) for x in _joined(xs)]
    return concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs):
    """Join along axis 0, treating 1-D tensors as rows."""
    return concatenate([_at_least(x, 2) for x in _joined(xs)], axis=0)


def dstack(xs):
    """Join along axis 2 (depth), after making every tensor at least 3-D."""
    return concatenate([_at_least(x, 3) for x in _joined(xs)], axis=2)


def array_split(x, indices_or_sections, axis=0):
    """Split into ``indices_or_sections`` nearly equal parts (the first ones one longer)."""
    x = as_tensor(x)
    axis = normalize_axis(axis, x.ndim)[0]
    if not isinstance(indices_or_sections, numbers.Integral):
        raise TypeError("array_split: indices_or_sections must be an int (the number of "
                        f"parts), got {indices_or_sections!r}; use split() to cut at "
                        "indices.")
    sections = int(indices_or_sections)
    if sections < 1:
        raise ValueError(f"array_split: the number of sections must be >= 1, got {sections}.")
    size = x.shape[axis]
    base, extra = divmod(size, sections)
    cuts, position = [], 0
    for i in range(sections - 1):
        position += base + (1 if i < extra else 0)
        cuts.append(position)
    return split(x, cuts, axis=axis)


def hsplit(x, indices_or_sections):
    """``split`` along axis 1 (axis 0 for 1-D tensors)."""
    x = as_tensor(x)
    return split(x, indices_or_sections, axis=0 if x.ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    """``split`` along axis 0 of a tensor of rank >= 2."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"vsplit needs a tensor of rank >= 2, got shape {x.shape}.")
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    """``split`` along axis 2 of a tensor of rank >= 3."""
    x = as_tensor(x)
    if x.ndim < 3:
        raise ValueError(f"dsplit needs a tensor of rank >= 3, got shape {x.shape}.")
    return split(x, indices_or_sections, axis=2)


def append(x1, x2, axis=None):
    """x2 joined after x1 along ``axis`` (both flattened if None)."""
    from kerlite.ops._helpers import tensors

    a, b = tensors(x1, x2)
    if a.data.dtype != b.data.dtype:
        common = get_array_module(a.data, b.data).result_type(a.data, b.data)
        from kerlite.ops.core import cast

        a, b = cast(a, common), cast(b, common)
    if axis is None:
        return concatenate([ravel(a), ravel(b)], axis=0)
    return concatenate([a, b], axis=axis)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The ``offset`` diagonal of the planes given by axis1 and axis2, as the last axis.

    Backward: the gradient is written back onto that diagonal of a zero tensor.
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"diagonal needs a tensor of rank >= 2, got shape {x.shape}.")
    xp = get_array_module(x.data)
    axis1, axis2 = normalize_axis((axis1, axis2), x.ndim)
    out = xp.diagonal(x.data, offset, axis1, axis2).copy()
    rows = xp.arange(out.shape[-1]) + builtins.max(-offset, 0)
    cols = xp.arange(out.shape[-1]) + builtins.max(offset, 0)
    shape = x.data.shape

    def backward(g):
        grad = xp.zeros(shape, dtype=g.dtype)
        xp.moveaxis(grad, (axis1, axis2), (-2, -1))[..., rows, cols] = g
        return (grad,)

    return record(out, (x,), backward)


def diag(x, k=0):
    """A 1-D ``x`` placed on the k-th diagonal of a square matrix, or the k-th diagonal
    of a 2-D ``x``."""
    x = as_tensor(x)
    if x.ndim == 2:
        return diagonal(x, offset=k)
    if x.ndim != 1:
        raise ValueError(f"diag needs a 1-D or 2-D tensor, got shape {x.shape}.")
    xp = get_array_module(x.data)
    out = xp.diag(x.data, k)
    return record(out, (x,), lambda g: (xp.diagonal(g, k).copy(),))


def diagflat(x, k=0):
    """The flattened ``x`` placed on the k-th diagonal of a square matrix."""
    return diag(ravel(x), k)


def copy(x):
    """A new tensor with the same values.  The gradient passes through."""
    x = as_tensor(x)
    return record(x.data.copy(), (x,), lambda g: (g,))


def array(x, dtype=None):
    """A tensor holding ``x`` (as ``convert_to_tensor``)."""
    return convert_to_tensor(x, dtype)


def empty(shape, dtype=None):
    """A tensor of ``shape`` whose values are not set (floatx by default)."""
    return Tensor(get_array_module().empty(shape, dtype=arrays.standardize_dtype(dtype)))


def empty_like(x, dtype=None):
    """An uninitialised tensor with the shape (and dtype, by default) of ``x``."""
    x = as_tensor(x)
    dtype = arrays.standardize_dtype(dtype) if dtype is not None else x.data.dtype
    return Tensor(get_array_module(x.data).empty(x.data.shape, dtype=dtype))


def _spaced(values, dtype):
    """Host-computed values as a tensor on the active backend."""
    return Tensor(arrays.convert_to_array(values.astype(arrays.standardize_dtype(dtype))))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` values from ``start`` to ``stop`` spaced evenly on a log scale."""
    import numpy

    return _spaced(numpy.geomspace(arrays.to_numpy(array_of(start)),
                                   arrays.to_numpy(array_of(stop)), num,
                                   endpoint=endpoint, axis=axis), dtype)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``."""
    import numpy

    return _spaced(numpy.logspace(arrays.to_numpy(array_of(start)),
                                  arrays.to_numpy(array_of(stop)), num,
                                  endpoint=endpoint, base=base, axis=axis), dtype)


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors; "xy" swaps the first two output axes."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    from kerlite.ops.shape import broadcast_to

    xs = [ravel(v) for v in x]
    shape = [v.shape[0] for v in xs]
    if indexing == "xy" and len(xs) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, v in enumerate(xs):
        where_axis = i
        if indexing == "xy" and len(xs) > 1 and i < 2:
            where_axis = 1 - i
        view = [1] * len(xs)
        view[where_axis] = -1
        grids.append(broadcast_to(reshape(v, view), shape))
    return grids


def vander(x, N=None, increasing=False):
    """Columns of powers of the 1-D ``x``: x**(N-1), ..., x, 1 (reversed if
    ``increasing``).  Built by repeated multiplication, so x == 0 has a gradient."""
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D tensor, got shape {x.shape}.")
    if x.data.dtype == bool:
        raise TypeError("vander: boolean tensors are not supported; cast them first.")
    count = x.shape[0] if N is None else int(N)
    xp = get_array_module(x.data)
    columns = []
    power = Tensor(xp.ones(x.data.shape, dtype=x.data.dtype))
    for _ in range(count):
        columns.append(power)
        power = multiply(power, x)
    if not increasing:
        columns = columns[::-1]
    if not columns:
        return Tensor(xp.zeros((x.shape[0], 0), dtype=x.data.dtype))
    return stack(columns, axis=1)


def kron(x1, x2):
    """The Kronecker product: every entry of x1 times the whole of x2, tiled."""
    from kerlite.ops._helpers import tensors

    a, b = tensors(x1, x2)
    rank = builtins.max(a.ndim, b.ndim)
    a = reshape(a, (1,) * (rank - a.ndim) + a.shape)
    b = reshape(b, (1,) * (rank - b.ndim) + b.shape)
    a_view, b_view = [], []
    for n, m in zip(a.shape, b.shape):
        a_view += [n, 1]
        b_view += [1, m]
    product = multiply(reshape(a, a_view), reshape(b, b_view))
    return reshape(product, [n * m for n, m in zip(a.shape, b.shape)])


def inner(x1, x2):
    """The sum of products over the last axes of x1 and x2 (a product for scalars)."""
    from kerlite.ops._helpers import tensors
    from kerlite.ops.products import tensordot

    a, b = tensors(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"inner: the last axes differ in size: {a.shape} and {b.shape}.")
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def vdot(x1, x2):
    """The dot product of the flattened tensors (real inputs: no conjugation needed)."""
    from kerlite.ops._helpers import tensors

    a, b = tensors(x1, x2)
    if a.size != b.size:
        raise ValueError(f"vdot: sizes differ: {a.shape} and {b.shape}.")
    return _red.sum(multiply(ravel(a), ravel(b)))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or the z-component for 2-vectors) along the
    vector axes ``axisa``/``axisb`` (``axis`` sets all three)."""
    from kerlite.ops._helpers import tensors

    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = tensors(x1, x2)
    a = moveaxis(a, axisa, -1)
    b = moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(
            f"cross: the vector axes must have size 2 or 3, got {a.shape[-1]} and "
            f"{b.shape[-1]}.")
    parts_a = [get_item(a, (Ellipsis, i)) for i in range(a.shape[-1])]
    parts_b = [get_item(b, (Ellipsis, i)) for i in range(b.shape[-1])]
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return subtract(multiply(parts_a[0], parts_b[1]), multiply(parts_a[1], parts_b[0]))
    zero_a = multiply(parts_a[0], 0)
    zero_b = multiply(parts_b[0], 0)
    ax, ay = parts_a[0], parts_a[1]
    az = parts_a[2] if len(parts_a) == 3 else zero_a
    bx, by = parts_b[0], parts_b[1]
    bz = parts_b[2] if len(parts_b) == 3 else zero_b
    out = stack([subtract(multiply(ay, bz), multiply(az, by)),
                 subtract(multiply(az, bx), multiply(ax, bz)),
                 subtract(multiply(ax, by), multiply(ay, bx))], axis=-1)
    return moveaxis(out, -1, axisc)


def nonzero(x):
    """The indices of the non-zero entries, one int32 tensor per axis."""
    x = as_tensor(x)
    return tuple(Tensor(i.astype("int32"))
                 for i in get_array_module(x.data).nonzero(x.data))


def unravel_index(indices, shape):
    """Flat indices as a tuple of coordinate tensors (int32) for ``shape``."""
    indices = as_tensor(indices)
    xp = get_array_module(indices.data)
    total = math.prod(shape)
    if indices.data.size and (int(indices.data.min()) < 0 or int(indices.data.max()) >= total):
        raise ValueError(f"unravel_index: an index is out of range for shape {tuple(shape)}.")
    return tuple(Tensor(i.astype("int32"))
                 for i in xp.unravel_index(indices.data, tuple(shape)))


def argpartition(x, kth, axis=-1):
    """Indices that put the k-th smallest entry in place along ``axis``, smaller ones
    before it and larger ones after (each side in no particular order)."""
    x = as_tensor(x)
    if x.data.dtype == bool:
        raise TypeError("argpartition: boolean tensors are not supported; cast them first.")
    xp = get_array_module(x.data)
    return Tensor(xp.argpartition(x.data, kth, axis=axis).astype("int32"))


def select(condlist, choicelist, default=0):
    """Entries of the first choice whose condition holds, else ``default``.  The
    gradient goes to the chosen choice."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: {len(condlist)} conditions but {len(choicelist)} choices.")
    if not condlist:
        raise ValueError("select: condlist must not be empty.")
    choices = [as_tensor(c) for c in choicelist]
    out = as_tensor(default, like=choices[0])
    for condition, choice in zip(reversed(condlist), reversed(choices)):
        out = where(condition, choice, out)
    return out


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, at points ``x``
    (or spacing ``dx``)."""
    from kerlite.ops._helpers import float_tensor
    from kerlite.ops.numpy_like.statistics import diff

    y = float_tensor(y)
    axis = normalize_axis(axis, y.ndim)[0]
    prefix = (slice(None),) * axis
    heights = add(get_item(y, prefix + (slice(1, None),)),
                  get_item(y, prefix + (slice(None, -1),)))
    if x is None:
        widths = as_tensor(dx, like=y)
    else:
        x = float_tensor(x)
        if x.ndim == 1:
            widths = reshape(diff(x), [-1 if i == axis else 1 for i in range(y.ndim)])
        else:
            widths = diff(x, axis=axis)
    return multiply(_red.sum(multiply(heights, widths), axis=axis), 0.5)


# --- complex parts: kerlite tensors are real, so these are the simple cases -----------

def real(x):
    """The real part (the tensor itself for real input).  The gradient passes through."""
    x = as_tensor(x)
    if x.data.dtype.kind == "c":
        return Tensor(x.data.real.copy())
    return copy(x)


def imag(x):
    """The imaginary part (zeros for real input; no gradient)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if x.data.dtype.kind == "c":
        return Tensor(x.data.imag.copy())
    return Tensor(xp.zeros_like(x.data))


def conjugate(x):
    """The complex conjugate (the tensor itself for real input)."""
    x = as_tensor(x)
    if x.data.dtype.kind == "c":
        return Tensor(get_array_module(x.data).conjugate(x.data))
    return copy(x)


conj = conjugate


def angle(x):
    """The argument of each entry: 0 for x >= 0, pi for x < 0 (real input, float)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if x.data.dtype.kind == "c":
        return Tensor(xp.angle(x.data))
    dtype = x.data.dtype if x.data.dtype.kind == "f" else arrays.floatx()
    return Tensor(xp.angle(x.data).astype(dtype))


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    """The distinct values of ``x`` (sorted), and optionally where they first occur, how
    to rebuild ``x`` from them, and how often each occurs (not differentiable).

    ``size`` pads (with ``fill_value``, else the smallest value) or cuts the result to
    a fixed length, as in Keras on JAX.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    results = xp.unique(x.data, return_index=return_index, return_inverse=return_inverse,
                        return_counts=return_counts, axis=axis)
    if not isinstance(results, tuple):
        results = (results,)
    values = results[0]
    if size is not None:
        pad_count = int(size) - values.shape[0 if axis is None else axis]
        if axis is not None and pad_count:
            raise ValueError("unique: size= is only supported with axis=None.")
        if pad_count < 0:
            values = values[:size]
        elif pad_count > 0:
            fill = values.min() if fill_value is None and values.size else (fill_value or 0)
            values = xp.concatenate([values, xp.full(pad_count, fill, dtype=values.dtype)])
    out = [Tensor(values)]
    rest = list(results[1:])
    if return_index:
        index = rest.pop(0)
        if size is not None:
            index = _fit(xp, index, size, 0)
        out.append(Tensor(index.astype("int32")))
    if return_inverse:
        inverse = rest.pop(0).reshape(x.data.shape if axis is None else -1)
        out.append(Tensor(inverse.astype("int32")))
    if return_counts:
        counts = rest.pop(0)
        if size is not None:
            counts = _fit(xp, counts, size, 0)
        out.append(Tensor(counts.astype("int32")))
    return out[0] if len(out) == 1 else tuple(out)


def _fit(xp, values, size, fill):
    if values.shape[0] >= size:
        return values[:size]
    return xp.concatenate([values, xp.full(size - values.shape[0], fill, values.dtype)])
