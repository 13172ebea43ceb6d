"""ReLU: the rectified linear unit as a layer, with Keras's three knobs.

    f(x) = max_value                       for x >= max_value
    f(x) = x                               for threshold <= x < max_value
    f(x) = negative_slope * (x - threshold) below threshold
"""

from kerlite import activations
from kerlite.layers.layer import Layer


class ReLU(Layer):
    """``keras.layers.ReLU(max_value=None, negative_slope=0.0, threshold=0.0)``.

    Args:
        max_value: a ceiling (float >= 0), or None for none.
        negative_slope: slope below the threshold (float >= 0).
        threshold: where the line starts (float >= 0).
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f'ReLU layer "{self.name}": max_value of a ReLU layer cannot be a negative '
                f"value. Received: max_value={max_value}. Use a float >= 0, or None for "
                "no ceiling.")
        _check_non_negative(self.name, "negative_slope", negative_slope)
        _check_non_negative(self.name, "threshold", threshold)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config


def _check_non_negative(layer_name, argument, value):
    if value is None or value < 0.0:
        raise ValueError(
            f'ReLU layer "{layer_name}": {argument} of a ReLU layer cannot be None or a '
            f"negative value. Received: {argument}={value}. Use a float >= 0.")
