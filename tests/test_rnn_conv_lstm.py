"""ConvLSTM1D/2D/3D: Keras parity on the same weights, gradients, masks, shapes, config."""

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite
from kerlite import layers
from test_rnn_layers import check_layer_grads

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

FRAMES = np.random.default_rng(0).normal(size=(2, 3, 5, 5, 2)).astype("float32")
MASK = np.array([[True, True, False], [False, True, True]])


@pytest.mark.parity
@pytest.mark.parametrize("options", [
    {"padding": "same", "return_sequences": True},
    {"strides": 2, "return_state": True, "go_backwards": True},
])
def test_conv_lstm2d_matches_keras(options):
    keras = import_keras()
    theirs = keras.layers.ConvLSTM2D(3, 3, **options)
    expected = theirs(FRAMES)  # (Keras 3.15 on JAX fails on ConvLSTM masks)
    ours = layers.ConvLSTM2D(3, 3, **options)
    ours.build(FRAMES.shape)
    ours.set_weights(theirs.get_weights())
    got = ours(FRAMES)
    expected = list(expected) if isinstance(expected, (list, tuple)) else [expected]
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)
    shape = (None,) + FRAMES.shape[1:]
    assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)
    assert sorted(ours.get_config()) == sorted(theirs.get_config())


def test_conv_lstm1d_gradients_with_mask():
    layer = layers.ConvLSTM1D(2, 2, padding="same", return_sequences=True, dtype="float64")
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 2))
    check_layer_grads(layer, x, mask=MASK)
    assert [w.shape for w in layer.weights] == [(2, 2, 8), (2, 2, 8), (8,)]
    np.testing.assert_array_equal(layer.get_weights()[2], np.repeat([0.0, 1.0, 0.0, 0.0], 2))


def test_conv_lstm_shapes_config_and_errors():
    inputs = kerlite.Input(shape=(None, 8, 8, 3))
    outputs = layers.ConvLSTM2D(4, (3, 3), return_sequences=True)(inputs)
    assert outputs.shape == (None, None, 6, 6, 4)
    volume = layers.ConvLSTM3D(2, 2)(np.zeros((1, 2, 3, 3, 3, 1), dtype="float32"))
    assert volume.shape == (1, 2, 2, 2, 2)
    layer = layers.ConvLSTM2D(4, 3, strides=2, padding="same", dropout=0.1)
    clone = layers.ConvLSTM2D.from_config(layer.get_config())
    assert clone.filters == 4 and clone.strides == (2, 2) and clone.dropout == 0.1
    with pytest.raises(ValueError, match="channels_last"):
        layers.ConvLSTM2D(2, 3, data_format="channels_first")


def test_masked_steps_are_skipped():
    layer = layers.ConvLSTM2D(2, 3, padding="same", return_state=True)
    _, h_masked, c_masked = layer(FRAMES, mask=MASK)
    _, h_short, c_short = layer(FRAMES[:1, :2])  # row 0: its third step is masked
    np.testing.assert_allclose(h_masked.numpy()[:1], h_short.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c_masked.numpy()[:1], c_short.numpy(), rtol=1e-5, atol=1e-6)
    _, h_late, _ = layer(FRAMES[1:, 1:])  # row 1: its first step is masked
    np.testing.assert_allclose(h_masked.numpy()[1:], h_late.numpy(), rtol=1e-5, atol=1e-6)
