"""Embedding and Masking: lookups, scatter-add gradients, masks flowing into RNNs, Keras
parity, the seed's Keras 2 ``input_length`` argument."""

import warnings

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite
from kerlite import layers, ops

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

IDS = np.array([[1, 2, 0, 0], [3, 3, 3, 1], [0, 4, 0, 2]])


def keras_module():
    return import_keras()


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "float32"])
def test_lookup_returns_rows_for_any_int_dtype(dtype):
    layer = layers.Embedding(5, 3)
    out = layer(IDS.astype(dtype))
    assert out.shape == (3, 4, 3) and out.dtype == "float32"
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out.numpy(), table[IDS])
    assert np.abs(table).max() <= 0.05  # "uniform" is U(-0.05, 0.05)


def test_gradient_adds_up_repeated_ids():
    layer = layers.Embedding(5, 2)
    weights = np.random.default_rng(0).normal(size=(3, 4, 2)).astype("float32")
    with kerlite.GradientTape() as tape:
        loss = ops.sum(layer(IDS) * weights)
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    expected = np.zeros((5, 2), dtype="float32")
    np.add.at(expected, IDS.reshape(-1), weights.reshape(-1, 2))
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-6)


def test_mask_zero_gives_a_mask_that_the_lstm_uses():
    embedding = layers.Embedding(5, 3, mask_zero=True)
    vectors = embedding(IDS)
    np.testing.assert_array_equal(np.asarray(vectors._keras_mask), IDS != 0)
    np.testing.assert_array_equal(
        np.asarray(embedding.compute_mask(ops.convert_to_tensor(IDS))), IDS != 0)
    assert layers.Embedding(5, 3).compute_mask(IDS) is None
    lstm = layers.LSTM(2, return_sequences=True)
    automatic = lstm(vectors).numpy()
    explicit = lstm(ops.convert_to_tensor(vectors.numpy()), mask=IDS != 0).numpy()
    np.testing.assert_allclose(automatic, explicit)
    unmasked = lstm(ops.convert_to_tensor(vectors.numpy())).numpy()
    assert not np.allclose(automatic, unmasked)


@pytest.mark.parity
def test_embedding_mask_zero_and_lstm_match_keras():
    keras = keras_module()
    ids = np.array([[0, 0, 3, 7, 2], [5, 1, 0, 0, 0], [9, 8, 7, 6, 5]])

    def model(module):
        inputs = module.Input(shape=(None,), dtype="int32")
        x = module.layers.Embedding(10, 4, mask_zero=True)(inputs)
        x = module.layers.LSTM(3, return_sequences=True)(x)
        x = module.layers.GRU(2)(x)
        return module.Model(inputs, x)

    theirs, ours = model(keras), model(kerlite)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(ids).numpy(), np.asarray(theirs(ids)), rtol=1e-5,
                               atol=1e-6)


def test_variable_length_input_and_shapes():
    inputs = kerlite.Input(shape=(None,), dtype="int32")
    outputs = layers.Embedding(100, 8)(inputs)
    assert outputs.shape == (None, None, 8)
    model = kerlite.Model(inputs, outputs)
    assert model(np.ones((2, 7), dtype="int64")).shape == (2, 7, 8)
    assert model(np.ones((3, 2), dtype="int64")).shape == (3, 2, 8)


def test_seed_input_length_is_accepted_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match="input_length"):
        layer = layers.Embedding(512, 64, input_length=1024)
    with pytest.warns(DeprecationWarning):
        inputs = kerlite.Input(784,)  # the seed's Keras 2 form
    assert layer(inputs).shape == (None, 784, 64)
    assert layer.count_params() == 512 * 64
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layers.Embedding(512, 64)


def test_errors_explain():
    with pytest.raises(ValueError, match="input_dim"):
        layers.Embedding(0, 3)
    with pytest.raises(ValueError, match="output_dim"):
        layers.Embedding(3, 2.5)
    with pytest.raises(ValueError, match="valid ids are 0 to 4"):
        layers.Embedding(5, 2)(np.array([[1, 5]]))


def test_config_and_initial_weights():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, mask_zero=True, weights=table, name="words")
    np.testing.assert_array_equal(layer(np.array([[2]])).numpy()[0, 0], [4, 5])
    config = layer.get_config()
    assert config["input_dim"] == 3 and config["mask_zero"] is True
    clone = layers.Embedding.from_config(config)
    assert clone.mask_zero and clone.output_dim == 2 and clone.name == "words"


def test_masking_marks_all_padding_steps():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], dtype="float32")
    layer = layers.Masking(mask_value=0.0)
    out = layer(x)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, False, True]])
    np.testing.assert_array_equal(out.numpy(), x)
    padded = layers.Masking(mask_value=3.0)(np.array([[[3.0, 3.0], [3.0, 1.0]]],
                                                      dtype="float32"))
    np.testing.assert_array_equal(padded.numpy(), [[[0, 0], [3, 1]]])
    gru = layers.GRU(2)
    masked = gru(out).numpy()
    np.testing.assert_allclose(masked, gru(x[:, [0, 2]]).numpy(), rtol=1e-6)
    assert layers.Masking(mask_value=-1).get_config()["mask_value"] == -1


@pytest.mark.parity
def test_masking_and_lstm_match_keras():
    keras = keras_module()
    x = np.random.default_rng(3).normal(size=(2, 5, 3)).astype("float32")
    x[0, 3:] = 0.0
    x[1, :2] = 0.0

    def model(module):
        inputs = module.Input(shape=(5, 3))
        x = module.layers.Masking()(inputs)
        return module.Model(inputs, module.layers.LSTM(4, return_sequences=True)(x))

    theirs, ours = model(keras), model(kerlite)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)
