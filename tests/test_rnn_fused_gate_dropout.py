"""The fused LSTM and GRU ops with one dropout mask per gate (input and recurrent).

With ``recurrent_dropout`` the cells draw one mask per gate, as Keras 3 does (see
test_rnn_gate_dropout.py, which checks the cell's step against Keras). The layers still run
the whole sequence as one fused op; here that op is checked against the plain loop over the
cell (values and gradients), against finite differences, and (the whole layer with fixed
masks) against Keras 3.
"""

import numpy as np
import pytest

import kerlite
from kerlite import layers, ops
from kerlite.autodiff import GradientTape, Tensor
from kerlite.ops import recurrent
from kerlite.testing import check_grad
from _keras_reference import import_keras

BATCH, STEPS, FEATURES, UNITS = 3, 5, 2, 4
PADDING = np.ones((BATCH, STEPS), dtype=bool)
PADDING[1, 3:] = False
PADDING[2, 1:] = False


def gate_masks(gates, width, seed, rate=0.4):
    rng = np.random.default_rng(seed)
    return ((rng.random((gates, BATCH, width)) >= rate) / (1 - rate)).astype("float32")


LAYERS = {
    "lstm": lambda **kw: layers.LSTM(UNITS, **kw),
    "gru": lambda **kw: layers.GRU(UNITS, **kw),
    "gru_reset_before": lambda **kw: layers.GRU(UNITS, reset_after=False, **kw),
}


def fixed_mask_layer(name, **options):
    """A layer whose cell always gets the same per-gate masks (so both paths see one
    function), with random weights (not the zero bias) so every term counts."""
    layer = LAYERS[name](dropout=0.3, recurrent_dropout=0.3, **options)
    layer.build((BATCH, STEPS, FEATURES))
    rng = np.random.default_rng(2)
    for weight in layer.trainable_weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32") * 0.5)
    gates = layer.cell.dropout_mask_count
    input_masks = [Tensor(m) for m in gate_masks(gates, FEATURES, 3)]
    recurrent_masks = [Tensor(m) for m in gate_masks(gates, UNITS, 4)]
    layer.cell._new_mask = lambda like, rate: (
        input_masks if like.shape[-1] == FEATURES else recurrent_masks)
    return layer


def value_and_grads(layer, x, mask, fused):
    """Outputs and gradients (input and weights) of a training call, through the fused op
    or, with ``fused=False``, through the RNN's loop over ``cell.call``."""
    if not fused:
        layer.cell.run_sequence = lambda *args, **kwargs: None
    inputs = Tensor(x.copy())
    with GradientTape() as tape:
        tape.watch(inputs)
        outputs = layer(inputs, mask=mask, training=True)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        cotangents = np.random.default_rng(8)
        total = sum(ops.sum(o * cotangents.normal(size=o.shape).astype("float32"))
                    for o in outputs)
    grads = tape.gradient(total, [inputs] + layer.trainable_weights)
    if not fused:
        del layer.cell.run_sequence
    return [o.numpy() for o in outputs], [g.numpy() for g in grads]


@pytest.mark.parametrize("return_sequences, return_state", [(True, True), (False, False)])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("padded", [False, True])
@pytest.mark.parametrize("name", LAYERS)
def test_fused_op_with_per_gate_masks_equals_the_cell_loop(name, padded, go_backwards,
                                                            return_sequences, return_state):
    layer = fixed_mask_layer(name, go_backwards=go_backwards,
                             return_sequences=return_sequences, return_state=return_state)
    x = np.random.default_rng(9).normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    mask = PADDING if padded else None
    fast_outputs, fast_grads = value_and_grads(layer, x, mask, fused=True)
    plain_outputs, plain_grads = value_and_grads(layer, x, mask, fused=False)
    for a, b in zip(fast_outputs, plain_outputs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    names = ["inputs"] + [w.name for w in layer.trainable_weights]
    for weight_name, a, b in zip(names, fast_grads, plain_grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=weight_name)


@pytest.mark.parametrize("name", LAYERS)
def test_training_with_dropout_runs_one_fused_op_not_the_cell(name):
    layer = fixed_mask_layer(name, return_sequences=True)
    x = np.ones((BATCH, STEPS, FEATURES), "float32")

    def no_step(*args, **kwargs):
        raise AssertionError("the cell's step ran: the fused op was not used")

    layer.cell.call = no_step
    layer(x, training=True)


# --- the ops alone, against finite differences (float64) ------------------------------
def op_data(gates, bias_shape=None):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(BATCH, STEPS, FEATURES))
    h0 = rng.normal(size=(BATCH, UNITS)) * 0.5
    W = rng.normal(size=(FEATURES, gates * UNITS)) * 0.5
    U = rng.normal(size=(UNITS, gates * UNITS)) * 0.5
    b = rng.normal(size=bias_shape or (gates * UNITS,)) * 0.5
    return x, h0, W, U, b


