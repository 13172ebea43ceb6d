"""AdditiveAttention: Bahdanau-style attention, scored by a sum of tanh, not a dot product.

score(q, k) = sum_d scale_d * tanh(q_d + k_d): each query step is compared with each key
step through a learned weighting ``scale`` of the features (one weight per feature).
"""

from kerlite import ops
from kerlite.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """``keras.layers.AdditiveAttention(use_scale=True, dropout=0.0)``.

    Called like ``Attention``, on ``[query, value]`` or ``[query, value, key]``.
    Weights: ``scale`` of shape (dim,) (glorot_uniform), if ``use_scale``.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(input_shape[0][-1],),
                                         initializer="glorot_uniform", name="scale")

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
