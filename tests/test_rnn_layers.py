"""SimpleRNN, LSTM, GRU and RNN(cell): Keras parity on the same weights, gradients of the
layer's inputs and weights, and the options (masks, go_backwards, return_state, stateful,
dropout, initial_state)."""

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite
from kerlite import layers, ops
from kerlite.common import nest
from kerlite.layers.layer import Layer

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def keras_module():
    return import_keras()


def check_layer_grads(layer, x, eps=1e-6, **call_kwargs):
    """Tape gradients of sum(w * layer(x)) w.r.t. x and every weight vs finite differences."""
    x = kerlite.Variable(x, dtype="float64")
    rng = np.random.default_rng(0)
    out = layer(x, **call_kwargs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    weights = [rng.normal(size=o.shape) for o in outs]

    def loss():
        result = layer(x, **call_kwargs)
        result = list(result) if isinstance(result, (list, tuple)) else [result]
        return sum(ops.sum(o * w) for o, w in zip(result, weights))

    sources = [x] + list(layer.trainable_weights)
    with kerlite.GradientTape() as tape:
        total = loss()
    grads = tape.gradient(total, sources)
    for source, grad in zip(sources, grads):
        numeric = np.zeros(source.shape)
        flat, numeric_flat = source.data.reshape(-1), numeric.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = float(loss().data)
            flat[i] = old - eps
            down = float(loss().data)
            flat[i] = old
            numeric_flat[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-5, atol=1e-7,
                                   err_msg=getattr(source, "path", "input"))


def sequences(batch=3, steps=5, features=4, seed=0, dtype="float32"):
    return np.random.default_rng(seed).normal(size=(batch, steps, features)).astype(dtype)


MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 1]], dtype=bool)
LAYERS = {
    "SimpleRNN": {},
    "LSTM": {},
    "GRU": {},
    "GRU_reset_before": {"reset_after": False},
}


def make(kind, module, units=3, **options):
    name = kind.split("_")[0]
    return getattr(module.layers, name)(units, **{**LAYERS[kind], **options})


@pytest.mark.parity
@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("options", [
    {"return_sequences": True, "return_state": True},
    {"go_backwards": True, "activation": "relu", "use_bias": False},
])
def test_same_numbers_as_keras(kind, options):
    keras = keras_module()
    x = sequences()
    theirs = make(kind, keras, **options)
    expected = theirs(x)
    ours = make(kind, kerlite, **options)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    got = ours(x)
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    got = got if isinstance(got, (list, tuple)) else [got]
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masks_match_keras(kind, go_backwards):
    keras = keras_module()
    x = sequences()
    options = {"return_sequences": True, "return_state": True, "go_backwards": go_backwards}
    theirs = make(kind, keras, **options)
    expected = theirs(x, mask=MASK)
    ours = make(kind, kerlite, **options)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for a, b in zip(ours(x, mask=MASK), expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_initial_state_and_default_initializers_match_keras():
    keras = keras_module()
    x = sequences()
    h0, c0 = (np.random.default_rng(s).normal(size=(3, 3)).astype("float32") for s in (1, 2))
    theirs = keras.layers.LSTM(3)
    expected = theirs(x, initial_state=[h0, c0])
    ours = layers.LSTM(3)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())
    got = ours(x, initial_state=[h0.astype("float64"), c0])  # states take the layer's dtype
    assert got.dtype == "float32"
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)
    bias = ours.get_weights()[2]  # unit_forget_bias: the forget gate starts at 1
    np.testing.assert_array_equal(bias, np.repeat([0.0, 1.0, 0.0, 0.0], 3))
    assert ours.count_params() == theirs.count_params()


@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("options", [
    {"return_sequences": True}, {"go_backwards": True},
    {"return_state": True, "return_sequences": True},
])
def test_layer_gradients(kind, options):
    layer = make(kind, kerlite, units=2, dtype="float64", **options)
    check_layer_grads(layer, sequences(2, 4, 3, dtype="float64"))


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_layer_gradients_with_mask(kind):
    layer = make(kind, kerlite, units=2, dtype="float64", return_sequences=True,
                 go_backwards=True)
    check_layer_grads(layer, sequences(3, 5, 3, dtype="float64"), mask=MASK)


