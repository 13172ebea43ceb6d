"""Concatenate: join tensors along one axis (all other sizes must match)."""

from kerlite import ops
from kerlite.layers.layer import Layer


class Concatenate(Layer):
    """Args: axis (default -1, the features)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def _mismatch(self, input_shape):
        return ValueError(
            f'A `Concatenate` layer ("{self.name}") requires inputs with matching shapes '
            f"except for the concatenation axis (axis={self.axis}). Received: "
            f"input_shape={list(input_shape)}")

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not all(
                isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input, "
                f"e.g. layers.concatenate([x1, x2]). Received: input_shape={input_shape}")
        rank = len(input_shape[0])
        if any(len(s) != rank for s in input_shape) or not -rank <= self.axis < rank:
            raise self._mismatch(input_shape)
        axis = self.axis % rank
        output = list(input_shape[0])
        for shape in input_shape[1:]:
            for i, (a, b) in enumerate(zip(output, shape)):
                if i == axis:
                    output[i] = None if a is None or b is None else a + b
                elif a is not None and b is not None and a != b:
                    raise self._mismatch(input_shape)
                elif a is None:
                    output[i] = b
        return tuple(output)

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """The inputs' masks, each widened to its input's shape (all True where an
        input had none), joined along the axis; a step is kept if any of its features
        is (as Keras). Written with ops only, so it works on KerasTensors too."""
        if mask is None or all(m is None for m in mask):
            return None
        widened = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = ops.ones_like(x, dtype="bool")
            elif m.ndim < x.ndim:  # OR with zeros of x's shape: broadcast, unknown sizes too
                m = ops.logical_or(ops.expand_dims(m, -1), ops.zeros_like(x, dtype="bool"))
            widened.append(m)
        return ops.any(ops.concatenate(widened, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of ``Concatenate``: ``concatenate([x1, x2], axis=-1)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
