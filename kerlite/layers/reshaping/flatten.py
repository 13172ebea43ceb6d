"""Flatten: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...), e.g. before a Dense layer."""

import math

from kerlite import arrays, ops
from kerlite.layers.layer import Layer


class Flatten(Layer):
    """Args: data_format ("channels_last" or "channels_first"; channels_first inputs
    are put channels-last first, so the flattened order matches Keras)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or arrays.image_data_format()
        self.built = True

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(n is None for n in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
