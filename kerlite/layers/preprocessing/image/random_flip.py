"""RandomFlip: while training, mirror each image left-right and/or upside down.

Each image of the batch draws one coin (``uniform() <= 0.5`` flips); in the
"horizontal_and_vertical" mode the same coin decides both flips, as in Keras, so an
image is either turned by 180 degrees or left alone. At inference the layer does nothing.
"""

from kerlite import ops, random
from kerlite.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """``keras.layers.RandomFlip(mode="horizontal_and_vertical", seed=None)``."""

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f'RandomFlip layer "{self.name}" received an invalid mode={mode!r}. Expected '
                f'"{HORIZONTAL}", "{VERTICAL}" or "{HORIZONTAL_AND_VERTICAL}".')
        self.mode = mode
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=True):
        inputs = self._as_compute_dtype(inputs)
        height_axis, width_axis = self._spatial_axes(inputs.ndim)
        if not self._augmenting(training):
            return inputs
        coin_shape = (1, 1, 1) if inputs.ndim == 3 else (inputs.shape[0], 1, 1, 1)
        flips = ops.less_equal(random.uniform(coin_shape, seed=self.generator), 0.5)
        outputs = inputs
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            outputs = ops.where(flips, ops.flip(outputs, axis=width_axis), outputs)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            outputs = ops.where(flips, ops.flip(outputs, axis=height_axis), outputs)
        return outputs

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed, "mode": self.mode})
        return config
