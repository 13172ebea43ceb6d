"""RandomBrightness: while training, add a random offset to each image.

    outputs = clip(x + delta, *value_range),   delta = u * (high - low)

with one ``u`` per image drawn from the ``factor`` range (``factor=0.2`` means [-0.2,
0.2]: up to a fifth of the value range darker or brighter).
"""

from kerlite import ops, random
from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer

VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


class RandomBrightness(BaseImagePreprocessingLayer):
    """``keras.layers.RandomBrightness(factor, value_range=(0, 255), seed=None)``."""

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=True):
        inputs = self._as_compute_dtype(inputs)
        self._spatial_axes(inputs.ndim)
        if not self._augmenting(training):
            return inputs
        shape = (1, 1, 1) if inputs.ndim == 3 else (inputs.shape[0], 1, 1, 1)
        low, high = self.value_range
        delta = random.uniform(shape, self.factor[0], self.factor[1], seed=self.generator,
                               dtype=self.compute_dtype) * (high - low)
        return ops.clip(inputs + delta, low, high)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
