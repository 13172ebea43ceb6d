"""Recurrent layers learn: the sign of a running sum, a task that needs memory over time."""

import numpy as np

import kerlite as keras
from kerlite import layers


def running_sum_data(samples, steps, seed):
    """x: (samples, steps, 1) numbers; y[t] = 1 if x[0] + ... + x[t] > 0."""
    x = np.random.default_rng(seed).normal(size=(samples, steps, 1)).astype("float32")
    return x, (np.cumsum(x, axis=1) > 0).astype("float32")


def test_gru_learns_the_sign_of_a_running_sum():
    keras.utils.set_random_seed(0)
    x, y = running_sum_data(512, 12, seed=0)
    x_test, y_test = running_sum_data(256, 12, seed=1)
    inputs = keras.Input(shape=(None, 1))
    hidden = layers.GRU(16, return_sequences=True)(inputs)
    outputs = layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy")
    model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    accuracy = ((model.predict(x_test, verbose=0) > 0.5) == y_test).mean()
    # chance (always "positive") is about 0.5; the last value alone gets about 0.6
    assert accuracy > 0.9, accuracy


def test_bidirectional_lstm_with_masking_learns_the_final_sign():
    keras.utils.set_random_seed(1)
    x, y = running_sum_data(512, 10, seed=2)
    lengths = np.random.default_rng(3).integers(3, 11, size=512)
    for row, length in enumerate(lengths):  # padded sequences: zeros after `length`
        x[row, length:] = 0.0
    target = y[np.arange(512), lengths - 1]
    inputs = keras.Input(shape=(10, 1))
    masked = layers.Masking()(inputs)
    features = layers.Bidirectional(layers.LSTM(8))(masked)
    outputs = layers.Dense(1, activation="sigmoid")(features)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, target, epochs=10, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.85, history.history["accuracy"]
