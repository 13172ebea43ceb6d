"""The fused recurrent ops: forward against a plain step-by-step NumPy reference, and
backward against central finite differences (float64, small sizes)."""

import numpy as np
import pytest

import kerlite
from kerlite.ops import recurrent
from kerlite.testing import check_grad


def check_op_grads(run, arrays):
    check_grad(run, *arrays, atol=1e-7, rtol=1e-5)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def reference_loop(step, x, states, mask=None, go_backwards=False):
    """The Keras loop: skip masked steps (keep the state), outputs in processing order."""
    order = range(x.shape[1])[::-1] if go_backwards else range(x.shape[1])
    outputs = []
    for t in order:
        new_states = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            new_states = [np.where(m, n, s) for n, s in zip(new_states, states)]
        states = new_states
        outputs.append(states[0])
    return np.stack(outputs, axis=1), states


def lstm_step(W, U, b):
    def step(x, states):
        h, c = states
        z = x @ W + h @ U + b
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        return [sigmoid(o) * np.tanh(c), c]
    return step


def gru_step(W, U, b, reset_after):
    u = U.shape[0]

    def step(x, states):
        (h,) = states
        if reset_after:
            xz, hz = x @ W + b[0], h @ U + b[1]
            z = sigmoid(xz[:, :u] + hz[:, :u])
            r = sigmoid(xz[:, u:2 * u] + hz[:, u:2 * u])
            hh = np.tanh(xz[:, 2 * u:] + r * hz[:, 2 * u:])
        else:
            xz = x @ W + b
            z = sigmoid(xz[:, :u] + h @ U[:, :u])
            r = sigmoid(xz[:, u:2 * u] + h @ U[:, u:2 * u])
            hh = np.tanh(xz[:, 2 * u:] + (r * h) @ U[:, 2 * u:])
        return [z * h + (1 - z) * hh]
    return step


def rnn_step(W, U, b):
    return lambda x, states: [np.tanh(x @ W + b + states[0] @ U)]


B, T, D, U_ = 3, 5, 4, 3
MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 1]], dtype=bool)


def data(gates, bias_shape=None, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(B, T, D))
    h0 = rng.normal(size=(B, U_)) * 0.5
    W = rng.normal(size=(D, gates * U_)) * 0.5
    U = rng.normal(size=(U_, gates * U_)) * 0.5
    b = rng.normal(size=bias_shape or (gates * U_,)) * 0.5
    return x, h0, W, U, b


@pytest.mark.parametrize("mask", [None, MASK])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_forward_matches_reference(mask, go_backwards):
    x, h0, W, U, b = data(4)
    c0 = h0[::-1].copy()
    outs, h, c = recurrent.lstm(x, h0, c0, W, U, b, mask=mask, go_backwards=go_backwards)
    ref_out, (ref_h, ref_c) = reference_loop(lstm_step(W, U, b), x, [h0, c0], mask,
                                             go_backwards)
    np.testing.assert_allclose(outs.numpy(), ref_out, rtol=1e-10)
    np.testing.assert_allclose(h.numpy(), ref_h, rtol=1e-10)
    np.testing.assert_allclose(c.numpy(), ref_c, rtol=1e-10)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("mask", [None, MASK])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_forward_matches_reference(reset_after, mask, go_backwards):
    x, h0, W, U, b = data(3, (2, 3 * U_) if reset_after else None)
    outs, h = recurrent.gru(x, h0, W, U, b, mask=mask, go_backwards=go_backwards,
                            reset_after=reset_after)
    ref_out, (ref_h,) = reference_loop(gru_step(W, U, b, reset_after), x, [h0], mask,
                                       go_backwards)
    np.testing.assert_allclose(outs.numpy(), ref_out, rtol=1e-10)
    np.testing.assert_allclose(h.numpy(), ref_h, rtol=1e-10)


@pytest.mark.parametrize("mask", [None, MASK])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_simple_rnn_forward_matches_reference(mask, go_backwards):
    x, h0, W, U, b = data(1)
    outs, h = recurrent.simple_rnn(x, h0, W, U, b, mask=mask, go_backwards=go_backwards)
    ref_out, (ref_h,) = reference_loop(rnn_step(W, U, b), x, [h0], mask, go_backwards)
    np.testing.assert_allclose(outs.numpy(), ref_out, rtol=1e-10)
    np.testing.assert_allclose(h.numpy(), ref_h, rtol=1e-10)


DROP = (np.random.default_rng(7).random((B, U_)) > 0.3) / 0.7


