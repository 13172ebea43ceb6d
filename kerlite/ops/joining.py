"""Joining and splitting tensors, and repeating them: concatenate, stack, split, unstack,
tile, repeat, pad.

Joining ops hand each input its own piece of the gradient; repeating ops add up the
gradients of all the copies.
"""

from kerlite import arrays
from kerlite.autodiff.tensor import array_of, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.indexing import get_item, scatter_add


def concatenate(xs, axis=0):
    """Join tensors along an existing axis.  The gradient is split at the same places."""
    xs = [as_tensor(x) for x in xs]
    xp = get_array_module(*[x.data for x in xs])
    axis = axis % xs[0].ndim
    bounds = [0]
    for x in xs:
        bounds.append(bounds[-1] + x.data.shape[axis])

    def backward(g):
        index = [slice(None)] * g.ndim
        grads = []
        for start, stop in zip(bounds[:-1], bounds[1:]):
            index[axis] = slice(start, stop)
            grads.append(g[tuple(index)])
        return grads

    try:
        out = xp.concatenate([x.data for x in xs], axis=axis)
    except ValueError:
        raise ValueError(
            f"concatenate(axis={axis}) needs tensors whose shapes agree except along "
            f"that axis. Received shapes: {[x.shape for x in xs]}"
        ) from None
    return record(out, tuple(xs), backward)


def stack(x, axis=0):
    """Join same-shaped tensors along a new axis.  Each input gets its slice of ``g``."""
    xs = [as_tensor(item) for item in x]
    xp = get_array_module(*[item.data for item in xs])
    out = xp.stack([item.data for item in xs], axis=axis)
    axis = axis % out.ndim

    def backward(g):
        return [xp.take(g, i, axis=axis) for i in range(len(xs))]

    return record(out, tuple(xs), backward)


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list of tensors."""
    x = as_tensor(x)
    axis = axis % x.ndim
    count = x.data.shape[axis]
    if num is not None and num != count:
        raise ValueError(f"unstack: num={num} but axis {axis} has size {count}.")
    prefix = (slice(None),) * axis
    return [get_item(x, prefix + (i,)) for i in range(count)]


def split(x, indices_or_sections, axis=0):
    """Cut ``x`` along ``axis`` into equal sections, or at the given indices."""
    x = as_tensor(x)
    axis = axis % x.ndim
    size = x.data.shape[axis]
    if isinstance(indices_or_sections, int):
        if size % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of size {size} cannot be cut into "
                f"{indices_or_sections} equal sections."
            )
        step = size // indices_or_sections
        cuts = list(range(step, size, step))
    else:
        cuts = [int(i) for i in indices_or_sections]
    prefix = (slice(None),) * axis
    bounds = [0] + cuts + [size]
    return [get_item(x, prefix + (slice(start, stop),))
            for start, stop in zip(bounds[:-1], bounds[1:])]


def tile(x, repeats):
    """Repeat the whole tensor ``repeats[i]`` times along axis i.

    The gradient of each entry is the sum over its copies.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    repeats = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    ndim = max(len(repeats), x.ndim)
    repeats = (1,) * (ndim - len(repeats)) + repeats
    shape = (1,) * (ndim - x.ndim) + x.data.shape
    original = x.data.shape

    def backward(g):
        interleaved = []
        for r, n in zip(repeats, shape):
            interleaved += [r, n]
        summed = g.reshape(interleaved).sum(axis=tuple(range(0, 2 * ndim, 2)))
        return (summed.reshape(original),)

    return record(xp.tile(x.data, repeats), (x,), backward)


def repeat(x, repeats, axis=None):
    """Repeat each entry ``repeats`` times along ``axis`` (the flattened tensor if None)."""
    from kerlite.ops.indexing import take

    x = as_tensor(x)
    if axis is None:
        from kerlite.ops.shape import ravel

        x, axis = ravel(x), 0
    xp = get_array_module(x.data)
    counts = array_of(repeats)
    if not isinstance(counts, int):
        counts = arrays.to_numpy(counts).tolist()  # CuPy's repeat wants host counts
    positions = xp.repeat(xp.arange(x.data.shape[axis]), counts)
    return take(x, positions, axis=axis)


_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(x, pad_width, mode="constant", constant_values=None):
    """Add values around the edges, as ``numpy.pad``.

    Backward: for "constant", the gradient is the centre of ``g``; for the modes that
    copy entries ("edge", "reflect", "symmetric", "wrap"), each copy's gradient is added
    to the entry it was copied from.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    widths = _pad_widths(pad_width, x.ndim)
    shape = x.data.shape
    if mode == "constant":
        fill = 0 if constant_values is None else constant_values
        out = xp.pad(x.data, widths, mode="constant", constant_values=fill)
        centre = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, shape))
        return record(out, (x,), lambda g: (g[centre],))
    if mode not in _INDEX_MODES:
        raise ValueError(
            f"pad: mode={mode!r} is not supported. Use 'constant' or one of "
            f"{_INDEX_MODES}."
        )
    source = xp.pad(xp.arange(x.data.size).reshape(shape), widths, mode=mode)
    out = x.data.reshape(-1)[source]

    def backward(g):
        flat = scatter_add((x.data.size,), g.dtype, source.reshape(-1), g.reshape(-1))
        return (flat.reshape(shape),)

    return record(out, (x,), backward)


def _pad_widths(pad_width, ndim):
    """((before, after), ...) for every axis, from an int, one pair, or per-axis pairs."""
    if isinstance(pad_width, int):
        return ((pad_width, pad_width),) * ndim
    widths = [getattr(p, "tolist", lambda p=p: p)() for p in pad_width]
    if all(isinstance(w, int) for w in widths) and len(widths) in (1, 2):
        return (tuple(widths * (3 - len(widths)))[:2],) * ndim
    pairs = [tuple(int(v) for v in (w * 2 if len(w) == 1 else w)) for w in widths]
    if len(pairs) == 1:
        pairs = pairs * ndim
    if len(pairs) != ndim or any(len(p) != 2 for p in pairs):
        raise ValueError(
            f"pad: pad_width={pad_width!r} must give one (before, after) pair per axis; "
            f"the tensor has {ndim} axes."
        )
    return tuple(pairs)
