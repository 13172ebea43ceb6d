"""ZeroPadding1D/2D/3D: add rows and columns of zeros around the spatial axes.

Used before a "valid" convolution to keep the size, or to make shapes line up (a 1-pixel
border on a 28x28 image gives 30x30). No weights; the gradient is the centre of the
incoming gradient.
"""

from kerlite import ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import standardize_data_format
from kerlite.layers.layer import Layer
from kerlite.layers.sample_size_limit import check_sample_size


def amounts_per_axis(value, rank, name):
    """int, (a, b, ...) per axis, or ((before, after), ...) -> ((before, after), ...).

    For rank 1 a pair means (before, after), as Keras's 1-D layers.
    """
    message = (f"`{name}` should be an int, a tuple of {rank} ints, or a tuple of {rank} "
               f"tuples of 2 non-negative ints. Received: {name}={value!r}.")
    if isinstance(value, int):
        pairs = ((value, value),) * rank
    elif rank == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        pairs = (tuple(value),)
    elif len(value) == rank:
        pairs = tuple((v, v) if isinstance(v, int) else tuple(v) for v in value)
    else:
        raise ValueError(message)
    if any(len(pair) != 2 or min(pair) < 0 for pair in pairs):
        raise ValueError(message)
    return tuple(tuple(int(v) for v in pair) for pair in pairs)


class BaseZeroPadding(Layer):
    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.padding = amounts_per_axis(padding, rank, "padding")
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _widths(self):
        spatial = [list(pair) for pair in self.padding]
        if self.data_format == "channels_last":
            return [[0, 0], *spatial, [0, 0]]
        return [[0, 0], [0, 0], *spatial]

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        return ops.pad(inputs, self._widths())

    def compute_output_shape(self, input_shape):
        shape = tuple(None if n is None else n + before + after
                      for n, (before, after) in zip(input_shape, self._widths()))
        return check_sample_size(self, shape, f"padding={self.padding}")

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding[0] if self.rank == 1 else self.padding
        config["data_format"] = self.data_format
        return config


class ZeroPadding1D(BaseZeroPadding):
    """``padding``: int or (left, right) steps of zeros."""

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(1, padding, data_format, **kwargs)


class ZeroPadding2D(BaseZeroPadding):
    """``padding``: int, (rows, cols) or ((top, bottom), (left, right))."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format, **kwargs)


class ZeroPadding3D(BaseZeroPadding):
    """``padding``: int, 3 ints or 3 (before, after) pairs."""

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)
