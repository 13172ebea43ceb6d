"""keras-io example "Bidirectional LSTM on IMDB" (examples/nlp/bidirectional_lstm_imdb.py),
run on kerlite and Keras 3.

Sections: Build the model (summary), Load the IMDB movie review sentiment data (pad_sequences),
Train and evaluate the model.
Data: random reviews (token lists of random lengths) instead of the IMDB download; a few
samples, 1 epoch.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, param_lines, run_both

# Keras compiles an orthogonal initializer and a scan per LSTM: slow on JAX (CPU).
pytestmark = [pytest.mark.parity, pytest.mark.slow]

MAX_FEATURES, MAXLEN = 20000, 200


def build_the_model(lib):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(MAX_FEATURES, 128)(inputs)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(64))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def load_data(keras, n=16, seed=0):
    rng = np.random.default_rng(seed)
    x = [list(rng.integers(1, MAX_FEATURES, size=rng.integers(10, 300))) for _ in range(n)]
    y = rng.integers(0, 2, size=(n,))
    return keras.utils.pad_sequences(x, maxlen=MAXLEN), y


def test_build_the_model_and_load_the_data():
    mine, theirs = run_both(build_the_model)
    assert layer_shapes(mine) == layer_shapes(theirs) == [
        (None, None), (None, None, 128), (None, None, 128), (None, 128), (None, 1)]
    assert layer_counts(mine) == layer_counts(theirs)
    assert param_lines(mine) == param_lines(theirs)
    assert mine.count_params() == 2757761
    x_train, _ = load_data(__import__("kerlite"))
    assert x_train.shape == (16, MAXLEN)
    copy_weights(mine, theirs)
    assert_close(mine.predict(x_train[:2], verbose=0), theirs.predict(x_train[:2], verbose=0),
                 atol=1e-5)


def test_train_and_evaluate_the_model():
    def section(lib):
        x_train, y_train = load_data(lib.keras)
        x_val, y_val = load_data(lib.keras, n=8, seed=1)
        model = build_the_model(lib)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        history = model.fit(x_train, y_train, batch_size=8, epochs=1,
                            validation_data=(x_val, y_val), verbose=0)
        return sorted(history.history), model.evaluate(x_val, y_val, verbose=0)

    mine, theirs = run_both(section)
    assert mine[0] == theirs[0] == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(mine[1]) == 2 and np.isfinite(mine[1][0])