def test_custom_activation_uses_the_cell_loop_with_the_same_numbers():
    x = sequences()
    fused = layers.GRU(3, return_sequences=True)
    looped = layers.GRU(3, return_sequences=True, activation=lambda v: ops.tanh(v))
    fused.build(x.shape)
    looped.build(x.shape)
    looped.set_weights(fused.get_weights())
    np.testing.assert_allclose(looped(x, mask=MASK).numpy(), fused(x, mask=MASK).numpy(),
                               rtol=1e-5, atol=1e-6)
    layer = layers.LSTM(2, dtype="float64", activation=lambda v: ops.tanh(v),
                        return_sequences=True)
    check_layer_grads(layer, sequences(2, 3, 3, dtype="float64"))


def test_stateful_carries_states_between_calls_and_reset():
    x = sequences(2, 6, 3)
    whole = layers.LSTM(4, return_sequences=True)
    whole.build(x.shape)
    stateful = layers.LSTM(4, return_sequences=True, stateful=True)
    stateful.build(x.shape)
    stateful.set_weights(whole.get_weights())
    expected = whole(x).numpy()
    first, second = stateful(x[:, :3]).numpy(), stateful(x[:, 3:]).numpy()
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), expected, rtol=1e-5,
                               atol=1e-6)
    assert len(stateful.states) == 2 and stateful.non_trainable_weights == []
    stateful.reset_states()
    np.testing.assert_allclose(stateful(x[:, :3]).numpy(), first, rtol=1e-6)
    with pytest.raises(ValueError, match="stateful"):
        stateful(x[:1, :3])


def test_stateful_gradients_treat_the_carried_state_as_a_constant():
    layer = layers.GRU(2, stateful=True, dtype="float64")
    x = sequences(2, 3, 3, dtype="float64")
    layer(x)
    before = [s.numpy().copy() for s in layer.states]
    assert np.abs(before[0]).sum() > 0

    def restore_and_call(inputs, **kwargs):
        for variable, value in zip(layer.states, before):
            variable.assign(value)
        return layer.__class__.__call__(layer, inputs, **kwargs)

    check_layer_grads(type("Stateful", (), {
        "__call__": lambda self, v, **k: restore_and_call(v, **k),
        "trainable_weights": layer.trainable_weights})(), x)


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match="batch size must be static"):
        layers.SimpleRNN(2, stateful=True).build((None, 4, 3))


def test_dropout_only_in_training_and_same_mask_for_every_step():
    x = np.ones((4, 6, 5), dtype="float32")
    layer = layers.SimpleRNN(3, dropout=0.5, recurrent_dropout=0.5, seed=1,
                             return_sequences=True)
    inference = layer(x).numpy()
    np.testing.assert_allclose(layer(x).numpy(), inference)
    trained = layer(x, training=True).numpy()
    assert not np.allclose(trained, inference)
    with kerlite.GradientTape() as tape:
        loss = ops.sum(layer(x, training=True))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert all(g is not None and np.isfinite(g.numpy()).all() for g in grads)


def test_generic_rnn_with_a_cell_written_by_hand():
    class MinimalRNNCell(Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                    name="recurrent_kernel")

        def call(self, inputs, states):
            h = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
            return h, [h]

    layer = layers.RNN(MinimalRNNCell(3, dtype="float64"), return_sequences=True,
                       dtype="float64")
    x = sequences(2, 4, 3, dtype="float64")
    out = layer(x, mask=MASK[:2, :4])
    assert out.shape == (2, 4, 3) and len(layer.trainable_weights) == 2
    np.testing.assert_allclose(out.numpy()[0, 3], out.numpy()[0, 2])  # masked: repeated
    check_layer_grads(layer, x, mask=MASK[:2, :4])


