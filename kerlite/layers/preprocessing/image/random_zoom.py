"""RandomZoom: while training, zoom each image in or out about its centre.

A factor f draws a zoom in [1 - f, 1 + f]: above 1 the output shows more of the
picture (zoom out), below 1 less (zoom in). ``width_factor=None`` keeps the aspect
ratio (the height's zoom is used for both axes).
"""

import numpy

from kerlite.layers.preprocessing.image.random_affine import RandomAffineLayer, transform_rows

FACTOR_ERROR = ("The `height_factor` and `width_factor` arguments should be a number (or "
                "a list of two numbers) in the range (-1.0, 1.0]. ")


class RandomZoom(RandomAffineLayer):
    """``keras.layers.RandomZoom(height_factor, width_factor=None, ...)``."""

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _zoom_range(height_factor, "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _zoom_range(width_factor, "width_factor")

    def _draw_transforms(self, batch, height, width):
        zoom_y = self._uniform((batch,), 1.0 + self.height_lower, 1.0 + self.height_upper)
        zoom_x = zoom_y
        if self.width_factor is not None:
            zoom_x = self._uniform((batch,), 1.0 + self.width_lower, 1.0 + self.width_upper)
        zeros = numpy.zeros_like(zoom_x)
        return transform_rows(zoom_x, zeros, (width - 1.0) / 2.0 * (1.0 - zoom_x),
                              zeros, zoom_y, (height - 1.0) / 2.0 * (1.0 - zoom_y))

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor,
                       "width_factor": self.width_factor})
        return config


def _zoom_range(factor, name):
    """(lower, upper) of ``factor``; each bound in (-1, 1] (a zoom of 0 is impossible)."""
    bounds = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if (isinstance(factor, (tuple, list)) and len(factor) != 2) or not all(
            isinstance(f, (int, float)) and -1.0 < f <= 1.0 for f in bounds):
        raise ValueError(FACTOR_ERROR + f"Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return (-abs(factor), abs(factor))
