"""Neural-network ops built from other ops: normalisations, attention, pixel shuffles,
multi-hot encoding, top-k membership, PSNR and pairwise distances.

Each one is a short composition of differentiable ops (mean, rsqrt, einsum, softmax,
reshape, transpose...), so its gradient comes from theirs.
"""

import math

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, normalize_axis
from kerlite.ops.arithmetic import add, multiply, subtract
from kerlite.ops.core import cast
from kerlite.ops.elementwise import log, rsqrt, sqrt, square
from kerlite.ops.indexing import where
from kerlite.ops.products import einsum
from kerlite.ops.reductions import mean, sum
from kerlite.ops.shape import expand_dims, reshape, transpose
from kerlite.ops.softmax import softmax


def _like(value, x):
    """``value`` (None, a number, an array or a Tensor) as a Tensor of ``x``'s dtype."""
    if value is None:
        return None
    value = as_tensor(value, like=x)
    if value.dtype != x.dtype:
        value = cast(value, x.dtype)
    return value


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, with the 1-D ``mean``,
    ``variance``, ``offset`` and ``scale`` laid along ``axis`` of ``x``."""
    x = float_tensor(x)
    shape = [1] * x.ndim
    mean, variance = _like(mean, x), _like(variance, x)
    shape[axis] = mean.shape[0]
    inv = rsqrt(add(reshape(variance, shape), epsilon))
    if scale is not None:
        inv = multiply(inv, reshape(_like(scale, x), shape))
    out = multiply(subtract(x, reshape(mean, shape)), inv)
    if offset is not None:
        out = add(out, reshape(_like(offset, x), shape))
    return out


def _stat_shape(x, axes, v):
    """A per-feature vector ``v`` reshaped so it broadcasts over ``x``'s other axes."""
    if v is None or v.ndim == x.ndim or axes == (x.ndim - 1,):
        return v
    return reshape(v, [x.shape[i] if i in axes else 1 for i in range(x.ndim)])


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """(x - mean) / sqrt(var + epsilon) * gamma + beta, with mean and variance taken
    over ``axis`` (an int or several) of each example."""
    if kwargs.pop("rms_scaling", False):
        raise ValueError(
            "layer_normalization: rms_scaling=True (deprecated in Keras) is not "
            "supported; use ops.rms_normalization."
        )
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}")
    x = float_tensor(x)
    epsilon = arrays.epsilon() if epsilon is None else epsilon
    axes = normalize_axis(axis, x.ndim)
    centred = subtract(x, mean(x, axis=axes, keepdims=True))
    variance = mean(square(centred), axis=axes, keepdims=True)
    out = multiply(centred, rsqrt(add(variance, epsilon)))
    if gamma is not None:
        out = multiply(out, _stat_shape(x, axes, _like(gamma, x)))
    if beta is not None:
        out = add(out, _stat_shape(x, axes, _like(beta, x)))
    return out


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """x / sqrt(mean(x**2) + epsilon) * scale, the mean taken over ``axis``."""
    x = float_tensor(x)
    if x.ndim == 0:
        x = expand_dims(x, 0)
    epsilon = arrays.epsilon() if epsilon is None else epsilon
    out = multiply(x, rsqrt(add(mean(square(x), axis=axis, keepdims=True), epsilon)))
    if scale is not None:
        out = multiply(out, _like(scale, x))
    return out


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None,
                          is_causal=False, flash_attention=None,
                          attn_logits_soft_cap=None):
    """softmax(Q K^T * scale + bias) V for inputs shaped (batch, length, heads, dim).

    ``scale`` defaults to 1/sqrt(dim). ``mask`` (True = attend) and ``is_causal`` (each
    query sees keys at its position and before) drop logits before the softmax. With
    fewer key/value heads than query heads, each serves a group of query heads (GQA).
    """
    if flash_attention:
        raise ValueError("dot_product_attention: flash attention is not supported in "
                         "kerlite; use flash_attention=None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("dot_product_attention: attn_logits_soft_cap is only "
                         "supported by Keras with JAX on TPU.")
    query, key, value = float_tensor(query), float_tensor(key), float_tensor(value)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "dot_product_attention needs 4-D inputs (batch, length, heads, dim). "
            f"Received: query.shape={query.shape}, key.shape={key.shape}, "
            f"value.shape={value.shape}."
        )
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(
            f"dot_product_attention: the query's {heads} heads must be a multiple of the "
            f"key's {kv_heads} heads."
        )
    batch, t, _, dim = query.shape
    groups = heads // kv_heads
    q = reshape(query, (batch, t, kv_heads, groups, dim))
    scale = 1.0 / math.sqrt(dim) if scale is None else scale
    logits = multiply(einsum("btkgh,bskh->bkgts", q, key), scale)
    s = key.shape[1]
    logits = reshape(logits, (batch, heads, t, s))
    if bias is not None:
        logits = add(logits, _like(bias, logits))
    keep = None
    if mask is not None:
        keep = as_tensor(mask).data.astype(bool)
    if is_causal:
        xp = get_array_module(logits.data)
        causal = xp.tril(xp.ones((t, s), dtype=bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        very_negative = logits.data.dtype.type(-0.7 * float(
            get_array_module(logits.data).finfo(logits.data.dtype).max))
        logits = where(keep, logits, very_negative)
    probs = reshape(softmax(logits, axis=-1), (batch, kv_heads, groups, t, s))
    out = einsum("bkgts,bskh->btkgh", probs, value)
    return reshape(out, (batch, t, heads, value.shape[-1]))


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Integer labels -> multi-hot vectors: 1 at every class a row mentions.

    A batch (rank >= 2) gives one vector per row; a 1-D input gives one vector.
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if sparse:
        raise ValueError("multi_hot: sparse=True is not supported by kerlite.")
    from kerlite.ops.indexing import one_hot

    x = as_tensor(inputs)
    hot = one_hot(cast(x, "int32"), num_classes, axis=axis, dtype=dtype).data
    return Tensor(hot.max(axis=1 if x.ndim > 1 else 0))


def in_top_k(targets, predictions, k):
    """True where the prediction for the target class is among the ``k`` largest.

    Rank of the target = 1 + how many classes score strictly higher (ties count in
    favour of the target; a NaN score never counts as high).
    """
    predictions = as_tensor(predictions).data
    xp = get_array_module(predictions)
    targets = as_tensor(targets).data.astype("int64")
    at_label = xp.take_along_axis(predictions, targets[..., None], axis=-1)
    at_label = xp.where(xp.isnan(at_label), -xp.inf, at_label)
    rank = 1 + (predictions > at_label).sum(axis=-1)
    return Tensor(rank <= k)


def _pixel_shuffle_check(x, block_size, data_format):
    if x.ndim != 4:
        raise ValueError(f"Expected a 4-D input; received shape {x.shape}.")
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'; "
                         f"received {data_format!r}.")
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"block_size must be an int >= 2; received {block_size!r}.")


