"""Cropping1D/2D/3D: cut rows and columns off the borders of the spatial axes.

The inverse of ZeroPadding: U-Nets crop an encoder map to the size of the decoder map
before concatenating them. No weights; the gradient is zero-padded back.
"""

from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import standardize_data_format
from kerlite.layers.layer import Layer
from kerlite.layers.reshaping.zero_padding import amounts_per_axis


class BaseCropping(Layer):
    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.cropping = amounts_per_axis(cropping, rank, "cropping")
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return range(first, first + self.rank)

    def _check(self, input_shape):
        for axis, (start, end) in zip(self._spatial_axes(), self.cropping):
            n = input_shape[axis]
            if n is not None and start + end >= n:
                raise ValueError(
                    f'Layer "{self.name}": values in `cropping` argument should be '
                    "smaller than the corresponding spatial dimension of the input. "
                    f"Received: input_shape={tuple(input_shape)}, cropping={self.cropping}"
                )

    def call(self, inputs):
        self._check(inputs.shape)
        index = [slice(None)] * inputs.ndim
        for axis, (start, end) in zip(self._spatial_axes(), self.cropping):
            index[axis] = slice(start, inputs.shape[axis] - end)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = list(input_shape)
        for axis, (start, end) in zip(self._spatial_axes(), self.cropping):
            if shape[axis] is not None:
                shape[axis] -= start + end
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class Cropping1D(BaseCropping):
    """``cropping``: int or (start, end) steps to remove."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, "channels_last", **kwargs)


class Cropping2D(BaseCropping):
    """``cropping``: int, (rows, cols) or ((top, bottom), (left, right))."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format, **kwargs)


class Cropping3D(BaseCropping):
    """``cropping``: int, 3 ints or 3 (start, end) pairs."""

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format, **kwargs)
