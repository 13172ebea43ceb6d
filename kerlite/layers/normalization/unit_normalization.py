"""UnitNormalization: scale each sample to an L2 norm of 1 over ``axis``.

    out = x / sqrt(max(sum(x**2 over axis), 1e-24))

The floor (Keras's epsilon 1e-12, squared) keeps an all-zero vector at zero instead of
dividing by zero. No weights: it is ``ops.normalize`` as a layer.
"""

from kerlite import ops
from kerlite.layers.layer import Layer


class UnitNormalization(Layer):
    """``keras.layers.UnitNormalization(axis=-1)``; ``axis`` an int or a list of ints."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                f'UnitNormalization layer "{self.name}": invalid value for `axis` '
                f"argument: expected an int or a list/tuple of ints. Received: axis={axis!r}")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return ops.normalize(inputs, axis=self.axis, order=2, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        rank = len(input_shape)
        for axis in axes:
            if not -rank <= axis < rank:
                raise ValueError(
                    f'UnitNormalization layer "{self.name}": axis {self.axis} is out of '
                    f"bounds for input shape {tuple(input_shape)}. Use axes in "
                    f"[{-rank}, {rank - 1}].")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
