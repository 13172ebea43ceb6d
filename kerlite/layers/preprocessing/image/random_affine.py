"""RandomAffineLayer: the shared part of RandomRotation, RandomZoom and RandomTranslation.

While training, each draws one transform per image (a row ``[a0, a1, a2, b0, b1, b2,
c0, c1]`` that maps output pixels to input pixels) and resamples the batch with
``keras.ops.image.affine_transform``; subclasses only say how to draw the rows.
Points that fall outside the image are filled as ``fill_mode`` says: "reflect"
(default), "wrap", "nearest", or "constant" with ``fill_value``.
"""

import numpy  # the small (batch, 8) transform table is built on the host

from kerlite import random
from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerlite.ops import image as image_ops

SUPPORTED_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
SUPPORTED_INTERPOLATIONS = ("nearest", "bilinear")


class RandomAffineLayer(BaseImagePreprocessingLayer):
    """Base class: subclasses define ``_draw_transforms(batch, height, width)``."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if fill_mode not in SUPPORTED_FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {SUPPORTED_FILL_MODES}.")
        if interpolation not in SUPPORTED_INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one "
                f"{SUPPORTED_INTERPOLATIONS}.")
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=True):
        inputs = self._as_compute_dtype(inputs)
        height_axis, width_axis = self._spatial_axes(inputs.ndim)
        if not self._augmenting(training):
            return inputs
        batch = inputs.shape[0] if inputs.ndim == 4 else 1
        transforms = self._draw_transforms(batch, inputs.shape[height_axis],
                                           inputs.shape[width_axis])
        return image_ops.affine_transform(
            inputs, transforms if inputs.ndim == 4 else transforms[0],
            interpolation=self.interpolation, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def _uniform(self, shape, low, high):
        """float32 draws from this layer's own seed stream, as a NumPy array."""
        return random.uniform(shape, low, high, seed=self.generator).numpy()

    def _draw_transforms(self, batch, height, width):
        raise NotImplementedError

    def get_config(self):
        config = super().get_config()
        config.update({"fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config


def transform_rows(a0, a1, a2, b0, b1, b2):
    """Stack per-image coefficients (each shape (batch,)) into (batch, 8) float32 rows."""
    zeros = numpy.zeros_like(a0)
    return numpy.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype("float32")
