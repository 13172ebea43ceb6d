"""SpatialDropout1D/2D/3D: drop whole feature maps (channels) instead of single values.

Neighbouring pixels of a feature map are strongly correlated, so dropping single values
barely regularises a convnet; dropping an entire channel for a sample does. Training
only; kept channels are scaled by 1 / (1 - rate).
"""

from kerlite import random
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import standardize_data_format
from kerlite.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    def __init__(self, rank, rate, data_format="channels_last", seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.rank = rank
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = [inputs.shape[0]] + [1] * (self.rank + 1)
        shape[-1 if self.data_format == "channels_last" else 1] = inputs.shape[
            -1 if self.data_format == "channels_last" else 1]
        return random.dropout(inputs, self.rate, noise_shape=tuple(shape),
                              seed=self.seed_generator)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape", None)
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole feature channels of ``(batch, steps, channels)`` inputs."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(1, rate, "channels_last", seed, name=name, dtype=dtype)


class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of images."""

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(2, rate, data_format, seed, name=name, dtype=dtype)


class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole feature volumes."""

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(3, rate, data_format, seed, name=name, dtype=dtype)
