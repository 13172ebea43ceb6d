"""CenterCrop: cut the central ``(height, width)`` window of each image.

If the image is smaller than the target along either side, Keras does not pad: it
crops the largest centred box with the target's aspect ratio and resizes it
(bilinear) to ``(height, width)``, so the output always has the target size.
"""

from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerlite.ops import image as image_ops
from kerlite.ops.indexing import get_item


class CenterCrop(BaseImagePreprocessingLayer):
    """``keras.layers.CenterCrop(height, width)``."""

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.built = True

    def call(self, inputs):
        inputs = self._as_compute_dtype(inputs)
        height_axis, width_axis = self._spatial_axes(inputs.ndim)
        top = inputs.shape[height_axis] - self.height
        left = inputs.shape[width_axis] - self.width
        if top < 0 or left < 0:
            return image_ops.resize(inputs, (self.height, self.width),
                                    crop_to_aspect_ratio=True, data_format=self.data_format)
        key = [slice(None)] * inputs.ndim
        key[height_axis] = slice(top // 2, top // 2 + self.height)
        key[width_axis] = slice(left // 2, left // 2 + self.width)
        return get_item(inputs, tuple(key))

    def compute_output_shape(self, input_shape):
        return self._with_size(input_shape, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
