"""The window machinery shared by convolution and pooling (channels_last arrays).

A convolution or a pool looks at a small window of the input at every output position.
``windows`` gives all those windows at once as a strided *view* of the padded input
(no copy): shape ``(batch, *output_positions, *kernel_positions, channels)``. Copying
that view into a matrix is "im2col"; one matrix product then does the whole layer.
``scatter_add_windows`` is the way back (col2im): it adds per-window values into the
input positions they came from, one kernel offset at a time (a 3x3 kernel is 9 strided
additions, each over the whole batch). Kernel offset ``o`` of every window is itself
one strided slice of the input (``window_slices``).
"""

import itertools
import math

from kerlite import arrays
from kerlite.arrays import get_array_module

# The im2col matrix is built for at most this many bytes at a time; a bigger batch is
# processed in chunks, so peak memory grows with the batch, not batch x kernel x image.
UNFOLD_BUDGET_BYTES = 256 * 1024 * 1024
# A convolution's forward unfolds and multiplies this many bytes of im2col rows at a time:
# small enough to stay in the CPU's cache between the copy, the product and bias/relu
# (measured best at 2-4 MB on a 2-core EPYC; see benchmarks/profile_conv_ops.py).
CACHE_BLOCK_BYTES = 3 * 1024 * 1024


def normalize_tuple(value, rank, name):
    """``3`` -> ``(3, 3)`` for rank 2; a tuple must have ``rank`` positive ints."""
    if isinstance(value, int):
        result = (value,) * rank
    else:
        try:
            result = tuple(int(v) for v in value)
        except TypeError:
            raise ValueError(
                f"The `{name}` argument must be an int or a tuple of {rank} ints. "
                f"Received: {name}={value!r}"
            ) from None
        if len(result) == 1 and rank > 1:
            result = result * rank
    if len(result) != rank or any(v < 1 for v in result):
        raise ValueError(
            f"The `{name}` argument must be a positive int or a tuple of {rank} "
            f"positive ints. Received: {name}={value!r}"
        )
    return result


def standardize_padding(padding):
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"The `padding` argument must be 'valid' or 'same'. Received: padding={padding!r}"
        )
    return padding


def standardize_data_format(data_format):
    data_format = arrays.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def output_length(length, kernel, stride, dilation, padding):
    """Output positions along one axis: ceil(n / s) for "same", (n - k_eff) // s + 1 for "valid"."""
    if length is None:
        return None
    if padding == "same":
        return -(-length // stride)
    effective = (kernel - 1) * dilation + 1
    return (length - effective) // stride + 1


def padding_amounts(lengths, kernel, strides, dilation, padding):
    """(before, after) zeros per spatial axis. "same" puts the odd extra one at the end, as TF."""
    if padding == "valid":
        return [(0, 0)] * len(lengths)
    pads = []
    for n, k, s, d in zip(lengths, kernel, strides, dilation):
        out = -(-n // s)
        total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def pad_spatial(x, pads, value=0):
    """Pad the spatial axes (all but the first and last) of a channels_last array."""
    if not any(before or after for before, after in pads):
        return x
    xp = get_array_module(x)
    return xp.pad(x, [(0, 0), *pads, (0, 0)], constant_values=value)


def windows(x, kernel, strides, dilation):
    """All windows of a padded channels_last array, as a strided view.

    ``x``: ``(N, *spatial, C)`` -> ``(N, *out, *kernel, C)`` where ``out`` are the
    "valid" output positions for this kernel, stride and dilation.
    """
    xp = get_array_module(x)
    rank = len(kernel)
    spatial = x.shape[1:-1]
    out = [(n - (k - 1) * d - 1) // s + 1 for n, k, s, d in zip(spatial, kernel, strides, dilation)]
    step = x.strides
    shape = (x.shape[0], *out, *kernel, x.shape[-1])
    strides_ = (
        step[0],
        *(step[1 + i] * strides[i] for i in range(rank)),
        *(step[1 + i] * dilation[i] for i in range(rank)),
        step[-1],
    )
    return xp.lib.stride_tricks.as_strided(x, shape=shape, strides=strides_)


def kernel_offsets(kernel):
    """Every position inside a kernel: (0, 0), (0, 1), ... for a 2-D kernel."""
    return itertools.product(*(range(k) for k in kernel))


def window_slices(offset, out, strides, dilation):
    """The input positions that kernel element ``offset`` sees, over all outputs."""
    return (
        slice(None),
        *(
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, n, s, d in zip(offset, out, strides, dilation)
        ),
        slice(None),
    )


def scatter_add_windows(target, values, strides, dilation):
    """col2im: add per-window ``values`` back into ``target`` ``(N, *in, C)``.

    ``values`` is kernel-major, ``(*kernel, N, *out, C)``: the values of one kernel
    offset are contiguous, which makes each strided addition fast.
    """
    rank = target.ndim - 2
    kernel = values.shape[:rank]
    out = values.shape[rank + 1 : 2 * rank + 1]
    for offset in kernel_offsets(kernel):
        target[window_slices(offset, out, strides, dilation)] += values[offset]
    return target


def batch_chunks(batch, bytes_per_sample, budget=None):
    """Slices of the batch small enough that one chunk's unfolded copy fits the budget
    (``UNFOLD_BUDGET_BYTES`` unless given)."""
    budget = UNFOLD_BUDGET_BYTES if budget is None else budget
    per_chunk = max(1, budget // max(1, bytes_per_sample))
    return [slice(start, min(start + per_chunk, batch)) for start in range(0, batch, per_chunk)]


def cache_blocks(batch, bytes_per_sample):
    """Slices of the batch whose unfolded copy fits ``CACHE_BLOCK_BYTES`` (and the budget)."""
    return batch_chunks(batch, bytes_per_sample, min(CACHE_BLOCK_BYTES, UNFOLD_BUDGET_BYTES))


def unfolded_bytes(out, kernel, channels, itemsize):
    """Bytes of one sample's im2col matrix."""
    return math.prod(out) * math.prod(kernel) * channels * itemsize


def to_channels_last(x, rank, data_format, op_name):
    """Check the rank of a Tensor and move its channels last (differentiably)."""
    from kerlite.ops.shape import transpose

    if x.ndim != rank + 2:
        raise ValueError(
            f"{op_name}: {rank} spatial dimensions need inputs of rank {rank + 2} "
            f"(batch, spatial..., channels). Received inputs of shape {x.shape}."
        )
    if data_format == "channels_first":
        return transpose(x, (0, *range(2, rank + 2), 1))
    return x


def from_channels_last(x, data_format):
    """Undo ``to_channels_last`` on a result."""
    from kerlite.ops.shape import transpose

    if standardize_data_format(data_format) == "channels_first":
        return transpose(x, (0, x.ndim - 1, *range(1, x.ndim - 1)))
    return x
