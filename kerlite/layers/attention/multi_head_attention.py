"""MultiHeadAttention: several scaled dot-product attentions side by side (Vaswani et al.).

Each head h projects the inputs, Q_h = query W_q, K_h = key W_k, V_h = value W_v, then
computes softmax(Q_h K_h^T / sqrt(key_dim)) V_h; the heads' results are projected back
together by W_o. The projections are ``Projection`` sublayers named like Keras's
(``query``, ``key``, ``value``, ``attention_output``), so Keras weights transfer.
"""

import math

from kerlite import arrays, constraints, initializers, ops, regularizers
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.attention import attention_masks
from kerlite.layers.attention.attention_equations import attention_equations
from kerlite.layers.attention.projection import Projection
from kerlite.layers.attention.query_value_key import QueryValueKeyLayer
from kerlite.layers.regularization.dropout import Dropout


class MultiHeadAttention(QueryValueKeyLayer):
    """``keras.layers.MultiHeadAttention(num_heads, key_dim, value_dim=None, ...)``.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head's query and key vectors.
        value_dim: size of each head's value vectors (default: key_dim).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: trailing shape of the output (default: the query's last axis).
        attention_axes: the axes attention runs over (default: all but batch and
            features), for inputs of rank 4 and more.
        sliding_window: if set, query step i sees only key steps j with |i - j| < it.
        use_gate: multiply each head's result by sigmoid(query W_g) (a ``gate`` weight).
        kernel_*/bias_*/activity_regularizer: passed to the projections.
        seed: seed of the dropout.

    Call: ``mha(query, value, key=None, attention_mask=None,
    return_attention_scores=False, training=None, use_causal_mask=False)``; masks
    carried by the inputs (``Embedding(mask_zero=True)``) are used too.
    """

    _call_example = "mha"

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        for name, value in (("num_heads", num_heads), ("key_dim", key_dim),
                            ("value_dim", value_dim), ("sliding_window", sliding_window)):
            allowed_none = name in ("value_dim", "sliding_window")
            if not (value is None and allowed_none) and (
                    not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                raise ValueError(
                    f"Received an invalid value for argument `{name}`, expected a "
                    f"positive integer{' or None' if allowed_none else ''}. "
                    f"Received: {name}={value!r}")
        if flash_attention:
            raise ValueError(
                "kerlite has no flash-attention kernel (it computes attention with NumPy). "
                "Leave `flash_attention` unset: the results are the same. Received: "
                f"flash_attention={flash_attention!r}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim or key_dim
        self._dropout, self._use_bias, self._use_gate = dropout, use_bias, use_gate
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        if output_shape is not None and not isinstance(output_shape, (list, tuple)):
            raise ValueError(
                f"Invalid `output_shape`: {output_shape!r}. When specified, the "
                "`output_shape` should be of type tuple, list, or int.")
        self._output_shape = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError("`attention_axes` must be an int, list, or tuple. "
                             f"Received: attention_axes={attention_axes!r}")
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._window = sliding_window
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        # As in Keras, the activity regularizer applies to each projection's output.
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self.seed = seed
        self._dropout_layer = Dropout(rate=dropout, seed=seed, dtype=self.dtype)

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # --- building ------------------------------------------------------------------
    def _projection(self, num_input_axes, shape, name, activation=None):
        return Projection(
            num_input_axes, shape, use_bias=self._use_bias, activation=activation,
            kernel_initializer=self._kernel_initializer.clone(),
            bias_initializer=self._bias_initializer.clone(),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint, dtype=self.dtype, name=name)

    def build(self, query_shape, value_shape, key_shape=None):
        self._build_shapes = {"query_shape": tuple(query_shape),
                              "value_shape": tuple(value_shape)}
        if key_shape is not None:
            self._build_shapes["key_shape"] = tuple(key_shape)
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_shapes(query_shape, value_shape, key_shape)
        rank = len(query_shape) + 1  # of the projected tensors: one more axis, the heads
        self._attention_axes = self._resolve_axes(rank)
        self._scores_equation, self._combine_equation, scores_rank = attention_equations(
            rank, self._attention_axes)
        self._softmax_axes = tuple(range(scores_rank - len(self._attention_axes),
                                         scores_rank))
        heads = self._num_heads
        self.query_dense = self._projection(1, (heads, self._key_dim), "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(1, (heads, self._key_dim), "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(1, (heads, self._value_dim), "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection(1, (heads, self._value_dim), "value")
        self.value_dense.build(value_shape)
        output_shape = self._output_shape or (query_shape[-1],)
        self.output_dense = self._projection(2, output_shape, "attention_output")
        self.output_dense.build(query_shape[:-1] + (heads, self._value_dim))

    def _check_shapes(self, query_shape, value_shape, key_shape):
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be "
                f"equal. Received: value_shape={value_shape} and key_shape={key_shape}")
        if len(query_shape) != len(value_shape) or len(query_shape) < 3:
            raise ValueError(
                f'Layer "{self.name}" needs query and value of the same rank, at least 3 '
                "(batch, <attended axes>, features). Received: "
                f"query_shape={query_shape}, value_shape={value_shape}")

    def _resolve_axes(self, rank):
        """Attention axes as indices into the projected tensors (negative ones count
        from the end of the input, as in Keras)."""
        if self._attention_axes is None:
            return tuple(range(1, rank - 2))
        axes = tuple(a if a >= 0 else (rank - 1) + a for a in self._attention_axes)
        if any(not 1 <= a <= rank - 3 for a in axes) or len(set(axes)) != len(axes):
            raise ValueError(
                f'Layer "{self.name}": `attention_axes` must name distinct axes of the '
                f"inputs other than the batch (0) and feature ({rank - 2}) axes. "
                f"Received: attention_axes={self._attention_axes}")
        return axes

    # --- calling -------------------------------------------------------------------
    def call(self, query, value, key=None, query_mask=None, value_mask=None,
             key_mask=None, attention_mask=None, return_attention_scores=False,
             training=None, use_causal_mask=False):
        value = self._as_tensor(value)
        key = value if key is None else self._as_tensor(key)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask,
                                    attention_mask, use_causal_mask)
        q = ops.multiply(self.query_dense(query), 1.0 / math.sqrt(self._key_dim))
        k, v = self.key_dense(key), self.value_dense(value)
        scores = ops.einsum(self._scores_equation, q, k)
        scores = attention_masks.masked_softmax(scores, self._expand_mask(mask, scores),
                                                axis=self._softmax_axes)
        dropped = self._dropout_layer(scores, training=training)
        output = ops.einsum(self._combine_equation, dropped, v)
        if self._use_gate:
            output = ops.multiply(output, self._gate_dense(query))
        output = self.output_dense(output)
        if query_mask is not None:
            output._keras_mask = query_mask
        return (output, scores) if return_attention_scores else output

    def _as_tensor(self, x):
        if not hasattr(x, "_parents") or (x.dtype != self.dtype and "float" in x.dtype):
            return ops.cast(x, self.dtype)
        return x

    def _expand_mask(self, mask, scores):
        """Add the heads axis (and any other missing axis) so the mask fits the scores."""
        if mask is None:
            return None
        xp = arrays.get_array_module(mask)
        while mask.ndim < scores.ndim:
            mask = xp.expand_dims(mask, -2 * len(self._attention_axes) - 1)
        if mask.ndim > scores.ndim or any(
                m not in (1, s) for m, s in zip(mask.shape, scores.shape)):
            raise ValueError(
                f'Layer "{self.name}": the attention mask must broadcast to the '
                f"attention scores. Received a mask of shape {tuple(mask.shape)} for "
                f"scores of shape {tuple(scores.shape)} (batch, heads, query steps, "
                "key steps); give `attention_mask` the shape (batch, T, S).")
        return mask

    def compute_mask(self, query, mask=None):
        # The query's mask, for the output only (the scores, a second output, get
        # none), as Keras's default compute_mask.
        return mask

    # --- shapes and config -----------------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_shapes(query_shape, value_shape, key_shape)
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        shape = self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape)
        output = KerasTensor(shape, dtype=self.dtype)
        if not return_attention_scores:
            return output
        rank = len(query.shape) + 1
        projected = tuple(query.shape[:-1]) + (self._num_heads,)
        axes = self._attention_axes
        kept = [projected[i] for i in range(rank - 1) if i not in axes]
        scores = kept + [query.shape[i] for i in axes] + [value.shape[i] for i in axes]
        return output, KerasTensor(tuple(scores), dtype=self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        })
        return config