@pytest.mark.parity
def test_rnn_of_builtin_cell_matches_keras():
    keras = keras_module()
    x = sequences()
    theirs = keras.layers.RNN(keras.layers.GRUCell(3), return_sequences=True,
                              go_backwards=True)
    expected = theirs(x, mask=MASK)
    ours = layers.RNN(layers.GRUCell(3), return_sequences=True, go_backwards=True)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x, mask=MASK).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_shapes_symbolic_and_config_round_trip():
    inputs = kerlite.layers.Input(shape=(None, 8)) if hasattr(kerlite.layers, "Input") \
        else None
    if inputs is not None:
        out, h, c = layers.LSTM(5, return_sequences=True, return_state=True)(inputs)
        assert out.shape == (None, None, 5) and h.shape == c.shape == (None, 5)
    layer = layers.GRU(4, reset_after=False, go_backwards=True, dropout=0.25)
    config = layer.get_config()
    assert config["units"] == 4 and config["reset_after"] is False
    clone = layers.GRU.from_config(config)
    assert clone.go_backwards and clone.dropout == 0.25 and clone.units == 4
    assert layers.LSTM(3).compute_output_shape((None, 7, 2)) == (None, 3)


def test_bad_arguments_explain():
    with pytest.raises(ValueError, match="positive integer"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="3D input"):
        layers.LSTM(2)(np.zeros((3, 4), dtype="float32"))
    with pytest.raises(ValueError, match=r"needs \[h, c\]"):
        layers.LSTM(2)(sequences(), initial_state=[np.zeros((3, 2), "float32")])
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(Layer())


@pytest.mark.parity
def test_encoder_decoder_with_initial_state_matches_keras():
    keras = keras_module()

    def model(module):
        encoder_inputs = module.Input(shape=(None, 4))
        decoder_inputs = module.Input(shape=(None, 3))
        _, h, c = module.layers.LSTM(5, return_state=True)(encoder_inputs)
        decoded = module.layers.LSTM(5, return_sequences=True)(decoder_inputs,
                                                              initial_state=[h, c])
        outputs = module.layers.Dense(2)(decoded)
        return module.Model([encoder_inputs, decoder_inputs], outputs)

    theirs, ours = model(keras), model(kerlite)
    ours.set_weights(theirs.get_weights())
    encoder_data, decoder_data = sequences(2, 6, 4), sequences(2, 3, 3, seed=1)
    np.testing.assert_allclose(ours([encoder_data, decoder_data]).numpy(),
                               np.asarray(theirs([encoder_data, decoder_data])),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_stacked_cells_match_keras():
    keras = keras_module()
    x = sequences()

    def make(module):
        cells = [module.layers.LSTMCell(3), module.layers.GRUCell(2)]
        return module.layers.RNN(cells, return_sequences=True, return_state=True)

    theirs = make(keras)
    expected = theirs(x, mask=MASK)
    ours = make(kerlite)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())
    got = ours(x, mask=MASK)
    assert len(got) == 3 and len(got[1]) == 2 and len(got[2]) == 1  # out, [h1, c1], [h2]
    for a, b in zip(nest.flatten(got), nest.flatten(list(expected))):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None, 5, 4)) == ((None, 5, 2), [(None, 3), (None, 3)],
                                                       (None, 2))


def test_stacked_cells_gradients_stateful_and_config():
    layer = layers.RNN([layers.SimpleRNNCell(2, dtype="float64"),
                        layers.LSTMCell(2, dtype="float64")], return_sequences=True,
                       dtype="float64")
    x = sequences(2, 4, 3, dtype="float64")
    check_layer_grads(layer, x, mask=MASK[:2, :4])
    assert [w.shape for w in layer.weights] == [(3, 2), (2, 2), (2,), (2, 8), (2, 8), (8,)]
    clone = layers.RNN.from_config(layer.get_config())
    assert [type(c).__name__ for c in clone.cell.cells] == ["SimpleRNNCell", "LSTMCell"]
    stateful = layers.RNN([layers.GRUCell(2), layers.GRUCell(3)], stateful=True)
    first = stateful(sequences(3, 4, 2)).numpy()
    assert [[tuple(v.shape) for v in s] for s in stateful.states] == [[(3, 2)], [(3, 3)]]
    stateful.reset_states()
    np.testing.assert_allclose(stateful(sequences(3, 4, 2)).numpy(), first, rtol=1e-6)
