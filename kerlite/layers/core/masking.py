"""Masking: mark time steps whose features all equal ``mask_value`` as padding.

For float sequences padded with a constant (``pad_sequences(..., value=0.0)``): a step
whose every feature equals ``mask_value`` is skipped by the layers after it (LSTM, GRU,
pooling) and its values are set to 0.
"""

from kerlite import ops
from kerlite.layers.layer import Layer


class Masking(Layer):
    """``keras.layers.Masking(mask_value=0.0)``: input (batch, timesteps, features)."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.where(keep, inputs, 0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
