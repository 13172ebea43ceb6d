"""Initializers that need no randomness: zeros, ones, a constant, the identity matrix."""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor
from kerlite.initializers.initializer import Initializer


def _full(shape, value, dtype):
    xp = arrays.get_array_module()
    return Tensor(xp.full(tuple(shape), value, dtype=arrays.standardize_dtype(dtype)))


class Constant(Initializer):
    """Every entry is ``value``."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return _full(shape, self.value, dtype)

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    """Every entry is 0 (the default for biases)."""

    def __call__(self, shape, dtype=None):
        return _full(shape, 0, dtype)


class Ones(Initializer):
    """Every entry is 1 (the default for BatchNormalization's gamma)."""

    def __call__(self, shape, dtype=None):
        return _full(shape, 1, dtype)


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "Identity initializer can only be used for 2D matrices. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        xp = arrays.get_array_module()
        dtype = arrays.standardize_dtype(dtype)
        return Tensor((xp.eye(*shape) * self.gain).astype(dtype))

    def get_config(self):
        return {"gain": self.gain}


IdentityInitializer = Identity
