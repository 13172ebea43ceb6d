"""Reshape: give each sample a new shape with the same number of entries.

``Reshape((4, 4, 1))`` turns (batch, 16) into (batch, 4, 4, 1); one axis may be -1 (its
size is worked out).
"""

import math

from kerlite import ops
from kerlite.layers.layer import Layer


class Reshape(Layer):
    """Args: target_shape, the new shape of one sample (without the batch axis)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        target_shape = tuple(target_shape)
        if sum(1 for n in target_shape if n == -1 or n is None) > 1:
            raise ValueError(
                "There must be at most one unknown dimension (-1) in target_shape. "
                f"Received: target_shape={target_shape}")
        self.target_shape = tuple(-1 if n is None else int(n) for n in target_shape)
        self.built = True

    def _resolved(self, input_shape):
        """The target shape with -1 replaced, checking the sizes agree."""
        rest = input_shape[1:]
        if any(n is None for n in rest):
            return tuple(None if n == -1 else n for n in self.target_shape)
        total, known = math.prod(rest), math.prod(n for n in self.target_shape if n != -1)
        if -1 in self.target_shape:
            ok = known != 0 and total % known == 0
            missing = total // known if ok else None
            resolved = tuple(missing if n == -1 else n for n in self.target_shape)
        else:
            ok, resolved = total == known, self.target_shape
        if not ok:
            raise ValueError(
                f'Layer "{self.name}" cannot reshape an input of shape {tuple(input_shape)} '
                f"({total} values per sample) into target_shape={self.target_shape} "
                f"({'a multiple of ' if -1 in self.target_shape else ''}{known} values "
                "per sample). The sizes must match.")
        return resolved

    def call(self, inputs):
        target = self._resolved(inputs.shape)
        return ops.reshape(inputs, (inputs.shape[0],) + tuple(target))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolved(input_shape)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
