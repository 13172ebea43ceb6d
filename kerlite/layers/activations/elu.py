"""ELU: x for x > 0, ``alpha * (exp(x) - 1)`` below: smooth, and saturates at -alpha."""

from kerlite import activations
from kerlite.layers.layer import Layer


class ELU(Layer):
    """``keras.layers.ELU(alpha=1.0)``: ``alpha`` is the value the negative side tends to."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
