"""Structural ops: loops over an axis (map, scan, associative_scan), branch choice
(switch), user-defined gradients (custom_gradient), segment reductions, scatters,
sequence and patch extraction (extract_sequences, unfold, fold), saturate_cast, dtype.

kerlite runs eagerly, so the loops are Python loops: gradients flow through whatever
each step computed, and the outputs are stacked with the differentiable ``stack``.
"""

import builtins
import functools

from kerlite import arrays
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.autodiff.gradients import _Paused
from kerlite.autodiff.tensor import Tensor, _Recording, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors
from kerlite.ops.indexing import get_item, scatter_add
from kerlite.ops.joining import concatenate, pad, stack
from kerlite.ops.shape import flip, reshape


# --- nested structures (tuples, lists, dicts of tensors) --------------------------------
def _leaves(tree):
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in _leaves(tree[key])]
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [] if tree is None else [tree]


def _rebuild(tree, leaves):
    """``tree`` with its leaves replaced, in order, by the items of iterator ``leaves``."""
    if isinstance(tree, dict):
        built = {key: _rebuild(tree[key], leaves) for key in sorted(tree)}
        return {key: built[key] for key in tree}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_rebuild(item, leaves) for item in tree)
    return None if tree is None else next(leaves)


def _stack_trees(trees):
    """A list of like-shaped structures -> one structure of stacked tensors."""
    columns = zip(*[_leaves(t) for t in trees])
    return _rebuild(trees[0], iter([stack(list(col)) for col in columns]))


