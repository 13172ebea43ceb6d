"""Image operations (``keras.ops.image``): resizing and affine transforms of image batches.

Both are linear in the image, so each output pixel is a weighted sum of input pixels and
the backward pass sends ``g`` back along the same weights:

    resize:            out = M_h @ image @ M_w.T     (one small matrix per spatial axis)
    affine_transform:  out[y, x] = sum_k w_k * image[y_k, x_k]   (2 or 4 neighbours)

Images are ``(batch, height, width, channels)`` or one ``(height, width, channels)``
image (``data_format="channels_first"`` puts the channels before height and width). The
numbers follow Keras 3 on the JAX backend (``jax.image.resize``, ``map_coordinates``).
"""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.graph.dispatch import symbolic_dispatch
from kerlite.ops.core import cast
from kerlite.ops.indexing import get_item, scatter_add
from kerlite.ops.joining import pad
from kerlite.ops.shape import expand_dims, squeeze, transpose
from kerlite.ops.sliding_windows import standardize_data_format

RESIZE_INTERPOLATIONS = ("bilinear", "nearest")
AFFINE_TRANSFORM_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_TRANSFORM_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _to_batched_channels_last(images, data_format, op_name):
    """A 4-D channels-last Tensor, and the function that gives results the input's layout."""
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{op_name}: expected images of rank 3 (one image) or 4 (a batch of images). "
            f"Received: images.shape={x.shape}")
    if x.data.dtype.kind not in "fc":  # integer images are interpolated as float32
        x = cast(x, "float32")
    unbatched = x.ndim == 3
    if unbatched:
        x = expand_dims(x, 0)
    channels_first = data_format == "channels_first"
    if channels_first:
        x = transpose(x, (0, 2, 3, 1))

    def restore(out):
        if channels_first:
            out = transpose(out, (0, 3, 1, 2))
        return squeeze(out, 0) if unbatched else out

    return x, restore


# --- resize --------------------------------------------------------------------------------
@symbolic_dispatch
def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
           fill_value=0.0, data_format=None):
    """Resize images to ``size = (height, width)`` ("bilinear" or "nearest").

    Pixel centres sit at half-integers (``in = (out + 0.5) * scale - 0.5``, clamped to
    the image), as ``jax.image.resize``. ``crop_to_aspect_ratio`` first cuts the
    largest centred box with the target's aspect ratio; ``pad_to_aspect_ratio`` pads
    with ``fill_value`` on both sides instead.
    """
    data_format = standardize_data_format(data_format)
    check_resize_arguments(size, interpolation, antialias, crop_to_aspect_ratio,
                           pad_to_aspect_ratio, fill_mode)
    target_h, target_w = (int(n) for n in size)
    x, restore = _to_batched_channels_last(images, data_format, "resize")
    if crop_to_aspect_ratio:
        x = _crop_to_aspect_ratio(x, target_h, target_w)
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect_ratio(x, target_h, target_w, fill_value)
    return restore(_resize_separable(x, target_h, target_w, interpolation))


