"""Reductions and statistics: cumprod, diff, average, quantiles, the nan* family, trace.

Most are built from differentiable ops (sort, take, where, sum...), so their gradients
come for free; ``cumprod`` has its own backward rule.
"""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops import reductions as _red
from kerlite.ops._helpers import float_tensor, normalize_axis
from kerlite.ops.arithmetic import add, divide, multiply, subtract
from kerlite.ops.indexing import get_item, take_along_axis, where
from kerlite.ops.shape import moveaxis, reshape, squeeze


def cumprod(x, axis=None, dtype=None):
    """Running product along ``axis`` (the flattened tensor if None).

    d/dx_i = (product of the x before i) * R_i with R_i = g_i + x_{i+1} R_{i+1}: a
    backward scan that needs no division, so zeros are fine.
    """
    x = as_tensor(x)
    if dtype is not None:
        from kerlite.ops.core import cast

        x = cast(x, dtype)
    xp = get_array_module(x.data)
    shape = x.data.shape
    data = x.data.reshape(-1) if axis is None else x.data
    axis = 0 if axis is None else normalize_axis(axis, x.ndim)[0]
    out = xp.cumprod(data, axis=axis, dtype=_red._accumulator(data.dtype))

    def backward(g):
        moved_x = xp.moveaxis(data, axis, 0)
        moved_g = xp.moveaxis(g, axis, 0)
        n = moved_x.shape[0]
        before = xp.ones_like(moved_x)
        if n > 1:
            before[1:] = xp.cumprod(moved_x[:-1], axis=0)
        running = xp.zeros_like(moved_g)
        later = xp.zeros(moved_g.shape[1:], dtype=g.dtype)
        for i in range(n - 1, -1, -1):
            later = moved_g[i] + (moved_x[i + 1] * later if i + 1 < n else 0)
            running[i] = later
        return (xp.moveaxis(running * before, 0, axis).reshape(shape),)

    return record(out, (x,), backward)


def diff(a, n=1, axis=-1):
    """The n-th difference along ``axis``: out[i] = a[i+1] - a[i], applied ``n`` times."""
    a = as_tensor(a)
    axis = normalize_axis(axis, a.ndim)[0]
    prefix = (slice(None),) * axis
    for _ in range(n):
        later = get_item(a, prefix + (slice(1, None),))
        earlier = get_item(a, prefix + (slice(None, -1),))
        if a.data.dtype == bool:
            a = Tensor(later.data != earlier.data)
        else:
            a = subtract(later, earlier)
    return a


def average(x, axis=None, weights=None):
    """The weighted mean sum(w x) / sum(w) over ``axis`` (plain mean without weights).

    1-D ``weights`` go along ``axis``; otherwise they have the shape of ``x``.
    """
    x = float_tensor(x)
    if weights is None:
        return _red.mean(x, axis=axis)
    w = as_tensor(weights)
    if w.data.dtype.kind != "f" or w.data.dtype != x.data.dtype:
        from kerlite.ops.core import cast

        w = cast(w, x.data.dtype)
    if w.ndim == 1 and x.ndim > 1:
        if axis is None:
            raise ValueError("average: 1-D weights need an `axis` when x has rank > 1.")
        ax = normalize_axis(axis, x.ndim)[0]
        w = reshape(w, [-1 if i == ax else 1 for i in range(x.ndim)])
    elif w.shape != x.shape and axis is not None and w.ndim != 0:
        raise ValueError(
            f"average: weights of shape {w.shape} must be 1-D or have x's shape {x.shape}.")
    total = _red.sum(multiply(x, w), axis=axis)
    if w.shape != x.shape:
        from kerlite.ops.shape import broadcast_to

        w = broadcast_to(w, x.shape)
    return divide(total, _red.sum(w, axis=axis))


