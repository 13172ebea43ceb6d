"""RandomContrast: while training, scale each image's deviation from its mean.

    outputs = clip((x - mean) * c + mean, *value_range),   mean over height and width

with one ``c`` per image drawn from ``[1 - lower, 1 + upper]``. As in Keras, a single
number ``factor=f`` gives the range (0, f), so ``c`` lies in ``[1, 1 + f]``.
"""

from kerlite import ops, random
from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer


class RandomContrast(BaseImagePreprocessingLayer):
    """``keras.layers.RandomContrast(factor, value_range=(0, 255), seed=None)``."""

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=True):
        inputs = self._as_compute_dtype(inputs)
        height_axis, width_axis = self._spatial_axes(inputs.ndim)
        if not self._augmenting(training):
            return inputs
        shape = (1, 1, 1) if inputs.ndim == 3 else (inputs.shape[0], 1, 1, 1)
        contrast = random.uniform(shape, 1.0 - self.factor[0], 1.0 + self.factor[1],
                                  dtype=self.compute_dtype, seed=self.generator)
        mean = ops.mean(inputs, axis=(height_axis, width_axis), keepdims=True)
        outputs = (inputs - mean) * contrast + mean
        return ops.clip(outputs, self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