def check_resize_arguments(size, interpolation, antialias, crop, pad_, fill_mode):
    """Raise ValueError for options resize() does not take (shared with the Resizing layer)."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"resize: interpolation={interpolation!r} is not supported by kerlite. "
            f"Expected one of {RESIZE_INTERPOLATIONS}.")
    if antialias:
        raise ValueError(
            "resize: antialias=True is not supported by kerlite. Use antialias=False "
            "(the same result when enlarging), or blur before shrinking.")
    if fill_mode != "constant":
        raise ValueError(
            "Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}")
    if crop and pad_:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` "
                         "can be `True`.")
    if len(size) != 2:
        raise ValueError("Argument `size` must be a tuple of two elements "
                         f"(height, width). Received: size={size}")


def _crop_to_aspect_ratio(x, target_h, target_w):
    height, width = x.shape[1:3]
    crop_h = max(min(height, int(width * target_h / target_w)), 1)
    crop_w = max(min(width, int(height * target_w / target_h)), 1)
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return get_item(x, (slice(None), slice(top, top + crop_h), slice(left, left + crop_w)))


def _pad_to_aspect_ratio(x, target_h, target_w, fill_value):
    height, width = x.shape[1:3]
    top = (max(height, int(width * target_h / target_w)) - height) // 2
    left = (max(width, int(height * target_w / target_h)) - width) // 2
    if top > 0:  # Keras pads the same amount on both sides, height first
        widths = ((0, 0), (top, top), (0, 0), (0, 0))
    elif left > 0:
        widths = ((0, 0), (0, 0), (left, left), (0, 0))
    else:
        return x
    return pad(x, widths, constant_values=fill_value)


def interpolation_matrix(n_in, n_out, interpolation, xp, dtype):
    """The ``(n_out, n_in)`` matrix that resizes one axis: row i holds output i's weights."""
    rows = xp.arange(n_out)
    matrix = xp.zeros((n_out, n_in), dtype=dtype)
    if interpolation == "nearest":  # JAX takes floor of the scaled centre, in float32
        centre = (rows.astype("float32") + 0.5) * xp.float32(n_in / n_out)
        matrix[rows, xp.minimum(xp.floor(centre).astype(int), n_in - 1)] = 1
        return matrix
    position = xp.clip((rows + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
    lower = xp.floor(position).astype(int)
    upper = xp.minimum(lower + 1, n_in - 1)
    fraction = position - lower
    matrix[rows, lower] = 1 - fraction
    matrix[rows, upper] += fraction
    return matrix


def _resize_separable(x, target_h, target_w, interpolation):
    xp = get_array_module(x.data)
    dtype = x.data.dtype
    rows = interpolation_matrix(x.shape[1], target_h, interpolation, xp, dtype)
    cols = interpolation_matrix(x.shape[2], target_w, interpolation, xp, dtype)
    out = xp.einsum("qw,npwc->npqc", cols, xp.einsum("ph,nhwc->npwc", rows, x.data))

    def backward(g):  # the transposed matrices carry g back
        return (xp.einsum("ph,npwc->nhwc", rows, xp.einsum("qw,npqc->npwc", cols, g)),)

    return record(out, (x,), backward)


# --- affine_transform ------------------------------------------------------------------------
@symbolic_dispatch
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Resample images through projective transforms ``[a0, a1, a2, b0, b1, b2, c0, c1]``.

    Output pixel (x, y) takes the input value at ``((a0 x + a1 y + a2) / k,
    (b0 x + b1 y + b2) / k)`` with ``k = c0 x + c1 y + 1``: the transform maps output
    to input. ``transform`` is one row of 8 or one row per image. Points outside the
    image are filled as ``fill_mode`` says (as ``scipy.ndimage``, with whole pixels):
    "constant" with ``fill_value``, "nearest" repeats the edge, "wrap" tiles the image,
    "reflect" mirrors it about the pixel edge (abc|cba), "mirror" about the edge
    pixel's centre (abc|ba). No gradient flows to ``transform``.
    """
    data_format = standardize_data_format(data_format)
    if interpolation not in AFFINE_TRANSFORM_INTERPOLATIONS:
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected one of "
            f"{AFFINE_TRANSFORM_INTERPOLATIONS}. Received: interpolation={interpolation}")
    if fill_mode not in AFFINE_TRANSFORM_FILL_MODES:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected one of "
            f"{AFFINE_TRANSFORM_FILL_MODES}. Received: fill_mode={fill_mode}")
    x, restore = _to_batched_channels_last(images, data_format, "affine_transform")
    xp = get_array_module(x.data)
    matrix = xp.asarray(as_tensor(transform).data)
    if matrix.dtype.kind != "f":
        matrix = matrix.astype("float32")
    if matrix.ndim not in (1, 2) or matrix.shape[-1] != 8:
        raise ValueError(
            "affine_transform: `transform` must have shape (8,) or (batch, 8). "
            f"Received: transform.shape={matrix.shape}")
    matrix = xp.broadcast_to(matrix.reshape(-1, 8), (x.shape[0], 8))
    rows, cols = _source_coordinates(matrix, x.shape[1], x.shape[2], xp)
    return restore(_sample(x, rows, cols, interpolation, fill_mode, fill_value))


def _source_coordinates(matrix, height, width, xp):
    """Where each output pixel reads the input: two ``(batch, height, width)`` arrays."""
    # In the transform's dtype and in JAX's order, so that ties in "nearest" round alike.
    y, x = xp.meshgrid(xp.arange(height, dtype=matrix.dtype),
                       xp.arange(width, dtype=matrix.dtype), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (matrix[:, i, None, None] for i in range(8))
    k = c0 * x + c1 * y + 1
    return (b0 * x + b1 * y + b2) / k, (a0 * x + a1 * y + a2) / k


def _neighbours(coordinate, interpolation, xp):
    """(integer index, weight) pairs that interpolate at ``coordinate`` along one axis."""
    if interpolation == "nearest":  # round half away from zero, as JAX
        index = xp.sign(coordinate) * xp.floor(xp.abs(coordinate) + 0.5)
        return [(index.astype(int), 1.0)]
    lower = xp.floor(coordinate)
    fraction = coordinate - lower
    return [(lower.astype(int), 1 - fraction), (lower.astype(int) + 1, fraction)]


def _fix_index(index, size, fill_mode, xp):
    """The index to read for ``index`` (maybe outside ``[0, size)``), per fill mode."""
    if fill_mode == "nearest":
        return xp.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "mirror":  # a triangle wave of period 2 * (size - 1)
        if size == 1:
            return xp.zeros_like(index)
        period = size - 1
        return xp.abs((index + period) % (2 * period) - period)
    if fill_mode == "reflect":  # mirror on the half-pixel grid, back to whole pixels
        return (_fix_index(2 * index + 1, 2 * size + 1, "mirror", xp) - 1) // 2
    return xp.clip(index, 0, size - 1)  # "constant": read anywhere, weight 0 outside


def _sample(x, rows, cols, interpolation, fill_mode, fill_value):
    """Interpolate ``x`` at the (rows, cols) points: each output pixel is a weighted sum
    of its 1 ("nearest") or 4 ("bilinear") neighbouring pixels, with fill_value standing
    in for neighbours outside the image in "constant" mode."""
    xp = get_array_module(x.data)
    batch, height, width, _ = x.shape
    dtype = x.data.dtype
    batch_index = xp.broadcast_to(xp.arange(batch)[:, None, None], rows.shape)
    taps = []  # (row index, column index, weight of the pixel, weight of fill_value)
    for r, wr in _neighbours(rows, interpolation, xp):
        for c, wc in _neighbours(cols, interpolation, xp):
            weight = xp.broadcast_to(xp.asarray(wr * wc, dtype=dtype), rows.shape)
            inside = xp.ones(rows.shape, dtype=bool)
            if fill_mode == "constant":
                inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
            taps.append((_fix_index(r, height, fill_mode, xp),
                         _fix_index(c, width, fill_mode, xp),
                         (weight * inside)[..., None], (weight * ~inside)[..., None]))
    out = xp.zeros(rows.shape + (x.shape[3],), dtype=dtype)
    for r, c, weight, outside in taps:
        out += weight * x.data[batch_index, r, c]
        if fill_mode == "constant":
            out += outside * dtype.type(fill_value)

    def backward(g):
        grad = xp.zeros(x.shape, dtype=g.dtype)
        for r, c, weight, _ in taps:
            grad += scatter_add(x.shape, g.dtype, (batch_index, r, c), g * weight)
        return (grad,)

    return record(out, (x,), backward)
