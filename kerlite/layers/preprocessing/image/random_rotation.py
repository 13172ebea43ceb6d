"""RandomRotation: while training, turn each image by a random angle about its centre.

``factor`` is a fraction of a full turn: 0.1 draws angles in [-36, 36] degrees, and
(0.25, 0.25) always turns by 90 degrees (counter-clockwise). Output pixel (x, y) reads
the input at the point rotated about the centre ``((w - 1) / 2, (h - 1) / 2)``.
"""

import math

import numpy

from kerlite.layers.preprocessing.image.random_affine import RandomAffineLayer, transform_rows


class RandomRotation(RandomAffineLayer):
    """``keras.layers.RandomRotation(factor, fill_mode="reflect", ...)``."""

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)

    def _draw_transforms(self, batch, height, width):
        degrees = self._uniform((batch,), self.factor[0] * 360.0, self.factor[1] * 360.0)
        angle = degrees * numpy.float32(math.pi / 180.0)
        cos, sin = numpy.cos(angle), numpy.sin(angle)
        centre_x = numpy.float32(0.5 * (width - 1))
        centre_y = numpy.float32(0.5 * (height - 1))
        return transform_rows(cos, -sin, centre_x - centre_x * cos + centre_y * sin,
                              sin, cos, centre_y - centre_x * sin - centre_y * cos)

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config
