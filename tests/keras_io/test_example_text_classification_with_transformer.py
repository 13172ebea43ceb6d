"""keras-io example "Text classification with Transformer"
(examples/nlp/text_classification_with_transformer.py), run on kerlite and Keras 3.

Sections: Implement a Transformer block as a layer, Implement embedding layer (token and
position), Prepare dataset (pad_sequences), Create classifier model using transformer layer,
Train and Evaluate.
Data: random token lists of random lengths instead of the IMDB download; 1 epoch, few samples.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, run_both

pytestmark = pytest.mark.parity

VOCAB_SIZE, MAXLEN = 20000, 200


def transformer_classes(lib):
    keras, layers, ops = lib.keras, lib.layers, lib.ops

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = keras.Sequential(
                [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1 = layers.Dropout(rate)
            self.dropout2 = layers.Dropout(rate)

        def call(self, inputs):
            attn_output = self.att(inputs, inputs)
            attn_output = self.dropout1(attn_output)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.ffn(out1)
            ffn_output = self.dropout2(ffn_output)
            return self.layernorm2(out1 + ffn_output)

    class TokenAndPositionEmbedding(layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            maxlen = ops.shape(x)[-1]
            positions = ops.arange(start=0, stop=maxlen, step=1)
            positions = self.pos_emb(positions)
            x = self.token_emb(x)
            return x + positions

    return TransformerBlock, TokenAndPositionEmbedding


def load_data(keras):
    rng = np.random.default_rng(0)
    x_train = [list(rng.integers(1, VOCAB_SIZE, size=rng.integers(5, 300))) for _ in range(32)]
    y_train = rng.integers(0, 2, size=(32,))
    x_train = keras.utils.pad_sequences(x_train, maxlen=MAXLEN)
    return x_train, y_train


def build_model(lib):
    keras, layers = lib.keras, lib.layers
    TransformerBlock, TokenAndPositionEmbedding = transformer_classes(lib)
    embed_dim, num_heads, ff_dim = 32, 2, 32
    inputs = layers.Input(shape=(MAXLEN,))
    embedding_layer = TokenAndPositionEmbedding(MAXLEN, VOCAB_SIZE, embed_dim)
    x = embedding_layer(inputs)
    transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
    x = transformer_block(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def test_prepare_dataset_with_pad_sequences():
    def section(lib):
        return load_data(lib.keras)[0]

    mine, theirs = run_both(section)
    assert mine.shape == (32, MAXLEN) and mine.dtype == theirs.dtype
    np.testing.assert_array_equal(mine, theirs)


def test_create_classifier_model_using_transformer_layer():
    x = load_data(__import__("kerlite"))[0][:4]
    mine, theirs = run_both(build_model)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    # token (20000x32) + position (200x32) embeddings; MHA 2 heads of key_dim 32; FFN; norms
    assert layer_counts(mine)[1:3] == [20000 * 32 + 200 * 32, 4 * 2 * 32 * 32 + 3 * 2 * 32
                                       + 32 + (32 * 32 + 32) * 2 + 2 * 2 * 32]
    copy_weights(mine, theirs)
    assert_close(mine.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-5)


@pytest.mark.slow
def test_train_and_evaluate():
    def section(lib):
        x_train, y_train = load_data(lib.keras)
        model = build_model(lib)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x_train, y_train, batch_size=16, epochs=2,
                            validation_data=(x_train[:8], y_train[:8]), verbose=0)
        return model, history.history

    (mine, history), (theirs, their_history) = run_both(section)
    assert sorted(history) == sorted(their_history)
    assert history["loss"][1] < history["loss"][0]
    x_train, y_train = load_data(__import__("kerlite"))
    copy_weights(mine, theirs)
    assert_close(mine.evaluate(x_train, y_train, verbose=0),
                 theirs.evaluate(x_train, y_train, verbose=0), rtol=1e-4)
