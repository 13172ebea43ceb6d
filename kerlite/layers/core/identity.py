"""Identity: returns its input unchanged (a placeholder, e.g. for a skipped block)."""

from kerlite.layers.layer import Layer


class Identity(Layer):
    """Returns its input unchanged."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
