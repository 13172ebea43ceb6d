"""RandomCrop: while training, cut a random ``(height, width)`` window of the images.

The whole batch shares one window position. At inference, or when an image is not
larger than the target on both sides, the layer instead takes the largest centred box
with the target's aspect ratio and resizes it to ``(height, width)`` (bilinear), so the
output always has the target size, as Keras documents.
(Keras 3.15's own code returns the input unchanged at inference, which contradicts both
its docstring and its ``compute_output_shape``; kerlite follows the documentation.)
"""

from kerlite import random
from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerlite.ops import image as image_ops
from kerlite.ops.indexing import get_item


class RandomCrop(BaseImagePreprocessingLayer):
    """``keras.layers.RandomCrop(height, width, seed=None)``."""

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=True):
        inputs = self._as_compute_dtype(inputs)
        height_axis, width_axis = self._spatial_axes(inputs.ndim)
        height, width = inputs.shape[height_axis], inputs.shape[width_axis]
        if self._augmenting(training) and height > self.height and width > self.width:
            top = int(random.uniform((), 0, height - self.height + 1,
                                     seed=self.generator).numpy())
            left = int(random.uniform((), 0, width - self.width + 1,
                                      seed=self.generator).numpy())
            key = [slice(None)] * inputs.ndim
            key[height_axis] = slice(top, top + self.height)
            key[width_axis] = slice(left, left + self.width)
            return get_item(inputs, tuple(key))
        return image_ops.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True,
                                data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return self._with_size(input_shape, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
