"""Dot: per-sample dot product of two tensors along chosen axes.

For two (batch, n) inputs the result is (batch, 1): sum_i a_i b_i for each sample. With
``normalize=True`` both are scaled to unit length first, giving the cosine similarity.
"""

from kerlite import ops
from kerlite.layers.layer import Layer


def _l2_normalize(x, axis):
    """x / ||x|| along ``axis`` (the norm floored at 1e-12 so zeros stay zeros)."""
    squared = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.multiply(x, ops.rsqrt(ops.maximum(squared, 1e-12)))


def batch_dot(x, y, axes):
    """Contract axis ``axes[0]`` of x with ``axes[1]`` of y, sample by sample."""
    x = ops.moveaxis(x, axes[0], -1)  # (b, ..., k)
    y = ops.moveaxis(y, axes[1], 1)  # (b, k, ...)
    x_rest, y_rest = x.shape[1:-1], y.shape[2:]
    batch, k = x.shape[0], x.shape[-1]
    x2 = ops.reshape(x, (batch, -1, k))
    y2 = ops.reshape(y, (batch, k, -1))
    out = ops.reshape(ops.matmul(x2, y2), (batch,) + tuple(x_rest) + tuple(y_rest))
    return ops.expand_dims(out, 1) if out.ndim == 1 else out


class Dot(Layer):
    """Args: axes (an int, or one axis per input), normalize (cosine similarity)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = isinstance(axes, (list, tuple)) and len(axes) == 2
        if not isinstance(axes, int) and not pair:
            raise ValueError(
                "Invalid format for argument `axes`: expected an int or a list/tuple of "
                f"2 ints. Received: axes={axes!r}")
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes_for(self, shape1, shape2):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [axes[0] % len(shape1), axes[1] % len(shape2)]

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}")
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._axes_for(shape1, shape2)
        if shape1[axes[0]] is not None and shape2[axes[1]] is not None and \
                shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis "
                f"{axes[0]}) != {shape2[axes[1]]} (at axis {axes[1]}). Full input "
                f"shapes: {tuple(shape1)}, {tuple(shape2)}")
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        output = shape1 + shape2
        return tuple(output + [1] if len(output) == 1 else output)

    def call(self, inputs):
        x, y = inputs
        axes = self._axes_for(x.shape, y.shape)
        if self.normalize:
            x, y = _l2_normalize(x, axes[0]), _l2_normalize(y, axes[1])
        return batch_dot(x, y, axes)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional form of ``Dot``: ``dot([a, b], axes=1)``."""
    return Dot(axes=axes, **kwargs)(inputs)
