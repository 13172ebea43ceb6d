"""Dropout: during training, zero a random fraction ``rate`` of the inputs.

The kept values are scaled by 1 / (1 - rate), so the expected sum is unchanged and
nothing needs rescaling at inference, when the layer does nothing.
"""

from kerlite import random
from kerlite.layers.layer import Layer


class Dropout(Layer):
    """Args: rate (fraction to drop, in [0, 1)), noise_shape (share the mask along axes
    marked 1, e.g. ``(None, 1, features)``), seed (for repeatable masks)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value "
                f"between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self.noise_shape,
                                  seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed,
                       "noise_shape": self.noise_shape})
        return config
