"""GroupedQueryAttention: multi-head attention where groups of query heads share keys.

With ``num_query_heads`` query heads but only ``num_key_value_heads`` key and value
heads, each key/value head serves ``num_query_heads / num_key_value_heads`` consecutive
query heads. The key/value projections (and a decoder's cache of them) shrink by that
factor, with little loss in quality (Ainslie et al., 2023; Llama 2/3, Mistral):

    head u:  softmax(Q_u K_{g(u)}^T / sqrt(head_dim)) V_{g(u)},   g(u) = u // repeats

The projections are EinsumDense sublayers named as Keras's (``query``, ``key``,
``value``, ``attention_output``), so Keras weights transfer.
"""

import math

from kerlite import constraints, initializers, ops, regularizers
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.attention import attention_masks
from kerlite.layers.core.einsum_dense import EinsumDense
from kerlite.layers.attention.query_value_key import QueryValueKeyLayer
from kerlite.layers.regularization.dropout import Dropout


class GroupedQueryAttention(QueryValueKeyLayer):
    """``keras.layers.GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads)``.

    Args:
        head_dim: size of each head's query, key and value vectors.
        num_query_heads: number of query heads (a multiple of num_key_value_heads).
        num_key_value_heads: number of key and value heads.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        sliding_window: if set, query step i sees only key steps j with |i - j| < it.
        use_gate: multiply each head's result by sigmoid(query W_g) (a ``gate`` weight).
        kernel_*/bias_*/activity_regularizer: passed to the projections.
        seed: seed of the dropout.

    Call: ``gqa(query, value, key=None, attention_mask=None,
    return_attention_scores=False, training=None, use_causal_mask=False)`` on inputs of
    shape (batch, steps, features); masks carried by the inputs are used too.
    """

    _call_example = "gqa"
    _keras_class_name = "GroupQueryAttention"  # Keras's public name for this class
    _window = property(lambda self: self.sliding_window)

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                "`num_query_heads` must be divisible by `num_key_value_heads`. Received: "
                f"num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}")
        if sliding_window is not None and (
                not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError(
                "`sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window}")
        if flash_attention:
            raise ValueError(
                "kerlite has no flash-attention kernel (it computes attention with NumPy). "
                "Leave `flash_attention` unset: the results are the same. Received: "
                f"flash_attention={flash_attention!r}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout, self.use_bias, self.use_gate = dropout, use_bias, use_gate
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        # As in Keras, the activity regularizer applies to each projection's output.
        self._projection_activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._dropout_layer = Dropout(rate=dropout, seed=seed, dtype=self.dtype)

    def _projection(self, equation, output_shape, bias_axes, name, activation=None):
        return EinsumDense(
            equation, output_shape, bias_axes=bias_axes if self.use_bias else None,
            activation=activation, kernel_initializer=self.kernel_initializer.clone(),
            bias_initializer=self.bias_initializer.clone(),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self._projection_activity_regularizer,
            kernel_constraint=self.kernel_constraint, bias_constraint=self.bias_constraint,
            dtype=self.dtype, name=name)

    def build(self, query_shape, value_shape, key_shape=None):
        self._build_shapes = {"query_shape": tuple(query_shape),
                              "value_shape": tuple(value_shape)}
        if key_shape is not None:
            self._build_shapes["key_shape"] = tuple(key_shape)
        key_shape = value_shape if key_shape is None else key_shape
        self._check_shapes(tuple(query_shape), tuple(value_shape), tuple(key_shape))
        query_heads = (None, self.num_query_heads, self.head_dim)
        shared_heads = (None, self.num_key_value_heads, self.head_dim)
        self._query_dense = self._projection("bqm,muh->bquh", query_heads, "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection("bkm,mvh->bkvh", shared_heads, "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._projection("bqm,muh->bquh", query_heads, "uh", "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection("bkm,mvh->bkvh", shared_heads, "vh", "value")
        self._value_dense.build(value_shape)
        self._output_dense = self._projection("bquh,uhm->bqm", (None, query_shape[-1]),
                                              "m", "attention_output")
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def _check_shapes(self, query_shape, value_shape, key_shape):
        if len(query_shape) != 3 or len(value_shape) != 3 or len(key_shape) != 3:
            raise ValueError(
                f'Layer "{self.name}" needs query, value and key of rank 3 (batch, steps, '
                f"features). Received: query_shape={query_shape}, "
                f"value_shape={value_shape}, key_shape={key_shape}")
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, "
                f"but are {query_shape[-1]}, {value_shape[-1]}. Received: "
                f"query_shape={query_shape}, value_shape={value_shape}")
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be "
                f"equal. Received: value_shape={value_shape} and key_shape={key_shape}")

    def call(self, query, value, key=None, query_mask=None, value_mask=None,
             key_mask=None, attention_mask=None, return_attention_scores=False,
             training=None, use_causal_mask=False):
        key = value if key is None else key
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask,
                                    attention_mask, use_causal_mask)
        q = ops.multiply(self._query_dense(query), 1.0 / math.sqrt(self.head_dim))
        # Each key/value head serves `num_repeats` consecutive query heads.
        k = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        v = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        scores = ops.einsum("bquh,bkuh->buqk", q, k)
        if mask is not None:
            mask = mask[:, None] if mask.ndim == 3 else mask  # add the heads axis
        scores = attention_masks.masked_softmax(scores, mask, axis=-1)
        output = ops.einsum("buqk,bkuh->bquh", self._dropout_layer(scores, training=training),
                            v)
        if self.use_gate:
            output = ops.multiply(output, self._gate_dense(query))
        output = self._output_dense(output)
        if query_mask is not None:
            output._keras_mask = query_mask
        return (output, scores) if return_attention_scores else output

    def compute_mask(self, query, mask=None):
        # The query's mask, for the output only (the scores, a second output, get
        # none), as Keras's default compute_mask.
        return mask

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_shapes(tuple(query_shape), tuple(value_shape), tuple(key_shape))
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        shape = self.compute_output_shape(query.shape, value.shape,
                                          None if key is None else key.shape)
        output = KerasTensor(shape, dtype=self.dtype)
        if not return_attention_scores:
            return output
        steps = (value if key is None else key).shape[1]
        scores = (query.shape[0], self.num_query_heads, query.shape[1], steps)
        return output, KerasTensor(scores, dtype=self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(
                self._projection_activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        })
        return config


GroupQueryAttention = GroupedQueryAttention  # the name Keras exports
