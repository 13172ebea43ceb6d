"""RMSNormalization: divide each sample by the root mean square of its features.

``out = x / sqrt(mean(x**2) + epsilon) * scale``, the mean taken over ``axis``. Unlike
LayerNormalization nothing is subtracted, so it is cheaper; many recent Transformers use
it. ``scale`` (initialised to ones) has the shape of the normalised axes.
"""

from kerlite import ops
from kerlite.layers.layer import Layer


class RMSNormalization(Layer):
    """``keras.layers.RMSNormalization(axis=-1, epsilon=1e-6)``; ``axis`` may be a list."""

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.supports_masking = True

    def _axes(self, ndim):
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        for axis in axes:
            if not -ndim <= axis < ndim:
                raise ValueError(
                    f'Layer "{self.name}": axis {axis} is out of bounds for an input of '
                    f"rank {ndim}. Received: axis={self.axis}")
        return sorted(a % ndim for a in axes)

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, inputs):
        axes = self._axes(inputs.ndim)
        mean_square = ops.mean(ops.square(inputs), axis=tuple(axes), keepdims=True)
        outputs = inputs * ops.rsqrt(mean_square + self.epsilon)
        scale = self.scale
        if axes != list(range(inputs.ndim - len(axes), inputs.ndim)):
            # e.g. axis=1 of (batch, C, H, W): shape scale (C,) as (1, C, 1, 1)
            scale = ops.reshape(scale, [inputs.shape[i] if i in axes else 1
                                        for i in range(inputs.ndim)])
        return outputs * ops.cast(scale, inputs.dtype)

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
