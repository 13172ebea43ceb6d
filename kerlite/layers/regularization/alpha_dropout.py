"""AlphaDropout: dropout for SELU networks, keeping mean 0 and variance 1.

Plain dropout would set dropped values to 0, which shifts SELU's self-normalised
statistics. AlphaDropout sets them to SELU's negative saturation value
``alpha' = -scale * alpha`` instead, then applies ``a * x + b`` with

    a = ((1 - rate) * (1 + rate * alpha'**2)) ** -0.5,   b = -a * alpha' * rate

so that inputs of mean 0 and variance 1 keep mean 0 and variance 1. At inference the
layer does nothing.
"""

from kerlite import ops, random
from kerlite.layers.regularization.dropout import Dropout

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Dropout):
    """``keras.layers.AlphaDropout(rate, noise_shape=None, seed=None)``; ``noise_shape``
    shares the mask along axes given as 1 (None means the input's size). Arguments and
    config are Dropout's; only the training-time transformation differs."""

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        shape = inputs.shape if self.noise_shape is None else tuple(
            size if wanted is None else wanted
            for size, wanted in zip(inputs.shape, self.noise_shape))
        draws = random.uniform(shape, dtype=inputs.dtype, seed=self.seed_generator)
        kept = ops.cast(ops.greater_equal(draws, self.rate), inputs.dtype)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return (inputs * kept + alpha_p * (1 - kept)) * a + b