# --- loops -------------------------------------------------------------------------------
def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its first axis; results stacked.

    ``xs`` may be a nested structure of tensors sharing that first axis.
    """
    leaves = [as_tensor(x) for x in _leaves(xs)]
    count = leaves[0].shape[0]
    results = [f(_rebuild(xs, iter([x[i] for x in leaves]))) for i in range(count)]
    return _stack_trees(results)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """``carry, y = f(carry, x)`` for each slice x of ``xs``; returns the last carry and
    the stacked ys (JAX's ``lax.scan``).  With ``xs=None``, ``length`` steps with x None.
    """
    leaves = [as_tensor(x) for x in _leaves(xs)]
    if leaves:
        steps = leaves[0].shape[0]
        if length is not None and length != steps:
            raise ValueError(f"scan: length={length} but xs have {steps} entries.")
    elif length is None:
        raise ValueError("scan needs `xs` or `length`.")
    else:
        steps = int(length)
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry, ys = init, [None] * steps
    for i in order:
        x = _rebuild(xs, iter([leaf[i] for leaf in leaves])) if leaves else None
        carry, ys[i] = f(carry, x)
    if steps == 0 or ys[0] is None:
        return carry, None
    return carry, _stack_trees(ys)


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix scan with an associative ``f``: out[0] = e[0],
    out[i] = f(out[i-1], e[i]) along ``axis`` (from the end when ``reverse``).

    ``f`` is applied to slices that keep ``axis`` (length 1), so it may be any
    elementwise combination; ``elems`` may be a nested structure.
    """
    leaves = [as_tensor(e) for e in _leaves(elems)]
    if not leaves:
        raise ValueError("associative_scan needs at least one tensor in `elems`.")
    axis = axis % leaves[0].ndim
    length = leaves[0].shape[axis]
    if any(leaf.shape[axis] != length for leaf in leaves):
        raise ValueError("associative_scan: every element needs the same length along "
                         f"axis {axis}.")
    if reverse:
        leaves = [flip(leaf, axis) for leaf in leaves]
    index = (builtins.slice(None),) * axis
    steps = [[leaf[index + (builtins.slice(i, i + 1),)] for leaf in leaves]
             for i in range(length)]
    outputs = [steps[0]] if length else []
    for step in steps[1:]:
        combined = f(_rebuild(elems, iter(outputs[-1])), _rebuild(elems, iter(step)))
        outputs.append(_leaves(combined))
    result = [concatenate([out[k] for out in outputs], axis=axis)
              for k in range(len(leaves))]
    if reverse:
        result = [flip(r, axis) for r in result]
    return _rebuild(elems, iter(result))


def switch(index, branches, *operands):
    """``branches[index](*operands)``, the index clamped into range (as JAX)."""
    if not branches:
        raise ValueError("switch needs at least one branch.")
    i = int(index.data if isinstance(index, Tensor) else index)
    return branches[builtins.min(builtins.max(i, 0), len(branches) - 1)](*operands)


# --- custom gradients ----------------------------------------------------------------------
def custom_gradient(f):
    """Decorator: ``f(*args)`` returns ``(output, grad_fn)``; the wrapped function
    returns ``output``, and backpropagation calls ``grad_fn(upstream)`` for the
    gradients of the tensor arguments (one, or a tuple with one per argument).

    The ops inside ``f`` are not recorded: ``grad_fn`` alone defines the gradient.
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        inputs = [args[i] for i in positions]
        with _Paused():
            output, grad_fn = f(*args, **kwargs)
        outputs = _leaves(output)
        if not _Recording.depth or not any(t._needs_grad for t in inputs):
            return output

        def make_backward(k):
            def backward(g):
                upstream = [Tensor(o.data * 0) for o in outputs]
                upstream[k] = Tensor(g)
                with _Paused():
                    grads = grad_fn(upstream[0] if len(outputs) == 1 else upstream)
                grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
                if len(grads) == len(args) != len(inputs):  # one per argument: keep
                    grads = [grads[i] for i in positions]  # those of the tensors
                if len(grads) != len(inputs):
                    raise ValueError(
                        f"custom_gradient: {f.__name__}'s grad_fn returned "
                        f"{len(grads)} gradients for {len(inputs)} tensor arguments.")
                return [None if gr is None else as_tensor(gr).data for gr in grads]
            return backward

        recorded = [record(as_tensor(o).data, tuple(inputs), make_backward(k))
                    for k, o in enumerate(outputs)]
        return _rebuild(output, iter(recorded))

    return wrapper


def _combine_at(reduction, out, key, values, xp):
    """``out[key] = reduction(out[key], values)`` in place, repeated keys applied one
    after another (NumPy's ``ufunc.at``; CuPy has scatter_add/max/min for this)."""
    if xp.__name__ == "numpy":
        {"add": xp.add, "max": xp.maximum, "min": xp.minimum,
         "mul": xp.multiply}[reduction].at(out, key, values)
        return
    import cupyx

    if reduction != "mul":
        {"add": cupyx.scatter_add, "max": cupyx.scatter_max,
         "min": cupyx.scatter_min}[reduction](out, key, values)
        return
    values = xp.broadcast_to(values, out[key].shape)
    for i in range(values.shape[0]):  # no scatter-multiply on the GPU: one row at a time
        row = tuple(k[i] for k in key) if isinstance(key, tuple) else key[i]
        out[row] = out[row] * values[i]


# --- segment reductions --------------------------------------------------------------------
def _segments(data, segment_ids, num_segments, name):
    data = as_tensor(data)
    xp = get_array_module(data.data)
    ids = xp.asarray(as_tensor(segment_ids).data).astype("int64")
    if ids.ndim != 1 or data.ndim < 1 or ids.shape[0] != data.shape[0]:
        raise ValueError(f"{name}: segment_ids must be 1-D with one id per entry of "
                         f"data's first axis; received shapes {ids.shape} and {data.shape}.")
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    valid = (ids >= 0) & (ids < num_segments)  # other ids are dropped, as in JAX
    return data, xp, ids, int(num_segments), valid


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """out[s] = sum of data[i] over the i with segment_ids[i] == s.  dL/ddata[i] =
    G[segment_ids[i]] (0 for dropped ids)."""
    data, xp, ids, n, valid = _segments(data, segment_ids, num_segments, "segment_sum")
    out = scatter_add((n,) + data.shape[1:], data.data.dtype, ids[valid], data.data[valid])

    def backward(g):
        grad = xp.zeros_like(data.data)
        grad[valid] = g[ids[valid]]
        return (grad,)

    return record(out, (data,), backward)


def _segment_extreme(data, segment_ids, num_segments, largest, name):
    data, xp, ids, n, valid = _segments(data, segment_ids, num_segments, name)
    kind = data.data.dtype
    if kind.kind == "f":
        fill = -xp.inf if largest else xp.inf
    else:
        info = xp.iinfo(kind) if kind.kind in "iu" else None
        fill = (info.min if largest else info.max) if info else (not largest)
    out = xp.full((n,) + data.shape[1:], fill, dtype=kind)
    _combine_at("max" if largest else "min", out, ids[valid], data.data[valid], xp)

    def backward(g):
        hit = valid.reshape((-1,) + (1,) * (data.ndim - 1)) & (
            data.data == out[xp.where(valid, ids, 0)])
        ties = scatter_add(out.shape, g.dtype, ids[valid], hit[valid].astype(g.dtype))
        share = g / xp.where(ties == 0, 1, ties)
        return (xp.where(hit, share[xp.where(valid, ids, 0)], 0).astype(g.dtype),)

    return record(out, (data,), backward)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """out[s] = max of data[i] over segment s (-inf, or the dtype's minimum, when
    empty).  The gradient goes to the entries equal to the max, shared among ties."""
    return _segment_extreme(data, segment_ids, num_segments, True, "segment_max")


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """out[s] = min of data[i] over segment s (+inf, or the dtype's maximum, when
    empty).  The gradient goes to the entries equal to the min, shared among ties."""
    return _segment_extreme(data, segment_ids, num_segments, False, "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """out[s] = product of data[i] over segment s (1 when empty).

    dL/ddata[i] = G[s] * (product of the other entries of segment s).
    """
    data, xp, ids, n, valid = _segments(data, segment_ids, num_segments, "segment_prod")
    out = xp.ones((n,) + data.shape[1:], dtype=data.data.dtype)
    _combine_at("mul", out, ids[valid], data.data[valid], xp)

    def backward(g):
        safe_ids = xp.where(valid, ids, 0)
        others = xp.empty_like(data.data)
        host_valid = arrays.to_numpy(valid)
        for i in range(data.shape[0]):  # product of the rest of i's segment, zeros safe
            if host_valid[i]:
                rest = valid & (ids == ids[i])
                rest[i] = False
                others[i] = data.data[rest].prod(axis=0)
        grad = xp.where(valid.reshape((-1,) + (1,) * (data.ndim - 1)),
                        g[safe_ids] * others, 0)
        return (grad.astype(g.dtype),)

    return record(out, (data,), backward)


# --- scatters ------------------------------------------------------------------------------
def _index_key(indices, xp):
    indices = xp.asarray(as_tensor(indices).data).astype("int64")
    if indices.ndim < 1:
        raise ValueError("scatter indices need shape (num_updates, k).")
    return tuple(xp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (each row of
    ``indices`` names the first k coordinates; repeats add up)."""
    values = as_tensor(values)
    xp = get_array_module(values.data)
    key = _index_key(indices, xp)
    shape = tuple(int(d) for d in shape)
    out = scatter_add(shape, values.data.dtype, key, values.data)

    def backward(g):
        return (g[key],)

    return record(out, (values,), backward)


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of ``inputs`` with ``updates`` written at ``indices`` (k coordinates per
    row).  ``reduction``: None (replace), "add", "max", "min" or "mul" (combine with
    the value there).  Gradients for None and "add"."""
    if reduction not in (None, "add", "max", "min", "mul"):
        raise ValueError(f"scatter_update: unsupported reduction {reduction!r}.")
    x, new = tensors(inputs, updates)
    xp = get_array_module(x.data)
    key = _index_key(indices, xp)
    out = x.data.copy()
    values = new.data.astype(out.dtype)
    if reduction is None:
        out[key] = values
    else:
        _combine_at(reduction, out, key, values, xp)

    def backward(g):
        if reduction not in (None, "add"):
            raise NotImplementedError(
                f"scatter_update: kerlite has no gradient for reduction={reduction!r}.")
        grad_x = g
        if reduction is None:
            grad_x = g.copy()
            grad_x[key] = 0
        return grad_x, g[key]

    return record(out, (x, new), backward)


# --- patches and sequences ----------------------------------------------------------------
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` samples every ``sequence_stride`` along the last
    axis: (..., L) -> (..., num_frames, sequence_length).  Differentiable (a gather)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    length = x.shape[-1]
    if sequence_length > length:
        raise ValueError(f"extract_sequences: sequence_length ({sequence_length}) is "
                         f"longer than the signal ({length}).")
    frames = 1 + (length - sequence_length) // sequence_stride
    index = (xp.arange(frames)[:, None] * sequence_stride
             + xp.arange(sequence_length)[None, :])
    return get_item(x, (Ellipsis, index))


def _pair(value, name):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints; received {value!r}.")
    return pair


def _patch_index(size, kernel, dilation, padding, stride, xp):
    """Rows and columns (in the padded image) that each block reads, and the block
    grid size: rows[k, l] is kernel row k's position in block row l."""
    grid = []
    for dim in range(2):
        span = dilation[dim] * (kernel[dim] - 1) + 1
        count = (size[dim] + 2 * padding[dim] - span) // stride[dim] + 1
        if count < 1:
            raise ValueError("unfold/fold: the kernel does not fit in the padded input.")
        grid.append((xp.arange(kernel[dim])[:, None] * dilation[dim]
                     + xp.arange(count)[None, :] * stride[dim], count))
    return grid


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """im2col on (N, C, H, W): every sliding kH x kW block flattened, giving
    (N, C*kH*kW, L) with L the number of blocks (rows of blocks, then columns)."""
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"unfold needs a 4-D (N, C, H, W) input; received {x.shape}.")
    kernel, dilation = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    padding, stride = _pair(padding, "padding"), _pair(stride, "stride")
    xp = get_array_module(x.data)
    n, c, h, w = x.shape
    (rows, nh), (cols, nw) = _patch_index((h, w), kernel, dilation, padding, stride, xp)
    if padding != (0, 0):
        x = pad(x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    # patches[n, c, kh, kw, lh, lw] = x[n, c, rows[kh, lh], cols[kw, lw]]
    patches = get_item(x, (builtins.slice(None), builtins.slice(None),
                           rows[:, None, :, None], cols[None, :, None, :]))
    return reshape(patches, (n, c * kernel[0] * kernel[1], nh * nw))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im, the adjoint of ``unfold``: blocks (N, C*kH*kW, L) added back into an
    (N, C, oH, oW) image (overlaps sum)."""
    x = as_tensor(x)
    size = _pair(output_size, "output_size")
    kernel, dilation = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    padding, stride = _pair(padding, "padding"), _pair(stride, "stride")
    xp = get_array_module(x.data)
    (rows, nh), (cols, nw) = _patch_index(size, kernel, dilation, padding, stride, xp)
    if x.ndim != 3 or x.shape[1] % (kernel[0] * kernel[1]) or x.shape[2] != nh * nw:
        raise ValueError(
            f"fold: expected (N, C*{kernel[0]}*{kernel[1]}, {nh * nw}) blocks for "
            f"output_size {size}; received shape {x.shape}.")
    n, c = x.shape[0], x.shape[1] // (kernel[0] * kernel[1])
    blocks = x.data.reshape(n, c, kernel[0], kernel[1], nh, nw)
    padded = (n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    key = (builtins.slice(None), builtins.slice(None),
           rows[:, None, :, None], cols[None, :, None, :])
    out = scatter_add(padded, x.data.dtype, key, blocks)
    crop = (Ellipsis, builtins.slice(padding[0], padding[0] + size[0]),
            builtins.slice(padding[1], padding[1] + size[1]))

    def backward(g):
        full = xp.zeros(padded, dtype=g.dtype)
        full[crop] = g
        return (full[key].reshape(x.data.shape),)

    return record(out[crop], (x,), backward)


# --- dtypes -------------------------------------------------------------------------------
def saturate_cast(x, dtype):
    """Cast to ``dtype``, first clipping values into its range (no wrap-around)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    dtype = arrays.standardize_dtype(dtype)
    data = x.data
    target = xp.dtype(dtype)
    if target.kind in "iu" and data.dtype.kind == "f":
        # clip in float64 just below the top (float(max) itself may not fit), then
        # send everything at or above the top to the largest integer; NaN becomes 0
        info = xp.iinfo(target)
        wide = data.astype("float64")
        wide = xp.where(xp.isnan(wide), 0.0, wide)
        top = float(info.max)
        inner = xp.clip(wide, float(info.min), xp.nextafter(top, 0.0)).astype(target)
        return Tensor(xp.where(wide >= top, target.type(info.max), inner))
    if target.kind in "iu":
        info = xp.iinfo(target)
        data = xp.clip(data, info.min, info.max)
    elif target.kind == "f" and data.dtype.kind == "f":
        info = xp.finfo(target)
        data = xp.clip(data, info.min, info.max)
    return Tensor(data.astype(target))


def dtype(x):
    """The dtype of ``x`` as a string, e.g. ``"float32"`` (also for a symbolic KerasTensor)."""
    if isinstance(x, KerasTensor):
        return arrays.standardize_dtype(x.dtype)
    return arrays.standardize_dtype(as_tensor(x).data.dtype)


# --- vectorize and rearrange --------------------------------------------------------------
def _parse_signature(signature):
    """'(m,n),(n)->(m)' -> ([['m', 'n'], ['n']], [['m']])."""
    import re

    left, arrow, right = signature.replace(" ", "").partition("->")
    if not arrow:
        raise ValueError(f"vectorize: the signature {signature!r} has no '->'.")

    def groups(text):
        found = re.findall(r"\(([^()]*)\)", text)
        return [[d for d in g.split(",") if d] for g in found]

    return groups(left), groups(right)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to loop over the leading (broadcast) axes of its arguments, as
    ``numpy.vectorize``: without ``signature`` it receives scalar tensors; with one
    such as ``"(n),(n)->()"`` it receives the core axes named there.  Arguments whose
    positions are in ``excluded`` are passed through unchanged.  Results are stacked
    (with gradients) and given the broadcast loop shape.
    """
    excluded = set(excluded or ())

    @functools.wraps(pyfunc)
    def wrapper(*args):
        import numpy

        from kerlite.ops.shape import broadcast_to

        looped = [i for i in range(len(args)) if i not in excluded]
        if signature is None:
            cores, outs = [[] for _ in looped], None
        else:
            cores, outs = _parse_signature(signature)
            if len(cores) != len(looped):
                raise ValueError(f"vectorize: the signature names {len(cores)} inputs but "
                                 f"{len(looped)} were given.")
        tensors_in = {i: as_tensor(args[i]) for i in looped}
        loop_shapes = []
        for i, core in zip(looped, cores):
            shape = tensors_in[i].shape
            if len(shape) < len(core):
                raise ValueError(f"vectorize: argument {i} has fewer axes than its core "
                                 f"dimensions {core}.")
            loop_shapes.append(shape[:len(shape) - len(core)])
        loop = numpy.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        for i, core in zip(looped, cores):
            t = tensors_in[i]
            tensors_in[i] = broadcast_to(t, loop + t.shape[t.ndim - len(core):])
        results = []
        for position in numpy.ndindex(*loop):
            call = [tensors_in[i][position] if i in tensors_in else args[i]
                    for i in range(len(args))]
            results.append(pyfunc(*call))
        if not results:
            raise ValueError("vectorize: the broadcast loop shape is empty.")
        single = not isinstance(results[0], (tuple, list))
        columns = [[r] if single else list(r) for r in results]
        if outs is not None and len(columns[0]) != len(outs):
            raise ValueError(f"vectorize: pyfunc returned {len(columns[0])} outputs; the "
                             f"signature names {len(outs)}.")
        stacked = [stack([as_tensor(c[k]) for c in columns]) for k in range(len(columns[0]))]
        shaped = [reshape(s, loop + s.shape[1:]) for s in stacked]
        return shaped[0] if single else tuple(shaped)

    return wrapper


def _rearrange_groups(side):
    import re

    tokens = re.findall(r"\([^()]*\)|[^\s()]+", side)
    return [token[1:-1].split() if token.startswith("(") else [token] for token in tokens]


def rearrange(tensor, pattern, **axes_lengths):
    """einops-style axis shuffling: ``"b h w c -> b (h w) c"`` merges axes,
    ``"b (h p) w -> b h p w"`` splits one (give ``p=...``), and plain names transpose.

    A reshape to the split axes, one transpose, and a reshape to the merged ones.
    """
    from kerlite.ops.shape import transpose

    x = as_tensor(tensor)
    left, arrow, right = pattern.partition("->")
    if not arrow:
        raise ValueError(f"rearrange: the pattern {pattern!r} has no '->'.")
    inputs, outputs = _rearrange_groups(left), _rearrange_groups(right)
    if len(inputs) != x.ndim:
        raise ValueError(f"rearrange: the pattern names {len(inputs)} input axes but the "
                         f"tensor has shape {x.shape}.")
    sizes = {}
    for group, dim in zip(inputs, x.shape):
        unknown = [name for name in group if name not in axes_lengths]
        if len(unknown) > 1:
            raise ValueError(f"rearrange: cannot infer the sizes of {unknown} in one axis.")
        known = 1
        for name in group:
            if name in axes_lengths:
                sizes[name] = int(axes_lengths[name])
                known *= sizes[name]
        if unknown:
            sizes[unknown[0]] = dim // known
        if dim % known or (not unknown and known != dim):
            raise ValueError(f"rearrange: axis of size {dim} cannot be split as {group} "
                             f"with {axes_lengths}.")
    names_in = [name for group in inputs for name in group]
    names_out = [name for group in outputs for name in group]
    if sorted(names_in) != sorted(names_out) or len(set(names_in)) != len(names_in):
        raise ValueError(f"rearrange: {pattern!r} must use each axis name once on each side.")
    split = reshape(x, [sizes[name] for name in names_in])
    moved = transpose(split, [names_in.index(name) for name in names_out])
    merged = []
    for group in outputs:
        size = 1
        for name in group:
            size *= sizes[name]
        merged.append(size)
    return reshape(moved, merged)
