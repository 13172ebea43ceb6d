"""RandomTranslation: while training, shift each image by a random fraction of its size.

``height_factor=0.2`` shifts up or down by up to 20% of the height (a pair (lo, hi)
gives the range; negative is up/left). Output pixel (x, y) reads input (x - dx, y - dy).
"""

import numpy

from kerlite.layers.preprocessing.image.random_affine import RandomAffineLayer, transform_rows

FACTOR_ERROR = ("The `factor` argument should be a number (or a list of two numbers) in "
                "the range [-1.0, 1.0]. ")


class RandomTranslation(RandomAffineLayer):
    """``keras.layers.RandomTranslation(height_factor, width_factor, ...)``."""

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _shift_range(height_factor, "height_factor")
        self.width_factor = width_factor
        self.width_lower, self.width_upper = _shift_range(width_factor, "width_factor")

    def _draw_transforms(self, batch, height, width):
        dy = self._uniform((batch,), self.height_lower, self.height_upper) * height
        dx = self._uniform((batch,), self.width_lower, self.width_upper) * width
        ones, zeros = numpy.ones_like(dx), numpy.zeros_like(dx)
        return transform_rows(ones, zeros, -dx, zeros, ones, -dy)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor,
                       "width_factor": self.width_factor})
        return config


def _shift_range(factor, name):
    """(lower, upper) of ``factor``; each bound in [-1, 1]."""
    bounds = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if (isinstance(factor, (tuple, list)) and len(factor) != 2) or not all(
            isinstance(f, (int, float)) and -1.0 <= f <= 1.0 for f in bounds):
        raise ValueError(FACTOR_ERROR + f"Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return (-abs(factor), abs(factor))
