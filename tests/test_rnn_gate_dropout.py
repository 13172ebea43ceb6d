"""recurrent_dropout draws one mask per gate, as Keras 3 does (issue 15, item 9).

With ``recurrent_dropout`` Keras's LSTM and GRU cells switch to "implementation 1":
``dropout_mask_count`` is 4 (i, f, c, o) or 3 (z, r, h), and both the input and the
recurrent dropout masks are lists with one mask per gate. kerlite does the same: the cell's
step is checked here against Keras's numbers, and a layer's gradients (the fused LSTM and
GRU ops take the per-gate masks) against finite differences; test_rnn_fused_gate_dropout.py
checks the fused ops against the loop over the cell.
"""

import numpy as np
import pytest

import kerlite
from kerlite import layers, ops
from _keras_reference import import_keras

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

CELLS = {"LSTMCell": 4, "GRUCell": 3}


@pytest.mark.parity
@pytest.mark.parametrize("cell_name, gates", CELLS.items())
def test_one_mask_per_gate_as_keras(cell_name, gates):
    keras = import_keras()
    ours = getattr(layers, cell_name)(64, dropout=0.2, recurrent_dropout=0.3, seed=3)
    theirs = getattr(keras.layers, cell_name)(64, dropout=0.2, recurrent_dropout=0.3, seed=3)
    assert ours.dropout_mask_count == theirs.dropout_mask_count == gates
    state = np.ones((500, 64), "float32")
    for cell in (ours, theirs):
        masks = [np.asarray(getattr(m, "data", m))
                 for m in cell.get_recurrent_dropout_mask(cell_state(cell, state))]
        assert len(masks) == gates
        for mask in masks:  # kept units are scaled by 1 / (1 - rate)
            assert set(np.unique(mask)) <= {0.0, np.float32(1 / 0.7)}
            assert abs((mask == 0).mean() - 0.3) < 0.01
        for a in range(gates):  # each gate drops its own units
            for b in range(a + 1, gates):
                assert (masks[a] != masks[b]).mean() > 0.3
    # Without recurrent dropout: one mask for all gates, in kerlite and in Keras.
    plain_ours = getattr(layers, cell_name)(4, dropout=0.2)
    plain_theirs = getattr(keras.layers, cell_name)(4, dropout=0.2)
    assert plain_ours.dropout_mask_count is None
    assert getattr(plain_theirs, "dropout_mask_count", None) is None


def cell_state(cell, state):
    if type(cell).__module__.startswith("kerlite"):
        return kerlite.ops.convert_to_tensor(state)
    return import_keras().ops.convert_to_tensor(state)


def _fixed_masks(count, shape, rate, seed):
    rng = np.random.default_rng(seed)
    return [((rng.random(shape) >= rate) / (1 - rate)).astype("float32") for _ in range(count)]


@pytest.mark.parity
@pytest.mark.parametrize("cell_name, options", [
    ("LSTMCell", {}), ("GRUCell", {}), ("GRUCell", {"reset_after": False})])
def test_a_step_with_per_gate_masks_gives_keras_numbers(cell_name, options):
    keras = import_keras()
    gates = CELLS[cell_name]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3)).astype("float32")
    h = rng.normal(size=(5, 4)).astype("float32")
    input_masks = _fixed_masks(gates, (5, 3), 0.4, 1)
    recurrent_masks = _fixed_masks(gates, (5, 4), 0.4, 2)
    outputs = []
    for lib in (keras, kerlite):  # Keras first: its random weights go to kerlite
        cell = getattr(lib.layers, cell_name)(4, dropout=0.4, recurrent_dropout=0.4, **options)
        cell.build((5, 3))
        if lib is kerlite:
            cell.set_weights(weights)
            cell._dropout_mask = [kerlite.ops.convert_to_tensor(m) for m in input_masks]
            cell._recurrent_dropout_mask = [kerlite.ops.convert_to_tensor(m)
                                            for m in recurrent_masks]
        else:
            weights = [rng.normal(size=w.shape).astype("float32") for w in cell.weights]
            cell.set_weights(weights)
            cell._dropout_mask = [keras.ops.convert_to_tensor(m) for m in input_masks]
            cell._recurrent_dropout_mask = [keras.ops.convert_to_tensor(m)
                                            for m in recurrent_masks]
        states = [h, h * 0.5] if cell_name == "LSTMCell" else [h]
        output, _ = cell(x, states, training=True)
        outputs.append(np.asarray(getattr(output, "data", output)))
    theirs, ours = outputs
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, options", [
    ("LSTM", {}), ("GRU", {}), ("GRU", {"reset_after": False})])
