"""Convolutions (1-D, 2-D, 3-D) as in ``keras.ops``: conv, depthwise, separable, transpose.

Each one is a single fused op with a hand-written backward rule. The forward pass
unfolds every window of the input into a matrix row (im2col, see ``sliding_windows``)
and multiplies it by the kernel, reshaped to a matrix:

    out[n, p, f] = sum_{k, c} x_pad[n, p*s + k*d, c] * w[k, c, f]

so ``dL/dw = cols^T @ g`` and ``dL/dcols = g @ w^T``, and ``dL/dx`` adds ``dL/dcols``
back into the windows it came from (col2im), one kernel offset at a time. Groups split
the channels into ``G`` independent convolutions, done as one batched matrix product.
Kernels have Keras's layout: ``(*kernel_size, in_channels // groups, filters)``. The
unfolded matrix is built a few samples at a time (a block that fits the CPU cache,
``CACHE_BLOCK_BYTES``), in the forward and again in the backward, and is never kept.
"""

import math

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.convolution_transpose import conv_transpose  # noqa: F401
from kerlite.ops.shape import reshape
from kerlite.ops.sliding_windows import (cache_blocks, from_channels_last, kernel_offsets,
                                         normalize_tuple, pad_spatial, padding_amounts,
                                         standardize_data_format, standardize_padding,
                                         to_channels_last, unfolded_bytes, window_slices,
                                         windows)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; ``inputs`` is ``(batch, *spatial, channels)`` (channels_last).

    The number of groups is ``channels // kernel.shape[-2]``, as in Keras.
    """
    return fused_conv(inputs, kernel, None, None, strides, padding, data_format,
                      dilation_rate)


def fused_conv(inputs, kernel, bias=None, activation=None, strides=1, padding="valid",
               data_format=None, dilation_rate=1):
    """``activation(conv(inputs, kernel) + bias)`` as one op (what Conv layers call).

    ``activation`` is None or "relu" (other activations are applied after).
    """
    x, w = as_tensor(inputs), as_tensor(kernel)
    rank = w.ndim - 2
    x = to_channels_last(x, rank, standardize_data_format(data_format), "conv")
    channels, per_group, filters = x.shape[-1], w.shape[-2], w.shape[-1]
    if per_group < 1 or channels % per_group or filters % (channels // per_group):
        raise ValueError(
            f"conv: the input has {channels} channels and the kernel {tuple(w.shape)} "
            f"expects {per_group} input channels per group; the channels must be a "
            "multiple of kernel.shape[-2] and the filters a multiple of the groups."
        )
    out = _convolve(
        x, w,
        normalize_tuple(strides, rank, "strides"),
        standardize_padding(padding),
        normalize_tuple(dilation_rate, rank, "dilation_rate"),
        channels // per_group,
        None if bias is None else as_tensor(bias),
        activation == "relu",
    )
    return from_channels_last(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Each input channel convolved by its own ``multiplier`` filters.

    ``kernel``: ``(*kernel_size, channels, multiplier)``; output channel
    ``c * multiplier + m`` is channel ``c`` through filter ``m``. This is a grouped
    convolution with one channel per group.
    """
    w = as_tensor(kernel)
    rank = w.ndim - 2
    as_grouped = reshape(w, (*w.shape[:rank], 1, w.shape[-2] * w.shape[-1]))
    return conv(inputs, as_grouped, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 convolution that mixes the channels."""
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _convolve(x, w, strides, padding, dilation, groups, bias=None, relu=False):
    """Channels-last grouped convolution as one (batched) matrix product per block.

    With ``bias`` (a Tensor) and ``relu`` it also computes ``max(conv + bias, 0)``, in
    place: the relu's backward is ``g * (out > 0)`` and the bias gets ``sum(g)``.
    The batch is done a few samples at a time (``cache_blocks``): each block's im2col rows
    are still in the CPU cache when the product reads them and bias and relu run on its
    output, which makes the whole forward faster than one big matrix; the backward
    unfolds each block again for the kernel's gradient instead of keeping the rows.
    """
    xp = get_array_module(x.data)
    rank = w.ndim - 2
    kernel = tuple(w.shape[:rank])
    spatial = x.shape[1:-1]
    pads = padding_amounts(spatial, kernel, strides, dilation, padding)
    padded = pad_spatial(x.data, pads)
    all_windows = windows(padded, kernel, strides, dilation)
    out_spatial = all_windows.shape[1 : 1 + rank]
    if any(n <= 0 for n in out_spatial):
        raise ValueError(
            f"conv: a kernel of size {kernel} (dilation {dilation}) does not fit an "
            f"input of spatial shape {spatial} with padding='valid'. Use a smaller "
            "kernel, a bigger input or padding='same'."
        )
    batch, channels, filters = x.shape[0], x.shape[-1], w.shape[-1]
    w_groups = _kernel_as_group_matrices(w.data, groups)
    per_sample = unfolded_bytes(out_spatial, kernel, channels, x.data.itemsize)
    blocks = cache_blocks(batch, per_sample)
    out = xp.empty((batch, *out_spatial, filters), dtype=xp.result_type(x.data, w.data))
    for block in blocks:
        cols = _im2col(all_windows[block], groups)
        out_block = out[block]
        if groups == 1:  # the product written straight into the output
            xp.matmul(cols[0], w_groups[0], out=out_block.reshape(-1, filters))
        else:
            out_block[...] = _group_rows_to_output(cols @ w_groups, out_block.shape)
        if bias is not None:
            out_block += bias.data
        if relu:
            xp.maximum(out_block, 0, out=out_block)

    def backward(g):
        if relu:
            g = g * (out > 0)
        grad_w = kernel_gradient(g, w_groups, w.shape, groups) if w._needs_grad else None
        grad_x = input_gradient(g, w_groups, padded.shape) if x._needs_grad else None
        if bias is None:
            return grad_x, grad_w
        rows = g.reshape(-1, filters)
        # sum over the rows as a product with ones: BLAS does it ~7x faster than .sum(0)
        return grad_x, grad_w, xp.ones(rows.shape[0], dtype=rows.dtype) @ rows

    def kernel_gradient(g, w_groups, kernel_shape, groups):
        """dL/dw = cols^T @ g, block by block: each block's rows are unfolded again (a
        copy that stays in cache) rather than kept from the forward (memory the size of
        the batch times the kernel, mapped afresh every step)."""
        grad = xp.zeros(w_groups.shape, dtype=w.data.dtype)
        for block in blocks:
            cols = _im2col(all_windows[block], groups)
            grad += cols.transpose(0, 2, 1) @ _output_to_group_rows(g[block], groups)
        return _group_matrices_as_kernel(grad, kernel_shape)

    def input_gradient(g, w_groups, padded_shape):
        """col2im of g @ w^T, one kernel offset at a time: each offset's share is one
        matrix product, added into the strided slice of the input that offset saw."""
        grad = xp.zeros(padded_shape, dtype=padded.dtype)
        w_per_offset = _kernel_per_offset(w_groups, math.prod(kernel))
        offsets = list(kernel_offsets(kernel))
        # In cache-sized blocks of the batch: each share is added while still in cache.
        for block in cache_blocks(batch, math.prod(out_spatial) * channels * g.itemsize):
            g_groups = _output_to_group_rows(g[block], groups)
            target = grad[block]
            shape = (target.shape[0], *out_spatial, channels)
            for k, offset in enumerate(offsets):
                share = _group_rows_to_output(g_groups @ w_per_offset[k], shape)
                target[window_slices(offset, out_spatial, strides, dilation)] += share
        return grad[(slice(None),) + tuple(
            slice(before, before + n) for (before, _), n in zip(pads, spatial))]

    return record(out, (x, w) if bias is None else (x, w, bias), backward)


# --- moving between the kernel / image layouts and the grouped matrices ---------------
def _kernel_as_group_matrices(w, groups):
    """``(*k, Cg, F)`` -> ``(G, K*Cg, F/G)``: one matrix per group."""
    positions, per_group, filters = math.prod(w.shape[:-2]), w.shape[-2], w.shape[-1]
    if groups == 1:
        return w.reshape(1, positions * per_group, filters)
    w = w.reshape(positions, per_group, groups, filters // groups)
    return w.transpose(2, 0, 1, 3).reshape(groups, positions * per_group, filters // groups)


def _group_matrices_as_kernel(w_groups, kernel_shape):
    groups, per_group, filters = w_groups.shape[0], kernel_shape[-2], kernel_shape[-1]
    if groups == 1:
        return w_groups.reshape(kernel_shape)
    positions = math.prod(kernel_shape[:-2])
    w = w_groups.reshape(groups, positions, per_group, filters // groups)
    return w.transpose(1, 2, 0, 3).reshape(kernel_shape)


def _im2col(window_view, groups):
    """``(n, *out, *k, C)`` windows -> ``(G, n*out, K*C/G)`` rows (this is the copy)."""
    channels = window_view.shape[-1]
    rank = (window_view.ndim - 2) // 2
    rows = math.prod(window_view.shape[: 1 + rank])
    positions = math.prod(window_view.shape[1 + rank : -1])
    if groups == 1:
        # Reshaping the strided view copies it into a plain (BLAS-friendly) matrix.
        return window_view.reshape(1, rows, positions * channels)
    cols = window_view.reshape(rows, positions, groups, channels // groups)
    return cols.transpose(2, 0, 1, 3).reshape(groups, rows, positions * channels // groups)


def _kernel_per_offset(w_groups, positions):
    """``(G, K*Cg, Fg)`` -> ``(K, G, Fg, Cg)``: the transposed matrix of each kernel offset."""
    groups, rows, filters = w_groups.shape
    w = w_groups.reshape(groups, positions, rows // positions, filters)
    return w.transpose(1, 0, 3, 2).copy()


def _group_rows_to_output(products, out_shape):
    """``(G, rows, F/G)`` -> ``(n, *out, F)``."""
    if products.shape[0] == 1:
        return products.reshape(out_shape)
    return products.transpose(1, 0, 2).reshape(out_shape)


def _output_to_group_rows(g, groups):
    filters = g.shape[-1]
    rows = g.size // filters
    if groups == 1:
        return g.reshape(1, rows, filters)
    return g.reshape(rows, groups, filters // groups).transpose(1, 0, 2)
