"""Activation: applies an activation function as its own layer."""

from kerlite import activations
from kerlite.layers.layer import Layer


class Activation(Layer):
    """``Activation("relu")`` is the layer form of ``activation="relu"``."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