# --- quantiles (sorted values, interpolated) -------------------------------------------

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(x, q, axis, method, keepdims, skip_nan):
    """Quantiles ``q`` (in [0, 1]) over ``axis``; q's axes come first, as in NumPy."""
    if method not in _METHODS:
        raise ValueError(f"quantile: method={method!r} is not one of {_METHODS}.")
    x = float_tensor(x)
    xp = get_array_module(x.data)
    q_host = arrays.to_numpy(q).astype("float64")  # a few numbers: kept on the host
    if q_host.ndim > 1:
        raise ValueError(f"quantile: q must be a number or a 1-D list, got shape "
                         f"{q_host.shape}.")
    if ((q_host < 0) | (q_host > 1)).any():
        raise ValueError(f"quantile: q must lie in [0, 1] (percentiles in [0, 100]); "
                         f"got {q_host.tolist()}.")
    ndim = x.ndim
    axes = normalize_axis(axis, ndim)
    kept = [i for i in range(ndim) if i not in axes]
    # Reduced axes moved to the end and flattened into one: shape (kept..., n).
    moved = moveaxis(x, axes, tuple(range(ndim - len(axes), ndim))) if axes else x
    flat = reshape(moved, [x.shape[i] for i in kept] + [-1])
    order = xp.argsort(flat.data, axis=-1)  # NaNs sort last
    ordered = take_along_axis(flat, order, axis=-1)
    n = flat.shape[-1]
    if skip_nan:
        count = (~xp.isnan(flat.data)).sum(axis=-1, keepdims=True)
    else:
        count = xp.full(flat.shape[:-1] + (1,), n)
    outs = []
    for level in q_host.reshape(-1):
        exact = level * (count - 1).astype("float64")  # position in the sorted group
        if method in ("linear", "midpoint"):
            low, high = xp.floor(exact), xp.ceil(exact)
            frac = exact - low if method == "linear" else xp.full(exact.shape, 0.5)
        else:  # one entry: rounded down, up, or to the nearest (halves to even, as NumPy)
            rounding = {"lower": xp.floor, "higher": xp.ceil, "nearest": xp.round}[method]
            low = high = rounding(exact)
            frac = xp.zeros(exact.shape)
        frac = xp.where(low == high, 0.0, frac).astype(x.data.dtype)
        low, high = xp.clip(low, 0, n - 1), xp.clip(high, 0, n - 1)  # empty groups: -1
        value_low = take_along_axis(ordered, low.astype("int64"), axis=-1)
        value_high = take_along_axis(ordered, high.astype("int64"), axis=-1)
        value = add(multiply(value_low, 1 - frac), multiply(value_high, frac))
        if skip_nan:
            value = where(count == 0, float("nan"), value)
        else:
            # NumPy and Keras: a NaN anywhere in the group makes its quantile NaN.
            value = where(xp.isnan(flat.data).any(axis=-1, keepdims=True),
                          float("nan"), value)
        value = squeeze(value, -1)
        if keepdims:
            value = reshape(value, [1 if i in axes else x.shape[i] for i in range(ndim)])
        outs.append(value)
    if q_host.ndim == 0:
        return outs[0]
    from kerlite.ops.joining import stack

    return stack(outs, axis=0)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The q-th quantile(s) over ``axis`` (q in [0, 1]); the gradient flows to the one
    or two sorted entries each quantile interpolates between."""
    return _quantile(x, q, axis, method, keepdims, skip_nan=False)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The q-th percentile(s) over ``axis`` (q in [0, 100])."""
    return _quantile(x, _scale_q(q), axis, method, keepdims, skip_nan=False)


