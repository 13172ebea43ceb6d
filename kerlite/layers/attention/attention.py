"""Attention: dot-product (Luong-style) attention of a query over a value sequence.

scores = query @ key^T (times a learned ``scale`` if ``use_scale``), weights =
softmax(scores) over the key steps, output = weights @ value. With
``score_mode="concat"`` the score is instead sum(tanh(query + key)) per pair.
"""

from kerlite import ops, random
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.attention import attention_masks
from kerlite.layers.layer import Layer


class Attention(Layer):
    """``keras.layers.Attention(use_scale=False, score_mode="dot", dropout=0.0)``.

    Called on ``[query, value]`` or ``[query, value, key]`` (key defaults to value), of
    shapes (batch, Tq, dim) and (batch, Tv, dim); the output is (batch, Tq, dim).
    ``mask=[query_mask, value_mask]`` (or the masks carried by the inputs) hide padded
    value steps and zero the outputs of padded query steps.

    Weights: ``scale`` (a scalar, if ``use_scale``), then ``concat_score_weight``
    (a scalar, for ``score_mode="concat"``).
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', "
                f"'concat'}}. Received: score_mode={score_mode!r}")

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                shape=(), initializer="ones", name="concat_score_weight")

    def _calculate_scores(self, query, key):
        """(batch, Tq, Tv) scores for every query step against every key step."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(pairs), axis=-1))

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = attention_masks.as_bool(mask[0]) if mask else None
        value_mask = attention_masks.as_bool(mask[1]) if mask else None
        scores = self._calculate_scores(query, key)
        allowed = None if value_mask is None else value_mask[..., None, :]  # (B, 1, Tv)
        if use_causal_mask:
            causal = attention_masks.causal_mask(scores.shape[-2], scores.shape[-1])
            allowed = attention_masks.both(allowed, causal)
        if allowed is not None:
            # Keras lowers hidden scores by a large number (rather than replacing them).
            penalty = -attention_masks.large_negative(scores.dtype)
            scores = ops.where(allowed, scores, ops.subtract(scores, penalty))
        weights = ops.softmax(scores, axis=-1)
        dropped = weights
        if training and self.dropout > 0:
            dropped = random.dropout(weights, self.dropout, seed=self.seed_generator)
        output = ops.matmul(dropped, value)
        if query_mask is not None:
            output = ops.where(query_mask[..., None], output, 0.0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return attention_masks.as_bool(mask[0])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]),
                             dtype=self.dtype)
        if not return_attention_scores:
            return output
        return output, KerasTensor(tuple(query.shape[:-1]) + (key.shape[-2],),
                                   dtype=self.dtype)

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] "
                f"or [query, value, key]. Received: inputs={inputs!r:.200}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely "
                f"[query, value] or [query, value, key]. Received length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask!r:.200}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received a mask "
                    f"list of length {len(mask)}.")

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode,
                       "dropout": self.dropout, "seed": self.seed})
        return config
