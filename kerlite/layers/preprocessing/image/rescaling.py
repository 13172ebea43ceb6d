"""Rescaling: ``outputs = inputs * scale + offset`` (e.g. pixels 0..255 to 0..1).

``scale`` and ``offset`` may be numbers or per-channel arrays; with channels-first data a
per-channel ``scale`` is reshaped to ``(channels, 1, 1)`` so it meets the channel axis.
"""

import numpy

from kerlite import arrays, ops
from kerlite.layers.layer import Layer
from kerlite.serialization import serialization_lib


class Rescaling(Layer):
    """``keras.layers.Rescaling(scale, offset=0.0)``: e.g. ``Rescaling(1 / 255)``."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.cast(_as_array(self.scale), dtype)
        offset = ops.cast(_as_array(self.offset), dtype)
        if scale.ndim > 0 and arrays.image_data_format() == "channels_first":
            scale = ops.reshape(scale, tuple(scale.shape) + (1,) * (3 - scale.ndim))
        return ops.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"scale": serialization_lib.serialize_keras_object(self.scale),
                       "offset": serialization_lib.serialize_keras_object(self.offset)})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            config[key] = serialization_lib.deserialize_keras_object(config[key])
        return super().from_config(config)


def _as_array(value):
    return value if hasattr(value, "shape") else numpy.asarray(value)