def test_layer_gradients_with_per_gate_masks(name, options):
    layer = getattr(layers, name)(3, dropout=0.3, recurrent_dropout=0.3, dtype="float64",
                                  return_sequences=True, **options)
    x = np.random.default_rng(0).normal(size=(2, 4, 2))  # 2 features, 3 units
    layer(x)  # build
    gates = layer.cell.dropout_mask_count
    input_masks = [ops.convert_to_tensor(m.astype("float64"))
                   for m in _fixed_masks(gates, (2, 2), 0.3, 5)]
    recurrent_masks = [ops.convert_to_tensor(m.astype("float64"))
                       for m in _fixed_masks(gates, (2, 3), 0.3, 6)]
    # The same masks at every evaluation, so finite differences see one function.
    layer.cell._new_mask = lambda like, rate: (
        input_masks if like.shape[-1] == 2 else recurrent_masks)
    sources = [kerlite.Variable(x, dtype="float64")] + list(layer.trainable_weights)
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(2, 4, 3))  # (batch, steps, units)

    def loss():
        return ops.sum(layer(sources[0], training=True) * weights)

    with kerlite.GradientTape() as tape:
        total = loss()
    grads = tape.gradient(total, sources)
    eps = 1e-6
    for source, grad in zip(sources, grads):
        flat = source.data.reshape(-1)
        numeric = np.zeros(flat.size)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = float(loss().data)
            flat[i] = old - eps
            down = float(loss().data)
            flat[i] = old
            numeric[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grad.numpy().reshape(-1), numeric, rtol=1e-5, atol=1e-7,
                                   err_msg=getattr(source, "path", "input"))


def test_masks_are_drawn_once_per_call_and_only_in_training():
    layer = layers.LSTM(8, recurrent_dropout=0.5, seed=2, return_sequences=True)
    x = np.ones((4, 6, 3), "float32")
    inference = layer(x).numpy()
    np.testing.assert_allclose(layer(x, training=False).numpy(), inference)
    first, second = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert not np.allclose(first, inference) and not np.allclose(first, second)
    assert layer.cell._recurrent_dropout_mask is None  # cleared after each call


@pytest.mark.parity
def test_conv_lstm_uses_four_masks_with_keras_numbers():
    keras = import_keras()
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 3, 5, 5, 2)).astype("float32")  # (batch, time, h, w, c)
    input_masks = _fixed_masks(4, (2, 5, 5, 2), 0.3, 7)
    recurrent_masks = _fixed_masks(4, (2, 5, 5, 3), 0.3, 8)
    outputs = []
    for lib in (keras, kerlite):
        layer = lib.layers.ConvLSTM2D(3, 3, padding="same", dropout=0.3,
                                      recurrent_dropout=0.3)
        layer.build(x.shape)
        if lib is keras:
            weights = [rng.normal(size=w.shape).astype("float32") * 0.3 for w in layer.weights]
        layer.set_weights(weights)
        assert layer.cell.dropout_mask_count == 4
        layer.cell._dropout_mask = [lib.ops.convert_to_tensor(m) for m in input_masks]
        layer.cell._recurrent_dropout_mask = [lib.ops.convert_to_tensor(m)
                                              for m in recurrent_masks]
        output = layer(x, training=True)
        outputs.append(np.asarray(getattr(output, "data", output)))
    theirs, ours = outputs
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