def median(x, axis=None, keepdims=False):
    """The middle value over ``axis`` (the mean of the two middle ones for even n)."""
    return _quantile(x, 0.5, axis, "linear", keepdims, skip_nan=False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """``quantile`` ignoring NaNs (NaN where a group holds only NaNs)."""
    return _quantile(x, q, axis, method, keepdims, skip_nan=True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs."""
    return _quantile(x, _scale_q(q), axis, method, keepdims, skip_nan=True)


def nanmedian(x, axis=None, keepdims=False):
    """``median`` ignoring NaNs."""
    return _quantile(x, 0.5, axis, "linear", keepdims, skip_nan=True)


def _scale_q(q):
    return arrays.to_numpy(q).astype("float64") / 100


# --- simple reductions built from others -----------------------------------------------

def ptp(x, axis=None, keepdims=False):
    """Peak to peak: max - min over ``axis``."""
    x = as_tensor(x)
    if x.data.dtype == bool:
        raise TypeError("ptp: boolean tensors have no difference; cast them first.")
    return subtract(_red.max(x, axis=axis, keepdims=keepdims),
                    _red.min(x, axis=axis, keepdims=keepdims))


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of the ``offset`` diagonal over ``axis1`` and ``axis2``."""
    from kerlite.ops.numpy_like.arranging import diagonal

    return _red.sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=-1)


def _without_nan(x, fill):
    """``x`` with NaNs replaced by ``fill`` (which then gets no gradient)."""
    x = as_tensor(x)
    if x.data.dtype.kind != "f":
        return x
    return where(get_array_module(x.data).isnan(x.data), fill, x)


def _all_nan(x, axis, keepdims):
    xp = get_array_module(x.data)
    if x.data.dtype.kind != "f":
        return None
    return xp.isnan(x.data).all(axis=normalize_axis(axis, x.ndim), keepdims=keepdims)


def nansum(x, axis=None, keepdims=False):
    """``sum`` treating NaNs as 0."""
    return _red.sum(_without_nan(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    """``prod`` treating NaNs as 1."""
    return _red.prod(_without_nan(x, 1), axis=axis, keepdims=keepdims)


def _valid_count(x, axis, keepdims):
    xp = get_array_module(x.data)
    valid = ~xp.isnan(x.data) if x.data.dtype.kind == "f" else xp.ones(x.data.shape, bool)
    return valid.sum(axis=normalize_axis(axis, x.ndim), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """The mean of the non-NaN entries over ``axis`` (NaN if there are none)."""
    x = float_tensor(x)
    return _per_valid(x, nansum(x, axis=axis, keepdims=keepdims), axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    """The variance of the non-NaN entries over ``axis``."""
    x = float_tensor(x)
    centred = _without_nan(subtract(x, nanmean(x, axis=axis, keepdims=True)), 0)
    total = _red.sum(multiply(centred, centred), axis=axis, keepdims=keepdims)
    return _per_valid(x, total, axis, keepdims)


def _per_valid(x, total, axis, keepdims):
    """``total`` divided by the number of non-NaN entries (NaN, silently, where none)."""
    xp = get_array_module(x.data)
    count = _valid_count(x, axis, keepdims)
    none = count == 0
    out = divide(total, xp.where(none, 1, count).astype(x.data.dtype))
    return where(none, float("nan"), out) if none.any() else out


def nanstd(x, axis=None, keepdims=False):
    """The standard deviation of the non-NaN entries over ``axis``."""
    from kerlite.ops.elementwise import sqrt

    return sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(x, axis, keepdims, reducer, fill):
    x = as_tensor(x)
    out = reducer(_without_nan(x, fill), axis=axis, keepdims=keepdims)
    empty = _all_nan(x, axis, keepdims)
    if empty is None or not empty.any():
        return out
    return where(empty, float("nan"), out)


def nanmax(x, axis=None, keepdims=False):
    """``max`` ignoring NaNs (NaN where all entries are NaN)."""
    return _nan_extreme(x, axis, keepdims, _red.max, float("-inf"))


def nanmin(x, axis=None, keepdims=False):
    """``min`` ignoring NaNs (NaN where all entries are NaN)."""
    return _nan_extreme(x, axis, keepdims, _red.min, float("inf"))


def nanargmax(x, axis=None, keepdims=False):
    """Index of the largest non-NaN entry along ``axis`` (not differentiable)."""
    from kerlite.ops.sorting import argmax

    return argmax(_without_nan(x, float("-inf")), axis=axis, keepdims=keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """Index of the smallest non-NaN entry along ``axis`` (not differentiable)."""
    from kerlite.ops.sorting import argmin

    return argmin(_without_nan(x, float("inf")), axis=axis, keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None):
    """``cumsum`` treating NaNs as 0."""
    return _red.cumsum(_without_nan(x, 0), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    """``cumprod`` treating NaNs as 1."""
    return cumprod(_without_nan(x, 1), axis=axis, dtype=dtype)


# --- comparisons, counting, searching (not differentiable) ----------------------------

def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every |x1 - x2| <= atol + rtol |x2| (a 0-d boolean tensor)."""
    a, b = as_tensor(x1), as_tensor(x2)
    xp = get_array_module(a.data, b.data)
    return Tensor(xp.asarray(xp.allclose(a.data, b.data, rtol=rtol, atol=atol,
                                         equal_nan=equal_nan)))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an entry of x1 appears anywhere in x2 (False with ``invert``)."""
    a, b = as_tensor(x1), as_tensor(x2)
    xp = get_array_module(a.data, b.data)
    return Tensor(xp.isin(a.data, b.data, assume_unique=assume_unique, invert=invert))


def isreal(x):
    """True where the imaginary part is 0 (everywhere for real tensors)."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).isreal(x.data))


def digitize(x, bins):
    """The index of the bin of each entry: i such that bins[i-1] <= x < bins[i] (int32)."""
    x, bins = as_tensor(x), as_tensor(bins)
    xp = get_array_module(x.data, bins.data)
    return Tensor(xp.digitize(x.data, bins.data).astype("int32"))


def searchsorted(sorted_sequence, values, side="left"):
    """Where to insert ``values`` into the 1-D ``sorted_sequence`` to keep it sorted."""
    seq, values = as_tensor(sorted_sequence), as_tensor(values)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: sorted_sequence must be 1-D, got shape {seq.shape}.")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}.")
    xp = get_array_module(seq.data, values.data)
    return Tensor(xp.searchsorted(seq.data, values.data, side=side).astype("int32"))


def bincount(x, weights=None, minlength=0, sparse=False):
    """How often each non-negative integer occurs along the last axis (weighted sums
    with ``weights``); a 2-D ``x`` counts each row."""
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by kerlite.")
    x = as_tensor(x)
    if x.data.dtype.kind not in "iub":
        raise TypeError(f"bincount: x must hold integers, got {x.dtype}.")
    if x.ndim not in (1, 2):
        raise ValueError(f"bincount: x must be 1-D or 2-D, got shape {x.shape}.")
    xp = get_array_module(x.data)
    data = x.data.astype("int64")
    if data.size and int(data.min()) < 0:
        raise ValueError("bincount: x must not hold negative numbers.")
    length = max(int(minlength), int(data.max()) + 1 if data.size else 0)
    w = None if weights is None else as_tensor(weights).data
    dtype = "int32" if w is None else (w.dtype if w.dtype.kind == "f" else "int32")
    rows = data.reshape(-1, data.shape[-1])
    w_rows = None if w is None else xp.broadcast_to(w, data.shape).reshape(rows.shape)
    out = xp.stack([xp.bincount(row, weights=None if w_rows is None else w_rows[i],
                                minlength=length) for i, row in enumerate(rows)])
    return Tensor(out.reshape(data.shape[:-1] + (length,)).astype(dtype))


def histogram(x, bins=10, range=None):
    """Counts of a 1-D ``x`` in ``bins`` equal-width bins (as floats, like Keras), and
    the ``bins + 1`` edges."""
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"histogram: x must be 1-D, got shape {x.shape}.")
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"histogram: bins must be a positive int, got {bins!r}.")
    xp = get_array_module(x.data)
    counts, edges = xp.histogram(x.data, bins=bins, range=range)
    dtype = x.data.dtype if x.data.dtype.kind == "f" else arrays.floatx()
    return Tensor(counts.astype(dtype)), Tensor(edges.astype(dtype))


def corrcoef(x):
    """Pearson correlation coefficients between the rows of ``x``."""
    from kerlite.ops.elementwise import sqrt
    from kerlite.ops.products import matmul
    from kerlite.ops.shape import transpose

    x = float_tensor(x)
    if x.ndim == 1:
        x = reshape(x, (1, -1))
    centred = subtract(x, _red.mean(x, axis=1, keepdims=True))
    cov = matmul(centred, transpose(centred))
    from kerlite.ops.numpy_like.arranging import diagonal

    scale = sqrt(diagonal(cov))
    out = divide(divide(cov, reshape(scale, (-1, 1))), reshape(scale, (1, -1)))
    return squeeze(out) if out.shape == (1, 1) else out


def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors: out[k] = sum_n x1[n + k] x2[n] ("valid",
    "same" or "full" output length, as NumPy)."""
    from kerlite.ops.indexing import take
    from kerlite.ops.joining import pad
    from kerlite.ops.products import matmul

    from kerlite.ops.numpy_like.elementwise import _float_pair

    a, v = _float_pair(x1, x2)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"correlate: both inputs must be 1-D, got shapes {a.shape} and "
                         f"{v.shape}.")
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: mode must be 'valid', 'same' or 'full', got {mode!r}.")
    n, m = a.shape[0], v.shape[0]
    flipped = n < m
    if flipped:  # NumPy swaps the inputs (and reverses the result) when x2 is longer
        a, v, n, m = v, a, m, n
    if mode == "full":
        left = right = m - 1
    elif mode == "same":
        left, right = m // 2, m - 1 - m // 2
    else:
        left = right = 0
    padded = pad(a, ((left, right),)) if left or right else a
    xp = get_array_module(a.data)
    steps = padded.shape[0] - m + 1
    windows = take(padded, xp.arange(steps)[:, None] + xp.arange(m)[None, :], axis=0)
    out = matmul(windows, v)
    if flipped:
        from kerlite.ops.shape import flip

        out = flip(out, 0)
    return out
