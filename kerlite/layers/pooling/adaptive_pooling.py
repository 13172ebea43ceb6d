"""Adaptive pooling layers: pool any input size down to a fixed ``output_size``.

``AdaptiveAveragePooling2D(7)`` turns (batch, H, W, C) into (batch, 7, 7, C) whatever
H and W are (the window boundaries are in ``kerlite/ops/adaptive_pooling.py``), so a
classifier after it sees a fixed number of features. No weights.
"""

from kerlite import ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import standardize_data_format
from kerlite.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """Shared by the six layers: ``pool_dimensions`` spatial axes, ``op`` the pooling."""

    pool_dimensions = None
    op = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.pool_dimensions
        if isinstance(output_size, int):
            output_size = (output_size,) * rank
        if not isinstance(output_size, (tuple, list)) or len(output_size) != rank:
            raise TypeError(
                f"`output_size` must be an integer or a tuple of {rank} integers. "
                f"Received: output_size={output_size!r} of type {type(output_size)}")
        self.output_size = tuple(output_size)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def call(self, inputs):
        return self.op(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """``(batch, steps, channels) -> (batch, output_size, channels)``, window means."""
    pool_dimensions, op = 1, staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """``(batch, H, W, channels) -> (batch, *output_size, channels)``, window means."""
    pool_dimensions, op = 2, staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """``(batch, D, H, W, channels) -> (batch, *output_size, channels)``, window means."""
    pool_dimensions, op = 3, staticmethod(ops.adaptive_average_pool)


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """``(batch, steps, channels) -> (batch, output_size, channels)``, window maxima."""
    pool_dimensions, op = 1, staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """``(batch, H, W, channels) -> (batch, *output_size, channels)``, window maxima."""
    pool_dimensions, op = 2, staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """``(batch, D, H, W, channels) -> (batch, *output_size, channels)``, window maxima."""
    pool_dimensions, op = 3, staticmethod(ops.adaptive_max_pool)
