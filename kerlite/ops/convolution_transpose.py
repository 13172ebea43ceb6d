"""Transposed convolution ("deconvolution"), as ``keras.ops.conv_transpose``.

It is the gradient of a convolution with respect to its input, run forwards: every
input pixel paints a scaled copy of the kernel onto the output, ``stride`` pixels apart.
So the forward pass is one matrix product (each pixel times the kernel) followed by
col2im (add the painted windows into the full output), and the backward pass is an
ordinary convolution (im2col of the gradient, then matrix products). Kernel layout as
Keras: ``(*kernel_size, filters, in_channels)``.

The full painted output has ``(n - 1) * s + (k - 1) * d + 1`` positions per axis;
Keras's padding / output_padding rules say which window of it is returned.
"""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.sliding_windows import (batch_chunks, from_channels_last, normalize_tuple,
                                         scatter_add_windows, standardize_data_format,
                                         standardize_padding, to_channels_last,
                                         unfolded_bytes, windows)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """N-D transposed convolution; kernel ``(*kernel_size, filters, in_channels)``."""
    x, w = as_tensor(inputs), as_tensor(kernel)
    rank = w.ndim - 2
    x = to_channels_last(x, rank, standardize_data_format(data_format), "conv_transpose")
    if x.shape[-1] != w.shape[-1]:
        raise ValueError(
            f"conv_transpose: the kernel {tuple(w.shape)} expects {w.shape[-1]} input "
            f"channels (its last axis) but the inputs have {x.shape[-1]}."
        )
    strides = normalize_tuple(strides, rank, "strides")
    dilation = normalize_tuple(dilation_rate, rank, "dilation_rate")
    padding = standardize_padding(padding)
    if output_padding is None or isinstance(output_padding, int):
        output_padding = (output_padding,) * rank
    crops, lengths = [], []
    for n, k, s, d, extra in zip(x.shape[1:-1], w.shape[:rank], strides, dilation,
                                 output_padding):
        crop, length = output_window(n, k, s, d, padding, extra)
        crops.append(crop)
        lengths.append(length)
    out = _transpose_convolve(x, w, strides, dilation, crops, lengths)
    return from_channels_last(out, data_format)


def output_window(length, kernel, stride, dilation, padding, output_padding):
    """(first position, length) of the returned part of the full painted output.

    The same numbers Keras gives JAX as (left, right) padding of the dilated input.
    """
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        if output_padding is None:
            output_padding = max(effective, stride) - effective
        left, right = effective - 1, effective - 1 + output_padding
    else:
        if output_padding is None:
            total = stride + effective - 2
        else:
            total = effective + effective % 2 - 2 + output_padding
        left = min(total // 2 + total % 2, effective - 1)
        right = total - left
    out_length = (length - 1) * stride + 2 - effective + left + right
    return effective - 1 - left, out_length


def _transpose_convolve(x, w, strides, dilation, crops, lengths):
    xp = get_array_module(x.data)
    rank = w.ndim - 2
    kernel = tuple(w.shape[:rank])
    batch, spatial, channels, filters = x.shape[0], x.shape[1:-1], x.shape[-1], w.shape[-2]
    full = tuple((n - 1) * s + (k - 1) * d + 1
                 for n, k, s, d in zip(spatial, kernel, strides, dilation))
    w_matrix = w.data.reshape(-1, filters, channels).transpose(2, 0, 1).reshape(channels, -1)
    chunks = batch_chunks(batch, unfolded_bytes(spatial, kernel, filters, x.data.itemsize))
    dtype = xp.result_type(x.data, w.data)

    painted = xp.zeros((batch, *full, filters), dtype=dtype)
    w_per_offset = w.data.reshape(-1, filters, channels).transpose(0, 2, 1)  # (K, C, F)
    for chunk in chunks:
        pixels = x.data[chunk].reshape(1, -1, channels)
        values = (pixels @ w_per_offset).reshape(*kernel, -1, *spatial, filters)
        scatter_add_windows(painted[chunk], values, strides, dilation)
    source, target = _overlap(full, crops, lengths)
    out = xp.zeros((batch, *lengths, filters), dtype=dtype)
    out[target] = painted[source]

    def backward(g):
        grad_painted = xp.zeros(painted.shape, dtype=g.dtype)
        grad_painted[source] = g[target]
        grad_windows = windows(grad_painted, kernel, strides, dilation)
        grad_x = xp.empty(x.shape, dtype=x.data.dtype) if x._needs_grad else None
        grad_w = xp.zeros(w_matrix.shape, dtype=w.data.dtype) if w._needs_grad else None
        for chunk in chunks:
            cols = grad_windows[chunk].reshape(-1, w_matrix.shape[1])
            if grad_x is not None:
                grad_x[chunk] = (cols @ w_matrix.T).reshape(grad_x[chunk].shape)
            if grad_w is not None:
                grad_w += x.data[chunk].reshape(-1, channels).T @ cols
        if grad_w is not None:
            grad_w = grad_w.reshape(channels, -1, filters).transpose(1, 2, 0).reshape(w.shape)
        return grad_x, grad_w

    return record(out, (x, w), backward)


def _overlap(full, crops, lengths):
    """Index tuples (into the painted array, into the output) of their common region."""
    source, target = [slice(None)], [slice(None)]
    for size, crop, length in zip(full, crops, lengths):
        stop = min(crop + length, size)
        source.append(slice(crop, stop))
        target.append(slice(0, stop - crop))
    return tuple(source + [slice(None)]), tuple(target + [slice(None)])
