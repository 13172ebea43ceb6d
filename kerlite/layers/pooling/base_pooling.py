"""BasePooling: what MaxPooling1D/2D/3D and AveragePooling1D/2D/3D share.

A pooling layer summarises each ``pool_size`` window of every channel by one number (its
maximum or its mean), moving ``strides`` steps at a time (by default the pool size, so
windows do not overlap and a 2x2 pool halves height and width). No weights.
"""

from kerlite import ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import (assemble_shape, check_fits, spatial_shape,
                                                    standardize_data_format,
                                                    standardize_padding)
from kerlite.layers.layer import Layer
from kerlite.ops.sliding_windows import normalize_tuple, output_length


class BasePooling(Layer):
    """Max or average pooling over ``pool_dimensions`` spatial axes."""

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max",
                 padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, pool_dimensions, "pool_size")
        self.strides = (self.pool_size if strides is None
                        else normalize_tuple(strides, pool_dimensions, "strides"))
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def call(self, inputs):
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        out = [output_length(n, k, s, 1, self.padding) for n, k, s in
               zip(spatial_shape(input_shape, self.data_format), self.pool_size, self.strides)]
        check_fits(self, input_shape, out, "pool", self.pool_size)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        return assemble_shape(input_shape[0], out, input_shape[channel_axis], self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config