@pytest.mark.parametrize("options", [
    {}, {"mask": MASK}, {"go_backwards": True, "mask": MASK},
    {"recurrent_dropout_mask": DROP},
    {"activation": "relu", "recurrent_activation": "hard_sigmoid"},
])
def test_lstm_gradients(options):
    x, h0, W, U, b = data(4)
    c0 = h0[::-1].copy() * 0.3
    check_op_grads(lambda *a: recurrent.lstm(*a, **options), [x, h0, c0, W, U, b])


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("options", [
    {}, {"mask": MASK, "go_backwards": True}, {"recurrent_dropout_mask": DROP},
    {"activation": "softsign", "recurrent_activation": "hard_sigmoid"},
])
def test_gru_gradients(reset_after, options):
    x, h0, W, U, b = data(3, (2, 3 * U_) if reset_after else None)
    check_op_grads(lambda *a: recurrent.gru(*a, reset_after=reset_after, **options),
                   [x, h0, W, U, b])


@pytest.mark.parametrize("options", [
    {}, {"mask": MASK}, {"go_backwards": True}, {"recurrent_dropout_mask": DROP},
    {"activation": "elu"}, {"activation": "selu"}, {"activation": "softplus"},
    {"activation": "sigmoid"}, {"activation": "linear"},
])
def test_simple_rnn_gradients(options):
    x, h0, W, U, b = data(1)
    check_op_grads(lambda *a: recurrent.simple_rnn(*a, **options), [x, h0, W, U, b])


def test_without_bias_and_only_last_state():
    x, h0, W, U, _ = data(4)
    check_op_grads(lambda x, h0, c0, W, U: [recurrent.lstm(x, h0, c0, W, U)[1]],
                   [x, h0, h0 * 0.5, W, U])


def test_float32_stays_float32():
    x, h0, W, U, b = (a.astype("float32") for a in data(4))
    outs, h, c = recurrent.lstm(x, h0, h0, W, U, b)
    assert outs.dtype == h.dtype == c.dtype == "float32"
    assert outs.shape == (B, T, U_)


def test_unknown_activation_and_bad_shapes_explain():
    x, h0, W, U, b = data(1)
    with pytest.raises(ValueError, match="activations"):
        recurrent.simple_rnn(x, h0, W, U, b, activation="gelu")
    with pytest.raises(ValueError, match="features"):
        recurrent.simple_rnn(x[:, :, :2], h0, W, U, b)
    with pytest.raises(ValueError, match="batch, timesteps, features"):
        recurrent.simple_rnn(x[0], h0, W, U, b)


def test_runs_on_the_active_backend(xp):
    """NumPy always; CuPy where a GPU is usable: same numbers and gradients."""
    from kerlite import backend

    x, h0, W, U, b = (a.astype("float32") for a in data(3, (2, 3 * U_)))
    expected = reference_loop(gru_step(W, U, b, True), x, [h0], MASK)  # plain NumPy
    expected = [expected[0], expected[1][0]]
    tensors = [kerlite.Variable(backend.convert_to_array(a)) for a in (x, h0, W, U, b)]
    with kerlite.GradientTape() as tape:
        outs, last = recurrent.gru(*tensors, mask=backend.convert_to_array(MASK))
        loss = kerlite.ops.sum(outs) + kerlite.ops.sum(last)
    grads = tape.gradient(loss, tensors)
    assert isinstance(outs.data, xp.ndarray)
    np.testing.assert_allclose(backend.to_numpy(outs.data), expected[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(last.data), expected[1], rtol=1e-5, atol=1e-6)
    assert all(g is not None and np.isfinite(backend.to_numpy(g.data)).all() for g in grads)


@pytest.mark.parametrize("activations", [{}, {"activation": "relu",
                                              "recurrent_activation": "hard_sigmoid"}])
@pytest.mark.parametrize("options", [{}, {"mask": MASK, "go_backwards": True}])
def test_lstm_inference_equals_recorded_forward(activations, options):
    """Without a tape the op reuses one gate and carry buffer; with one it keeps every
    step for the backward pass. Both compute the same outputs and states."""
    x, h0, W, U, b = data(4)
    c0 = h0[::-1].copy()
    kernel = kerlite.Variable(W)
    plain = recurrent.lstm(x, h0, c0, kernel, U, b, **activations, **options)
    with kerlite.GradientTape():
        recorded = recurrent.lstm(x, h0, c0, kernel, U, b, **activations, **options)
    assert recorded[0]._backward is not None and plain[0]._backward is None
    for a, b_ in zip(plain, recorded):
        np.testing.assert_array_equal(a.numpy(), b_.numpy())


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("options", [{}, {"mask": MASK, "go_backwards": True},
                                     {"activation": "relu",
                                      "recurrent_activation": "hard_sigmoid"}])
def test_gru_inference_equals_recorded_forward(reset_after, options):
    x, h0, W, U, b = data(3, (2, 3 * U_) if reset_after else None)
    kernel = kerlite.Variable(W)
    plain = recurrent.gru(x, h0, kernel, U, b, reset_after=reset_after, **options)
    with kerlite.GradientTape():
        recorded = recurrent.gru(x, h0, kernel, U, b, reset_after=reset_after, **options)
    assert recorded[0]._backward is not None and plain[0]._backward is None
    for a, b_ in zip(plain, recorded):
        np.testing.assert_array_equal(a.numpy(), b_.numpy())
