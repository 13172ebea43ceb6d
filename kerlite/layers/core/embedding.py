"""Embedding: turns integer ids (words, items) into learned dense vectors.

The layer holds one table ``embeddings`` of shape (input_dim, output_dim); looking up id
``k`` returns row ``k``. The gradient of a row is the sum of the gradients of every place
the id appeared (a scatter-add), so frequent words learn faster.
"""

import warnings

from kerlite import initializers, ops, regularizers
from kerlite.layers.layer import Layer


class Embedding(Layer):
    """``keras.layers.Embedding(input_dim, output_dim, mask_zero=False)``.

    Input: integers of any int dtype (floats holding whole numbers are accepted too), shape
    (batch, sequence_length) or any other; ``sequence_length`` may vary
    (``keras.Input(shape=(None,))``). Output: input shape + (output_dim,).

    Args:
        input_dim: size of the vocabulary (largest id + 1).
        output_dim: size of each vector.
        embeddings_initializer: how the table starts ("uniform": U(-0.05, 0.05)).
        embeddings_regularizer, embeddings_constraint: as for other weights.
        mask_zero: id 0 is padding: the layer emits a mask that later layers (LSTM, GRU,
            pooling...) use to skip those positions. Then input_dim must count id 0.
        weights: an optional initial table (input_dim, output_dim).
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, **kwargs):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"`{arg}` must be a positive integer. Received: {arg}={value!r} "
                    f"(of type {type(value).__name__})."
                )
        for keras_only in ("lora_rank", "lora_alpha", "quantization_config"):
            if kwargs.pop(keras_only, None) is not None:
                raise ValueError(
                    f"Embedding: `{keras_only}` (LoRA / quantization) is not supported by "
                    "kerlite. Remove the argument to train the full embedding table."
                )
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            warnings.warn(
                "Embedding(input_length=...) is a Keras 2 argument and is ignored: the "
                "sequence length comes from the input, e.g. keras.Input(shape=(length,)) "
                "or keras.Input(shape=(None,)) for any length. Just remove it.",
                DeprecationWarning, stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), name="embeddings",
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint, trainable=True)
        self.built = True

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        if inputs.dtype not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        ids = inputs.data
        if ids.size and (int(ids.min()) < 0 or int(ids.max()) >= self.input_dim):
            raise ValueError(
                f"Layer {self.name!r} (Embedding with input_dim={self.input_dim}) received "
                f"ids from {int(ids.min())} to {int(ids.max())}; valid ids are 0 to "
                f"{self.input_dim - 1}. Make input_dim the vocabulary size (+1 if 0 is "
                "padding), or clip the ids."
            )
        return ops.take(self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs):
        from kerlite.graph import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        from kerlite.serialization import serialization_lib

        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": None if self.embeddings_regularizer is None
            else regularizers.serialize(self.embeddings_regularizer),
            "embeddings_constraint": None if self.embeddings_constraint is None
            else serialization_lib.serialize_keras_object(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        })
        config.setdefault("activity_regularizer", None)
        return config