def depth_to_space(x, block_size, data_format="channels_last"):
    """Move channels into space: (N, H, W, C) -> (N, H*b, W*b, C/b**2).

    Channel c of the input lands at row offset c // (b*C'), column offset
    (c // C') % b, channel c % C' of the output (C' = C/b**2), as in TensorFlow.
    """
    x = as_tensor(x)
    _pixel_shuffle_check(x, block_size, data_format)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        if c % (b * b):
            raise ValueError(f"depth_to_space: channels ({c}) must be divisible by "
                             f"block_size**2 ({b * b}).")
        y = transpose(reshape(x, (n, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5))
        return reshape(y, (n, h * b, w * b, c // (b * b)))
    n, c, h, w = x.shape
    if c % (b * b):
        raise ValueError(f"depth_to_space: channels ({c}) must be divisible by "
                         f"block_size**2 ({b * b}).")
    y = transpose(reshape(x, (n, c // (b * b), b, b, h, w)), (0, 1, 4, 2, 5, 3))
    return reshape(y, (n, c // (b * b), h * b, w * b))


def space_to_depth(x, block_size, data_format="channels_last"):
    """Move b x b spatial blocks into channels: (N, H, W, C) -> (N, H/b, W/b, C*b**2).

    The inverse of ``depth_to_space``.
    """
    x = as_tensor(x)
    _pixel_shuffle_check(x, block_size, data_format)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        if h % b or w % b:
            raise ValueError(f"space_to_depth: height and width ({h}, {w}) must be "
                             f"divisible by block_size ({b}).")
        y = transpose(reshape(x, (n, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5))
        return reshape(y, (n, h // b, w // b, c * b * b))
    n, c, h, w = x.shape
    if h % b or w % b:
        raise ValueError(f"space_to_depth: height and width ({h}, {w}) must be "
                         f"divisible by block_size ({b}).")
    y = transpose(reshape(x, (n, c, h // b, b, w // b, b)), (0, 1, 3, 5, 2, 4))
    return reshape(y, (n, c * b * b, h // b, w // b))


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio in decibels: 20 log10(max_val) - 10 log10(mse)."""
    x1, x2 = float_tensor(x1), float_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: input shapes {x1.shape} and {x2.shape} must match.")
    mse = mean(square(subtract(x1, x2)))
    ln10 = math.log(10.0)
    peak = 20.0 * math.log10(float(max_val))
    return subtract(x1.data.dtype.type(peak), multiply(log(mse), 10.0 / ln10))


def cdist(x, y):
    """Euclidean distance between every row vector of ``x`` and of ``y``:
    out[..., i, j] = sqrt(sum_k (x[..., i, k] - y[..., j, k])**2)."""
    x, y = float_tensor(x), float_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError("cdist inputs must have rank >= 2.")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("cdist: the last dimensions of the inputs must match; received "
                         f"{x.shape} and {y.shape}.")
    diff = subtract(expand_dims(x, -2), expand_dims(y, -3))
    return sqrt(sum(square(diff), axis=-1))
