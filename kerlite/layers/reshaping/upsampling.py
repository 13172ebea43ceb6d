"""UpSampling1D/2D/3D: make feature maps larger by repeating (or interpolating) values.

"nearest" repeats every value ``size`` times along each spatial axis; its gradient sums
the gradient of the copies. "bilinear" (2-D only) blends the four nearest input pixels,
with pixel centres aligned as in Keras/JAX (``src = (dst + 0.5) / size - 0.5``, clamped
at the borders): a matrix product per axis, ``out = A_h @ x @ A_w^T``.
"""

from kerlite import ops
from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import standardize_data_format
from kerlite.layers.layer import Layer
from kerlite.layers.sample_size_limit import check_sample_size
from kerlite.ops.sliding_windows import normalize_tuple


def repeat_spatial(x, sizes, first_axis):
    """Nearest-neighbour upsampling: repeat axis ``first_axis + i`` ``sizes[i]`` times."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    out = x.data
    for i, size in enumerate(sizes):
        out = xp.repeat(out, size, axis=first_axis + i)

    def backward(g):
        # split every upsampled axis into (original, copies) and add up the copies
        split, copy_axes = [], []
        for axis, n in enumerate(x.shape):
            split.append(n)
            if first_axis <= axis < first_axis + len(sizes):
                copy_axes.append(len(split))
                split.append(sizes[axis - first_axis])
        return (g.reshape(split).sum(axis=tuple(copy_axes)),)

    return record(out, (x,), backward)


def bilinear_matrix(length, size, xp, dtype):
    """``(length * size, length)`` weights of linear interpolation (half-pixel centres)."""
    positions = (xp.arange(length * size, dtype="float64") + 0.5) / size - 0.5
    positions = xp.clip(positions, 0, length - 1)
    low = xp.floor(positions).astype("int64")
    high = xp.minimum(low + 1, length - 1)
    weight_high = positions - low
    matrix = xp.zeros((length * size, length), dtype="float64")
    rows = xp.arange(length * size)
    matrix[rows, low] += 1 - weight_high
    matrix[rows, high] += weight_high
    return matrix.astype(dtype)


class BaseUpSampling(Layer):
    def __init__(self, rank, size, data_format="channels_last", interpolation="nearest",
                 **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.size = normalize_tuple(size, rank, "size")
        self.data_format = standardize_data_format(data_format)
        self.interpolation = str(interpolation).lower()
        allowed = ("nearest", "bilinear") if rank == 2 else ("nearest",)
        if self.interpolation not in allowed:
            raise ValueError(
                f"`interpolation` argument should be one of {allowed}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def first_spatial_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        if self.interpolation == "nearest":
            return repeat_spatial(inputs, self.size, self.first_spatial_axis)
        xp = get_array_module(inputs.data)
        first = self.first_spatial_axis
        rows = bilinear_matrix(inputs.shape[first], self.size[0], xp, inputs.data.dtype)
        cols = bilinear_matrix(inputs.shape[first + 1], self.size[1], xp, inputs.data.dtype)
        pattern = "nhwc" if self.data_format == "channels_last" else "nchw"
        result = pattern.replace("h", "y").replace("w", "x")
        return ops.einsum(f"yh,xw,{pattern}->{result}", rows, cols, inputs)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for i, size in enumerate(self.size):
            axis = self.first_spatial_axis + i
            shape[axis] = None if shape[axis] is None else shape[axis] * size
        return check_sample_size(self, tuple(shape), f"size={self.size}")


class UpSampling1D(BaseUpSampling):
    """Repeat every time step ``size`` times: (batch, steps, ch) -> (batch, steps * size, ch)."""

    def __init__(self, size=2, **kwargs):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"UpSampling1D expects `size` to be an int. Received: size={size!r}")
        super().__init__(1, size, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size[0]
        return config


class UpSampling2D(BaseUpSampling):
    """Grow images by ``size`` = (rows, cols); interpolation "nearest" or "bilinear"."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format, interpolation, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config


class UpSampling3D(BaseUpSampling):
    """Grow volumes by repeating values ``size`` = (d, h, w) times."""

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
