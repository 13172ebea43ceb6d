"""LeakyReLU: x for x >= 0, ``negative_slope * x`` below, so negative units keep a gradient."""

import warnings

from kerlite import activations
from kerlite.layers.layer import Layer


class LeakyReLU(Layer):
    """``keras.layers.LeakyReLU(negative_slope=0.3)``.

    The Keras 2 keyword ``alpha`` is still accepted: it sets ``negative_slope`` (with a
    deprecation warning) and is not kept in the config.
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f'LeakyReLU layer "{self.name}": the negative_slope value of a Leaky ReLU '
                "layer cannot be None or negative value. Expected a float. Received: "
                f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
