"""Resizing: resize images to ``(height, width)``, with ``keras.ops.image.resize``.

Optionally first crop (``crop_to_aspect_ratio``) or pad (``pad_to_aspect_ratio``) to the
target's aspect ratio, so the picture is not stretched.
"""

from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerlite.layers.sample_size_limit import check_sample_size
from kerlite.ops import image as image_ops


class Resizing(BaseImagePreprocessingLayer):
    """``keras.layers.Resizing``; interpolation "bilinear" or "nearest", no antialias."""

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        # Fail now, not at the first call, on options kerlite does not support.
        image_ops.check_resize_arguments((height, width), interpolation, self.antialias,
                                         crop_to_aspect_ratio, pad_to_aspect_ratio,
                                         fill_mode)
        self.built = True

    def call(self, inputs):
        self._spatial_axes(inputs.ndim)
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        return image_ops.resize(
            self._as_compute_dtype(inputs), (self.height, self.width),
            interpolation=self.interpolation, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return check_sample_size(self, self._with_size(input_shape, self.height, self.width),
                                 f"height={self.height}, width={self.width}")

    def get_config(self):
        config = super().get_config()
        config.update({
            "height": self.height, "width": self.width, "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
            "fill_value": self.fill_value, "antialias": self.antialias})
        return config