def op_masks(gates):
    return {"input_dropout_mask": gate_masks(gates, FEATURES, 5).astype("float64"),
            "recurrent_dropout_mask": gate_masks(gates, UNITS, 6).astype("float64")}


@pytest.mark.parametrize("options", [{}, {"mask": PADDING, "go_backwards": True}])
def test_lstm_op_gradients_with_per_gate_masks(options):
    x, h0, W, U, b = op_data(4)
    c0 = h0[::-1].copy() * 0.3
    check_grad(lambda *a: recurrent.lstm(*a, **op_masks(4), **options),
               x, h0, c0, W, U, b, atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("options", [{}, {"mask": PADDING, "go_backwards": True}])
def test_gru_op_gradients_with_per_gate_masks(reset_after, options):
    x, h0, W, U, b = op_data(3, (2, 3 * UNITS) if reset_after else None)
    check_grad(lambda *a: recurrent.gru(*a, reset_after=reset_after, **op_masks(3), **options),
               x, h0, W, U, b, atol=1e-7, rtol=1e-5)


def test_equal_per_gate_masks_give_the_one_mask_result():
    x, h0, W, U, b = op_data(4)
    one = op_masks(4)
    one = {key: value[0] for key, value in one.items()}
    same_for_all = {key: np.stack([value] * 4) for key, value in one.items()}
    single = recurrent.lstm(x, h0, h0, W, U, b, **one)[0].numpy()
    stacked = recurrent.lstm(x, h0, h0, W, U, b, **same_for_all)[0].numpy()
    np.testing.assert_allclose(stacked, single, rtol=1e-12)


def test_a_mask_of_the_wrong_shape_is_a_clear_error():
    x, h0, W, U, b = op_data(3, (2, 3 * UNITS))
    with pytest.raises(ValueError, match=r"recurrent_dropout_mask.*\(3, 3, 4\)"):
        recurrent.gru(x, h0, W, U, b, recurrent_dropout_mask=np.ones((4, BATCH, UNITS)))
    with pytest.raises(ValueError, match="input_dropout_mask"):
        recurrent.gru(x, h0, W, U, b, input_dropout_mask=np.ones((BATCH, UNITS)))


@pytest.mark.parity
@pytest.mark.parametrize("name", LAYERS)
def test_layer_with_per_gate_masks_gives_keras_numbers(name):
    """The whole layer (the fused op in kerlite) against Keras 3 with the same masks."""
    keras = import_keras()
    rng = np.random.default_rng(11)
    x = rng.normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    gates = 4 if name == "lstm" else 3
    input_masks, recurrent_masks = gate_masks(gates, FEATURES, 12), gate_masks(gates, UNITS, 13)
    options = {"reset_after": False} if name == "gru_reset_before" else {}
    outputs = []
    for lib in (keras, kerlite):  # Keras first: its weight shapes give the random weights
        layer_class = lib.layers.LSTM if name == "lstm" else lib.layers.GRU
        layer = layer_class(UNITS, dropout=0.4, recurrent_dropout=0.4, return_sequences=True,
                            go_backwards=True, **options)
        layer.build(x.shape)
        if lib is keras:
            weights = [rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.weights]
        layer.set_weights(weights)
        layer.cell._dropout_mask = [lib.ops.convert_to_tensor(m) for m in input_masks]
        layer.cell._recurrent_dropout_mask = [lib.ops.convert_to_tensor(m)
                                              for m in recurrent_masks]
        output = layer(x, mask=PADDING, training=True)
        outputs.append(np.asarray(getattr(output, "data", output)))
    theirs, ours = outputs
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
