"""Bidirectional and TimeDistributed: Keras parity on the same weights, gradients, masks,
merge modes, and the seed's image-classifier-to-video model."""

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite
from kerlite import layers, ops
from test_rnn_layers import MASK, check_layer_grads, sequences

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def keras_module():
    return import_keras()


def same_layer(theirs, ours, *args, **kwargs):
    """Build ``ours`` like ``theirs``, copy the weights, return both results as lists."""
    expected = theirs(*args, **kwargs)
    ours.build(args[0].shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    got = ours(*args, **kwargs)
    listed = [lambda v: list(v) if isinstance(v, (list, tuple)) else [v]][0]
    return listed(got), listed(expected)


@pytest.mark.parity
@pytest.mark.parametrize("merge_mode, rnn", [
    ("concat", "LSTM"), ("sum", "LSTM"), ("mul", "GRU"), ("ave", "SimpleRNN"), (None, "GRU"),
])
def test_bidirectional_matches_keras(merge_mode, rnn):
    keras = keras_module()
    x = sequences()

    def make(module):
        inner = getattr(module.layers, rnn)(3, return_sequences=True)
        return module.layers.Bidirectional(inner, merge_mode=merge_mode)

    got, expected = same_layer(make(keras), make(kerlite), x, mask=MASK)
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_bidirectional_return_state_and_backward_layer_match_keras():
    keras = keras_module()
    x = sequences()

    def make(module):
        forward = module.layers.LSTM(3, return_state=True)
        backward = module.layers.LSTM(3, return_state=True, go_backwards=True,
                                      activation="relu")
        return module.layers.Bidirectional(forward, backward_layer=backward)

    got, expected = same_layer(make(keras), make(kerlite), x)
    assert len(got) == 5  # output, forward h and c, backward h and c
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_bidirectional_weights_names_and_gradients():
    layer = layers.Bidirectional(layers.GRU(2, return_sequences=True, dtype="float64"),
                                 dtype="float64")
    x = sequences(2, 4, 3, dtype="float64")
    layer(x)
    assert layer.forward_layer.name.startswith("forward_gru")
    assert layer.backward_layer.name.startswith("backward_gru")
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert len(layer.trainable_weights) == 6
    check_layer_grads(layer, x, mask=MASK[:2, :4])


def test_bidirectional_checks_arguments_and_config():
    with pytest.raises(ValueError, match="merge mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match="Layer"):
        layers.Bidirectional("lstm")
    with pytest.raises(ValueError, match="recurrent layer"):
        layers.Bidirectional(layers.Dense(3))
    layer = layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="sum")
    clone = layers.Bidirectional.from_config(layer.get_config())
    assert clone.merge_mode == "sum" and clone.return_sequences
    assert clone.compute_output_shape((None, 7, 3)) == (None, 7, 2)
    assert layers.Bidirectional(layers.LSTM(2)).compute_output_shape((None, 7, 3)) == (None, 4)


def test_stateful_bidirectional_resets():
    layer = layers.Bidirectional(layers.SimpleRNN(2, stateful=True))
    x = sequences(3, 4, 2)
    first = layer(x).numpy()
    assert not np.allclose(layer(x).numpy(), first)
    layer.reset_states()
    np.testing.assert_allclose(layer(x).numpy(), first, rtol=1e-6)
    assert len(layer.states) == 2


@pytest.mark.parity
def test_time_distributed_dense_matches_keras():
    keras = keras_module()
    x = sequences(2, 5, 4)
    got, expected = same_layer(keras.layers.TimeDistributed(keras.layers.Dense(3)),
                               layers.TimeDistributed(layers.Dense(3)), x)
    np.testing.assert_allclose(got[0].numpy(), np.asarray(expected[0]), rtol=1e-5,
                               atol=1e-6)


def test_time_distributed_gradients_and_shapes():
    layer = layers.TimeDistributed(layers.Dense(2, activation="tanh", dtype="float64"),
                                   dtype="float64")
    check_layer_grads(layer, sequences(2, 3, 4, dtype="float64"))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2)).build((None, 4))
    with pytest.raises(ValueError, match="layer"):
        layers.TimeDistributed(np.zeros(3))


def test_seed_image_classifier_becomes_a_video_classifier():
    image = kerlite.Input(shape=(784,))
    hidden = layers.Dense(64, activation="relu")(image)
    probabilities = layers.Dense(10, activation="softmax")(hidden)
    model = kerlite.Model(image, probabilities)

    input_sequences = kerlite.Input(shape=(20, 784))
    processed_sequences = layers.TimeDistributed(model)(input_sequences)
    assert processed_sequences.shape == (None, 20, 10)
    video_model = kerlite.Model(input_sequences, processed_sequences)
    frames = np.random.default_rng(0).random((2, 20, 784)).astype("float32")
    per_frame = video_model(frames).numpy()
    np.testing.assert_allclose(per_frame[1, 7], model(frames[1:2, 7]).numpy()[0], rtol=1e-5)
    np.testing.assert_allclose(per_frame.sum(axis=-1), 1.0, rtol=1e-5)
    assert video_model.count_params() == model.count_params()


def test_time_distributed_passes_masks_on():
    embedded = layers.Embedding(6, 3, mask_zero=True)(np.array([[1, 0, 2]]))
    out = layers.TimeDistributed(layers.Dense(2))(embedded)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, False, True]])
    summed = layers.LSTM(2)(out)
    assert summed.shape == (1, 2) and np.isfinite(summed.numpy()).all()
    assert ops.convert_to_tensor(summed).shape == (1, 2)
