"""BaseImagePreprocessingLayer: what every image layer shares.

Images are ``(batch, height, width, channels)`` or a single ``(height, width,
channels)`` image; ``data_format="channels_first"`` moves the channels before height and
width. Random layers augment only when training: their ``call`` defaults to
``training=True`` (as Keras 3), so ``layer(x)`` augments, ``fit`` augments, and
``predict``/``evaluate`` pass ``training=False`` and leave the images alone.
"""

from kerlite import ops
from kerlite.layers.layer import Layer
from kerlite.ops.sliding_windows import standardize_data_format


class BaseImagePreprocessingLayer(Layer):
    """Holds ``data_format``; helpers for image shapes, dtypes and ``factor`` ranges."""

    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)

    def _spatial_axes(self, ndim):
        """The (height, width) axes of a rank-3 or rank-4 image tensor."""
        if ndim not in (3, 4):
            raise ValueError(
                f'Layer "{self.name}" expects images of rank 3 (height, width, channels) '
                f"or 4 (batch, height, width, channels). Received an input of rank {ndim}.")
        return (ndim - 2, ndim - 1) if self.data_format == "channels_first" else (ndim - 3,
                                                                                  ndim - 2)

    def _with_size(self, input_shape, height, width):
        """``input_shape`` with its spatial axes set to ``height`` x ``width``."""
        shape = list(input_shape)
        height_axis, width_axis = self._spatial_axes(len(shape))
        shape[height_axis], shape[width_axis] = height, width
        return tuple(shape)

    @staticmethod
    def _augmenting(training):
        """None (no flag from the caller or an enclosing model) counts as training."""
        return training is None or bool(training)

    def _as_compute_dtype(self, inputs):
        return inputs if inputs.dtype == self.compute_dtype else ops.cast(inputs,
                                                                          self.compute_dtype)

    def _parse_factor(self, factor, name="factor"):
        """A number f means the range (-f, f); a pair is sorted. Checked against the bounds."""
        low_bound, high_bound = self._FACTOR_BOUNDS
        message = (f"The `{name}` argument should be a number (or a list of two numbers) "
                   f"in the range [{low_bound}, {high_bound}]. Received: {name}={factor}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high_bound or factor[1] < low_bound:
                raise ValueError(message)
            return tuple(sorted(factor))
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if not low_bound <= factor <= high_bound:
                raise ValueError(message)
            factor = abs(factor)
            return (max(-factor, low_bound), factor)
        raise ValueError(message)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
