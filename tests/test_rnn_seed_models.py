"""The seeds' sequence models: they build with the seeds' shapes and parameter counts, and
the multi-input ticket router trains on dicts with per-output losses."""

import warnings

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite as keras
from kerlite import layers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def bidirectional_lstm_classifier(keras, layers, shared=False):
    """The seed's two bidirectional LSTM models (shared=True: one embedding, two BiLSTMs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        # kerlite accepts the seed's Keras 2 `Input(784,)`; Keras 3 needs a tuple
        inputs = keras.Input(784,) if keras.__name__ == "kerlite" else keras.Input((784,))
        embedding = layers.Embedding(512, 64, input_length=1024)(inputs)
    bidirectional1 = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(embedding)
    if shared:
        bidirectional2 = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(
            embedding)
        merged = layers.concatenate([bidirectional1, bidirectional2])
    else:
        merged = layers.Bidirectional(layers.LSTM(64,))(bidirectional1)
    dense1 = layers.Dense(32, activation="relu")(merged)
    outputs = layers.Dense(1, activation="sigmoid")(dense1)
    return keras.Model(inputs=inputs, outputs=outputs, name="lstm_model")


def test_seed_bidirectional_lstm_classifier_shapes_and_counts():
    model = bidirectional_lstm_classifier(keras, layers)
    shapes = [layer.output.shape for layer in model.layers]
    assert shapes == [(None, 784), (None, 784, 64), (None, 784, 128), (None, 128),
                      (None, 32), (None, 1)]
    counts = [layer.count_params() for layer in model.layers]
    assert counts == [0, 512 * 64, 2 * 4 * (64 * 64 + 64 * 64 + 64),
                      2 * 4 * (128 * 64 + 64 * 64 + 64), 128 * 32 + 32, 33]
    assert model.count_params() == 201793
    out = model.predict(np.random.default_rng(0).integers(0, 512, size=(2, 784)), verbose=0)
    assert out.shape == (2, 1) and ((out > 0) & (out < 1)).all()


def test_seed_shared_embedding_feeds_two_bidirectional_lstms():
    model = bidirectional_lstm_classifier(keras, layers, shared=True)
    assert model.output.shape == (None, 784, 1)
    embedding = model.layers[1]
    assert len(embedding._inbound_nodes) == 1 and len(embedding._outbound_nodes) == 2
    assert model.count_params() == 512 * 64 + 2 * 66048 + 256 * 32 + 32 + 33


@pytest.mark.parity
def test_seed_classifier_counts_match_keras():
    real_keras = import_keras()
    for shared in (False, True):
        theirs = bidirectional_lstm_classifier(real_keras, real_keras.layers, shared)
        ours = bidirectional_lstm_classifier(keras, layers, shared)
        assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
        assert ours.count_params() == theirs.count_params()


def test_seed_shared_embedding_on_two_variable_length_inputs():
    shared_embedding = layers.Embedding(1000, 128)
    text_input_a = keras.Input(shape=(None,), dtype="int32")
    text_input_b = keras.Input(shape=(None,), dtype="int32")
    encoded_input_a = shared_embedding(text_input_a)
    encoded_input_b = shared_embedding(text_input_b)
    assert encoded_input_a.shape == encoded_input_b.shape == (None, None, 128)
    assert len(shared_embedding._inbound_nodes) == 2


def test_seed_shared_lstm_nodes():
    a = keras.Input(shape=(140, 256))
    b = keras.Input(shape=(140, 256))
    lstm = layers.LSTM(32)
    encoded_a = lstm(a)
    assert lstm.output is encoded_a
    encoded_b = lstm(b)
    assert lstm.get_output_at(0) is encoded_a
    assert lstm.get_output_at(1) is encoded_b
    assert encoded_b.shape == (None, 32)


def ticket_router():
    num_tags, num_words, num_departments = 12, 10000, 4
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Embedding(num_words, 64)(title_input)
    body_features = layers.Embedding(num_words, 64)(body_input)
    title_features = layers.LSTM(128)(title_features)
    body_features = layers.LSTM(32)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    return keras.Model(inputs=[title_input, body_input, tags_input],
                       outputs=[priority_pred, department_pred])


def test_seed_ticket_router_trains_on_dicts_with_per_output_losses():
    model = ticket_router()
    assert [o.shape for o in model.outputs] == [(None, 1), (None, 4)]
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
              "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
        loss_weights=[1.0, 0.2])
    rng = np.random.default_rng(0)
    samples = 64
    title_data = rng.integers(0, 10000, size=(samples, 10))
    body_data = rng.integers(0, 10000, size=(samples, 20))
    tags_data = rng.integers(0, 2, size=(samples, 12)).astype("float32")
    priority_targets = rng.random(size=(samples, 1))
    dept_targets = rng.integers(0, 2, size=(samples, 4)).astype("float32")
    history = model.fit({"title": title_data, "body": body_data, "tags": tags_data},
                        {"priority": priority_targets, "department": dept_targets},
                        epochs=2, batch_size=32, verbose=0)
    assert {"loss", "priority_loss", "department_loss"} <= set(history.history)
    losses = history.history
    assert all(np.isfinite(v).all() for v in losses.values())
    np.testing.assert_allclose(
        losses["loss"][-1],
        losses["priority_loss"][-1] + 0.2 * losses["department_loss"][-1], rtol=0.05)
