"""Every fast path gives the numbers of the plain code it stands for.

kerlite keeps a few speed-ups in the main path; each is checked here against the plain
version a reader would write:

- kerlite's optimizers run ``_fused_update_step`` (in place, few passes) instead of the
  plain ``update_step`` written with ops (fast paths switched off), and update small
  variables as one flat buffer (``flat_group.py``) unless
  ``Optimizer.group_small_variables = False``;
- ``Dense`` with relu/sigmoid/tanh/linear is one fused op (``fused_dense.py``); plain:
  ``activation(ops.matmul(x, W) + b)``, values and gradients;
- the sparse cross-entropy along the last axis never builds a one-hot matrix; plain:
  log-sum-exp minus the picked logit (or ``-log p[label]``) written with ops;
- Conv layers run conv + bias (+ relu) as one op; plain: ``relu(conv(x, W) + b)``;
- LSTM, GRU and SimpleRNN run the whole sequence as one op (``run_sequence``); plain: the
  RNN's loop calling the cell once per step, written with ops;
- Batch/Layer/GroupNormalization share one op (``standardize``); plain: mean, variance,
  ``(x - mean) / sqrt(var + eps) * gamma + beta`` with ops;
- the elementwise losses (MSE, MAE, Huber, ...) are one op each (``elementwise_loss``);
  plain: their formula written with ops.
"""

import numpy as np
import pytest

import kerlite as keras
from kerlite import GradientTape, activations, layers, ops, optimizers
from kerlite.autodiff import Tensor
from kerlite.autodiff.variable import Variable
from kerlite.common.fast_paths import fast_paths
from kerlite.layers.core.fused_dense import FUSED_ACTIVATIONS
from kerlite.layers.core.fused_dense import dense as fused_dense
from kerlite.ops.crossentropy import sparse_categorical_crossentropy
from kerlite.optimizers.flat_group import SMALL


# --- optimizers: flat group == one variable at a time ----------------------------------
def all_optimizers():
    return [
        ("sgd", lambda: optimizers.SGD(0.1)),
        ("sgd_nesterov", lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True)),
        ("rmsprop_centered_momentum",
         lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True)),
        ("rmsprop", lambda: optimizers.RMSprop(0.01)),
        ("adam", lambda: optimizers.Adam(0.01)),
        ("adam_amsgrad", lambda: optimizers.Adam(0.01, amsgrad=True)),
        ("adamw", lambda: optimizers.AdamW(0.01, weight_decay=0.1)),
        ("adamax", lambda: optimizers.Adamax(0.01)),
        ("nadam", lambda: optimizers.Nadam(0.01)),
        ("adagrad", lambda: optimizers.Adagrad(0.1)),
        ("adadelta", lambda: optimizers.Adadelta(1.0)),
        ("ftrl", lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.01,
                                         l2_shrinkage_regularization_strength=0.01)),
        ("lion", lambda: optimizers.Lion(0.01)),
        ("lamb", lambda: optimizers.Lamb(0.01)),
        ("adafactor", lambda: optimizers.Adafactor(0.01)),
        ("sgd_clip_decay", lambda: optimizers.SGD(0.1, momentum=0.9, weight_decay=0.01,
                                                  global_clipnorm=1.0)),
        ("adam_clipnorm", lambda: optimizers.Adam(0.01, clipnorm=0.5)),
        ("nadam_ema_accumulate", lambda: optimizers.Nadam(
            0.01, use_ema=True, ema_overwrite_frequency=2, gradient_accumulation_steps=2)),
    ]


OPTIMIZERS = all_optimizers()
# Lamb and Adafactor need each variable whole (norms, row/column means): never grouped.
NEVER_GROUPED = {"lamb", "adafactor"}
SHAPES = [(), (3,), (4, 5), (2, 3, 4), (7,), (SMALL + 10,)]


def run_steps(make_optimizer, grouped, shapes=SHAPES, steps=4, dtype="float32",
              grads_missing_at=None):
    """Run ``steps`` updates; returns (weights after each step, optimizer state, optimizer).

    ``grads_missing_at``: (step, variable index) where the gradient is None, so that
    step falls back from the flat group to one variable at a time."""
    rng = np.random.default_rng(0)
    variables = [Variable(rng.normal(size=shape), dtype=dtype, name=f"w{i}")
                 for i, shape in enumerate(shapes)]
    optimizer = make_optimizer()
    optimizer.group_small_variables = grouped
    history = []
    for step in range(steps):
        grads = [rng.normal(size=shape).astype(dtype) for shape in shapes]
        if grads_missing_at and grads_missing_at[0] == step:
            grads[grads_missing_at[1]] = None
        with np.errstate(all="raise"):
            if grads_missing_at:
                with pytest.warns(UserWarning, match="Gradients do not exist") \
                        if grads_missing_at[0] == step else _nothing():
                    optimizer.apply(grads, variables)
            else:
                optimizer.apply(grads, variables)
        history.append([np.array(v.data) for v in variables])
    state = [np.array(v.data) for v in optimizer.variables]
    return history, state, optimizer


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def assert_same(a_list, b_list, rtol):
    for index, (a, b) in enumerate(zip(a_list, b_list)):
        assert a.dtype == b.dtype and a.shape == b.shape, index
        if rtol == 0:
            np.testing.assert_array_equal(a, b, err_msg=f"array {index}")
        else:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol, err_msg=f"array {index}")


@pytest.mark.parametrize("make", [m for _, m in OPTIMIZERS], ids=[n for n, _ in OPTIMIZERS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_flat_group_equals_per_variable_updates(make, dtype, request):
    name = request.node.callspec.id.split("-")[-1]
    shapes = SHAPES if dtype == "float32" else SHAPES[:-1]  # one large one is enough
    fast, fast_state, fast_optimizer = run_steps(make, True, shapes, dtype=dtype)
    plain, plain_state, plain_optimizer = run_steps(make, False, shapes, dtype=dtype)
    # the fast path really ran (else this test would compare the plain path with itself)
    assert bool(fast_optimizer._groups) == (name not in NEVER_GROUPED)
    assert not plain_optimizer._groups
    if fast_optimizer._groups:  # a large variable stays on its own
        grouped_sizes = sum(v.data.size for g in fast_optimizer._groups for v in g.members)
        assert grouped_sizes == sum(int(np.prod(s)) for s in SHAPES[:-1])
    for step_fast, step_plain in zip(fast, plain):
        assert_same(step_fast, step_plain, rtol=0)
    assert_same(fast_state, plain_state, rtol=0)


@pytest.mark.parametrize("make", [m for _, m in OPTIMIZERS], ids=[n for n, _ in OPTIMIZERS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fused_rule_equals_plain_update_step(make, dtype):
    """The default fast path (fused rule, flat groups) against ``update_step`` written
    with ops, over several steps (weight decay, clipping, EMA and gradient accumulation
    in the cases that set them)."""
    shapes = SHAPES if dtype == "float32" else SHAPES[:-1]
    fast, fast_state, fast_optimizer = run_steps(make, True, shapes, steps=5, dtype=dtype)
    with fast_paths(False):
        plain, plain_state, plain_optimizer = run_steps(make, True, shapes, steps=5,
                                                        dtype=dtype)
    assert fast_optimizer._uses_fast_path() and not plain_optimizer._groups
    rtol = 2e-5 if dtype == "float32" else 1e-12
    for step_fast, step_plain in zip(fast, plain):
        assert_same(step_fast, step_plain, rtol=rtol)
    assert_same(fast_state, plain_state, rtol=rtol)


def test_the_fused_rule_is_used_only_where_its_class_declares_it():
    """No module-name switch: a class of any module gets the fused rule if it declares
    it next to its update_step (or inherits both); one that overrides only update_step
    runs its own formula on every variable whole, never its parent's fused rule."""
    calls = []

    class OwnFormula(optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            calls.append(variable.shape)
            variable.assign_sub(gradient * (2 * learning_rate))

    class OnlyNewDefaults(optimizers.Adam):
        def __init__(self, **kwargs):
            super().__init__(learning_rate=0.5, **kwargs)

    class DeclaresBoth(OwnFormula):
        def update_step(self, gradient, variable, learning_rate):
            variable.assign_sub(gradient * learning_rate)

        def _fused_update_step(self, gradient, variable, learning_rate):
            variable.data -= gradient * variable.data.dtype.type(learning_rate)

    assert not OwnFormula._declares_fused_rule()
    assert OnlyNewDefaults._declares_fused_rule() and DeclaresBoth._declares_fused_rule()
    assert optimizers.AdamW._declares_fused_rule()
    assert not optimizers.Optimizer._declares_fused_rule()
    variables = [Variable(np.ones(3), name="a"), Variable(np.ones((2, 2)), name="b")]
    grads = [np.ones(3), np.ones((2, 2))]
    own = OwnFormula(learning_rate=0.1)
    own.apply(grads, variables)
    assert calls == [(3,), (2, 2)] and not own._groups
    np.testing.assert_allclose(variables[0].numpy(), 0.8)
    both = DeclaresBoth(learning_rate=0.1)
    both.apply(grads, variables)
    assert both._groups and calls == [(3,), (2, 2)]  # grouped, fused: no plain call
    np.testing.assert_allclose(variables[1].numpy(), 0.7)


@pytest.mark.parametrize("make", [m for n, m in OPTIMIZERS if n not in NEVER_GROUPED],
                         ids=[n for n, _ in OPTIMIZERS if n not in NEVER_GROUPED])
def test_flat_group_step_with_a_missing_gradient(make):
    """A step where one grouped variable has no gradient updates the others one by one
    (through the same slot views): still the numbers of the plain path."""
    shapes = [(3,), (4, 5), (2,)]
    fast, fast_state, _ = run_steps(make, True, shapes, grads_missing_at=(1, 1))
    plain, plain_state, _ = run_steps(make, False, shapes, grads_missing_at=(1, 1))
    for step_fast, step_plain in zip(fast, plain):
        assert_same(step_fast, step_plain, rtol=0)
    assert_same(fast_state, plain_state, rtol=0)
    np.testing.assert_array_equal(fast[1][1], fast[0][1])  # no gradient: unchanged


def test_flat_group_keeps_variables_writable_through_assign():
    """After grouping, ``assign`` (set_weights, load_weights) still reaches the buffer the
    optimizer updates, and reading a variable shows what the optimizer wrote."""
    results = []
    for grouped in (True, False):
        variables = [Variable(np.ones(3), name="a"), Variable(np.ones((2, 2)), name="b")]
        optimizer = optimizers.Adam(0.1)
        optimizer.group_small_variables = grouped
        optimizer.apply([np.ones(3), np.ones((2, 2))], variables)
        variables[0].assign(np.full(3, 5.0))
        variables[1].assign_sub(np.full((2, 2), 0.5))
        optimizer.apply([np.full(3, -1.0), np.full((2, 2), 2.0)], variables)
        results.append([np.array(v.data) for v in variables])
    assert_same(results[0], results[1], rtol=0)
    assert results[0][0][0] != 5.0


def test_flat_group_mixed_dtypes_and_constraints():
    shapes_dtypes = [((3,), "float32"), ((2, 2), "float64"), ((4,), "float32"),
                     ((5,), "float64")]
    results = []
    for grouped in (True, False):
        rng = np.random.default_rng(1)
        variables = [Variable(rng.normal(size=s), dtype=d) for s, d in shapes_dtypes]
        variables[2].constraint = lambda v: ops.clip(v, -0.3, 0.3)
        optimizer = optimizers.SGD(0.5, momentum=0.9, weight_decay=0.1)
        optimizer.group_small_variables = grouped
        for _ in range(3):
            optimizer.apply([rng.normal(size=s).astype(d) for s, d in shapes_dtypes],
                            variables)
        if grouped:
            assert len(optimizer._groups) == 2  # one flat buffer per dtype
        results.append([np.array(v.data) for v in variables])
    assert_same(results[0], results[1], rtol=0)
    assert np.abs(results[0][2]).max() <= 0.3


def test_training_a_model_with_and_without_the_flat_group():
    """fit() with the default fast path and with it switched off on ``Optimizer``."""
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(64, 6)), rng.integers(0, 3, size=64)
    weights = []
    for grouped in (True, False):
        keras.utils.set_random_seed(7)
        model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, "relu"),
                                  layers.Dense(3)])
        previous = optimizers.Optimizer.group_small_variables
        optimizers.Optimizer.group_small_variables = grouped
        try:
            model.compile(optimizer=optimizers.Adam(0.01),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
            assert bool(model.optimizer._groups) == grouped
        finally:
            optimizers.Optimizer.group_small_variables = previous
        weights.append(model.get_weights())
    assert_same(weights[0], weights[1], rtol=0)


# --- Dense: fused op == matmul, bias, activation ---------------------------------------
def value_and_grads(fn, *arrays, seed=0):
    """fn(*tensors) and the gradients of sum(fn * r) (a fixed random cotangent r)."""
    tensors = [Tensor(np.array(a)) for a in arrays]
    with GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = fn(*tensors)
        cotangent = np.random.default_rng(seed).normal(size=out.shape).astype(out.dtype)
        total = ops.sum(out * cotangent)
    grads = tape.gradient(total, tensors)
    return out.numpy(), [None if g is None else np.array(g.numpy()) for g in grads]


FUSED_DENSE = ["linear", "relu", "sigmoid", "tanh"]


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("input_shape", [(5, 4), (2, 3, 4)])
@pytest.mark.parametrize("activation", FUSED_DENSE)
def test_fused_dense_equals_plain(activation, input_shape, use_bias):
    rng = np.random.default_rng(3)
    x = rng.normal(size=input_shape).astype("float32") * 2
    layer = layers.Dense(6, activation=activation, use_bias=use_bias)
    layer.build(input_shape)
    assert FUSED_ACTIVATIONS[layer.activation] == activation  # the fused op is under test
    kernel = layer.kernel.numpy()
    bias = rng.normal(size=6).astype("float32")
    if use_bias:
        layer.bias.assign(bias)
    plain_activation = activations.get(activation)

    def fused(x, w, b):
        return fused_dense(x, w, b if use_bias else None, activation)

    def plain(x, w, b):
        z = ops.matmul(x, w)
        if use_bias:
            z = z + b
        return plain_activation(z)

    fused_out, fused_grads = value_and_grads(fused, x, kernel, bias)
    plain_out, plain_grads = value_and_grads(plain, x, kernel, bias)
    np.testing.assert_allclose(fused_out, plain_out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(layer(x).numpy(), plain_out, rtol=1e-6, atol=1e-6)
    with fast_paths(False):  # Dense.call's own plain lines
        np.testing.assert_allclose(layer(x).numpy(), plain_out, rtol=1e-6, atol=1e-6)
    for name, a, b in zip(("x", "kernel", "bias"), fused_grads, plain_grads):
        if name == "bias" and not use_bias:
            continue
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, err_msg=name)


def test_dense_layer_gradients_equal_plain_formula():
    """Through the layer itself (its call, its variables), in a training-like tape."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(8, 5)).astype("float32")
    for activation in FUSED_DENSE:
        layer = layers.Dense(3, activation=activation)
        layer.build((8, 5))
        layer.bias.assign(rng.normal(size=3).astype("float32"))
        with GradientTape() as tape:
            fast = layer(x)
            fast_total = ops.sum(fast * fast)
        fast_grads = tape.gradient(fast_total, [layer.kernel, layer.bias])
        with GradientTape() as tape:
            plain = activations.get(activation)(ops.matmul(x, layer.kernel) + layer.bias)
            plain_total = ops.sum(plain * plain)
        plain_grads = tape.gradient(plain_total, [layer.kernel, layer.bias])
        np.testing.assert_allclose(fast.numpy(), plain.numpy(), rtol=1e-6, atol=1e-6)
        for a, b in zip(fast_grads, plain_grads):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-5,
                                       err_msg=activation)


def test_dense_with_own_activation_is_not_fused_and_still_right():
    def my_relu(x):  # a user's function named like a fused one is not trusted
        return ops.relu(x) * 2.0

    my_relu.__name__ = "relu"
    layer = layers.Dense(3, activation=my_relu)
    x = np.random.default_rng(5).normal(size=(4, 2)).astype("float32")
    layer.build((4, 2))
    assert layer.activation not in FUSED_ACTIVATIONS
    expected = 2 * np.maximum(x @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)
    with fast_paths(False):
        np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)


DENSE_ACTIVATIONS = FUSED_DENSE + ["softmax", "gelu", "elu", None]


@pytest.mark.parametrize("activation", DENSE_ACTIVATIONS)
def test_dense_call_fast_path_equals_plain_call(activation):
    """``Dense.call`` with the fast paths on and switched off: the same values and the
    same gradients (input, kernel, bias) for every activation, fused or not."""
    rng = np.random.default_rng(12)
    x = rng.normal(size=(2, 3, 5)).astype("float32")
    layer = layers.Dense(4, activation=activation)
    layer.build(x.shape)
    layer.bias.assign(rng.normal(size=4).astype("float32"))
    results = []
    for enabled in (True, False):
        with fast_paths(enabled):
            inputs = Tensor(x.copy())
            with GradientTape() as tape:
                tape.watch(inputs)
                out = layer(inputs)
                total = ops.sum(out * np.linspace(-1, 1, out.size).reshape(out.shape))
            grads = tape.gradient(total, [inputs, layer.kernel, layer.bias])
        results.append([out.numpy()] + [g.numpy() for g in grads])
    for name, fast, plain in zip(("outputs", "inputs", "kernel", "bias"), *results):
        np.testing.assert_allclose(fast, plain, rtol=1e-5, atol=1e-6, err_msg=name)


def test_the_switch_is_visible_and_restored():
    assert keras.config.fast_paths_enabled()
    with keras.config.fast_paths(False):
        assert not keras.config.fast_paths_enabled()
    assert keras.config.fast_paths_enabled()
    keras.config.use_fast_paths(False)
    try:
        assert not keras.config.fast_paths_enabled()
    finally:
        keras.config.use_fast_paths(True)


# --- sparse cross-entropy: no one-hot == one-hot, written with ops ---------------------
def plain_sparse_crossentropy(labels, output, from_logits):
    onehot = np.eye(output.shape[-1], dtype=output.dtype)[labels]
    if from_logits:
        shifted = output - ops.max(output, axis=-1, keepdims=True)
        return ops.log(ops.sum(ops.exp(shifted), axis=-1)) - ops.sum(shifted * onehot, -1)
    p = output / ops.sum(output, axis=-1, keepdims=True)
    eps = keras.backend.epsilon()
    return -ops.log(ops.clip(ops.sum(p * onehot, axis=-1), eps, 1 - eps))


@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("shape", [(6, 5), (2, 3, 4)])
def test_sparse_crossentropy_fast_path_equals_plain(from_logits, shape):
    rng = np.random.default_rng(6)
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    if from_logits:
        output = rng.normal(size=shape).astype("float32") * 3
    else:
        output = rng.uniform(0.05, 1.0, size=shape).astype("float32")

    fast_out, (fast_grad,) = value_and_grads(
        lambda z: sparse_categorical_crossentropy(labels, z, from_logits=from_logits),
        output)
    plain_out, (plain_grad,) = value_and_grads(
        lambda z: plain_sparse_crossentropy(labels, z, from_logits), output)
    onehot = np.eye(shape[-1], dtype="float32")[labels]
    dense_out, (dense_grad, _) = value_and_grads(
        lambda z, t: ops.categorical_crossentropy(t, z, from_logits=from_logits),
        output, onehot)
    for out, grad in ((plain_out, plain_grad), (dense_out, dense_grad)):
        np.testing.assert_allclose(fast_out, out, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(fast_grad, grad, rtol=1e-5, atol=1e-6)


def test_sparse_crossentropy_clipped_probabilities_have_zero_gradient():
    """A probability below epsilon (or exactly 0) is clipped: loss -log(eps) and no
    gradient, as the plain clip gives (no 0/0 either)."""
    output = np.array([[0.0, 0.5, 0.5], [1e-9, 0.5, 0.5], [0.2, 0.3, 0.5]],
                      dtype="float32")
    labels = np.array([0, 0, 2])
    fast_out, (fast_grad,) = value_and_grads(
        lambda z: sparse_categorical_crossentropy(labels, z), output)
    plain_out, (plain_grad,) = value_and_grads(
        lambda z: plain_sparse_crossentropy(labels, z, False), output)
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-5)
    np.testing.assert_allclose(fast_grad, plain_grad, rtol=1e-5, atol=1e-6)
    assert np.all(fast_grad[:2] == 0)


# --- convolution: conv + bias + relu in one op == three ops ----------------------------
@pytest.mark.parametrize("activation", ["relu", None])
def test_fused_conv_equals_plain(activation):
    from kerlite.ops.convolution import fused_conv

    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 6, 6, 3)).astype("float32")
    kernel = rng.normal(size=(3, 3, 3, 4)).astype("float32")
    bias = rng.normal(size=4).astype("float32")

    def plain(x, w, b):
        z = ops.conv(x, w, padding="same") + b
        return ops.relu(z) if activation else z

    fast_out, fast_grads = value_and_grads(
        lambda x, w, b: fused_conv(x, w, b, activation, padding="same"), x, kernel, bias)
    plain_out, plain_grads = value_and_grads(plain, x, kernel, bias)
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-5, atol=1e-5)
    for name, a, b in zip(("x", "kernel", "bias"), fast_grads, plain_grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4, err_msg=name)


# --- recurrent layers: one fused op for the sequence == the loop over the cell ---------
RNNS = [
    ("lstm", lambda **kw: layers.LSTM(4, **kw)),
    ("lstm_relu", lambda **kw: layers.LSTM(4, activation="relu",
                                           recurrent_activation="hard_sigmoid", **kw)),
    ("gru", lambda **kw: layers.GRU(4, **kw)),
    ("gru_reset_before", lambda **kw: layers.GRU(4, reset_after=False, **kw)),
    ("simple_rnn", lambda **kw: layers.SimpleRNN(4, **kw)),
]


def rnn_value_and_grads(layer, x, mask, fused):
    """The layer's sequence output and gradients (input and every weight), taking the
    fused op or, with ``fused=False``, the RNN's loop over the cell."""
    if not fused:
        layer.cell.run_sequence = lambda *args, **kwargs: None  # the plain loop
    inputs = Tensor(x.copy())
    with GradientTape() as tape:
        tape.watch(inputs)
        outputs = layer(inputs, mask=mask)
        sequence, state = outputs[0], outputs[1:]
        cotangent = np.random.default_rng(8).normal(size=sequence.shape).astype("float32")
        total = ops.sum(sequence * cotangent) + sum(ops.sum(s * 0.5) for s in state)
    grads = tape.gradient(total, [inputs] + layer.trainable_weights)
    if not fused:
        del layer.cell.run_sequence
    return [o.numpy() for o in outputs], [g.numpy() for g in grads]


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("make", [m for _, m in RNNS], ids=[n for n, _ in RNNS])
def test_fused_recurrent_op_equals_cell_loop(make, masked, go_backwards):
    rng = np.random.default_rng(9)
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    mask = None
    if masked:
        mask = np.ones((3, 5), dtype=bool)
        mask[1, 3:] = False
        mask[2, 1:] = False
    layer = make(return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer.build(x.shape)
    for weight in layer.trainable_weights:  # not the zero bias: exercise every term
        weight.assign(rng.normal(size=weight.shape).astype("float32") * 0.5)
    assert layer.cell._fused_activation_names() is not None
    fast_outputs, fast_grads = rnn_value_and_grads(layer, x, mask, fused=True)
    plain_outputs, plain_grads = rnn_value_and_grads(layer, x, mask, fused=False)
    for a, b in zip(fast_outputs, plain_outputs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    names = ["inputs"] + [w.name for w in layer.trainable_weights]
    for name, a, b in zip(names, fast_grads, plain_grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=name)


# --- normalization: one op == mean, variance, scale and shift with ops -----------------
@pytest.mark.parametrize("axes, param_shape", [((0,), (1, 4)), ((1,), (3, 1)),
                                               ((0, 1), (1, 4)), ((1, 2), (1, 1, 5))],
                         ids=["batch_norm", "layer_norm_rows", "all_axes", "group_like"])
@pytest.mark.parametrize("affine", [True, False])
def test_standardize_equals_plain(axes, param_shape, affine):
    from kerlite.layers.normalization.standardize import standardize

    rng = np.random.default_rng(10)
    shape = (3, 4) if len(param_shape) == 2 else (2, 3, 5)
    x = rng.normal(size=shape).astype("float32") * 3 + 1
    gamma = rng.normal(size=param_shape).astype("float32")
    beta = rng.normal(size=param_shape).astype("float32")
    epsilon = 1e-3

    def fast(x, g, b):
        if not affine:
            g = b = None
        return standardize(x, axes, epsilon, g, b)[0]

    def plain(x, g, b):
        mean = ops.mean(x, axis=axes, keepdims=True)
        variance = ops.mean(ops.square(x - mean), axis=axes, keepdims=True)
        out = (x - mean) / ops.sqrt(variance + epsilon)
        return out * g + b if affine else out

    fast_out, fast_grads = value_and_grads(fast, x, gamma, beta)
    plain_out, plain_grads = value_and_grads(plain, x, gamma, beta)
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-5, atol=1e-5)
    names = ("x", "gamma", "beta") if affine else ("x",)
    for name, a, b in zip(names, fast_grads, plain_grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=name)


# --- elementwise losses: one op == the formula with ops --------------------------------
EPS = 1e-7
PLAIN_LOSSES = {
    "mean_squared_error": lambda t, p: ops.mean(ops.square(t - p), axis=-1),
    "mean_absolute_error": lambda t, p: ops.mean(ops.abs(t - p), axis=-1),
    "mean_absolute_percentage_error": lambda t, p: 100 * ops.mean(
        ops.abs(t - p) / ops.maximum(ops.abs(t), EPS), axis=-1),
    "mean_squared_logarithmic_error": lambda t, p: ops.mean(ops.square(
        ops.log1p(ops.maximum(p, EPS)) - ops.log1p(ops.maximum(t, EPS))), axis=-1),
    "huber": lambda t, p: ops.mean(ops.where(
        ops.abs(p - t) <= 1.0, 0.5 * ops.square(p - t), ops.abs(p - t) - 0.5), axis=-1),
    "log_cosh": lambda t, p: ops.mean(ops.log(ops.cosh(p - t)), axis=-1),
    "hinge": lambda t, p: ops.mean(ops.maximum(1 - (2 * t - 1) * p, 0), axis=-1),
    "squared_hinge": lambda t, p: ops.mean(
        ops.square(ops.maximum(1 - (2 * t - 1) * p, 0)), axis=-1),
    "kl_divergence": lambda t, p: ops.sum(
        ops.clip(t, EPS, 1) * ops.log(ops.clip(t, EPS, 1) / ops.clip(p, EPS, 1)), axis=-1),
    "poisson": lambda t, p: ops.mean(p - t * ops.log(p + EPS), axis=-1),
}
BINARY_TARGETS = {"hinge", "squared_hinge"}
PROBABILITIES = {"kl_divergence", "poisson", "mean_squared_logarithmic_error"}


@pytest.mark.parametrize("name", sorted(PLAIN_LOSSES))
def test_elementwise_loss_equals_plain(name):
    rng = np.random.default_rng(11)
    shape = (4, 6)
    if name in BINARY_TARGETS:
        y_true = rng.integers(0, 2, size=shape).astype("float32")
    elif name in PROBABILITIES:
        y_true = rng.uniform(0.05, 1, size=shape).astype("float32")
    else:
        y_true = rng.normal(size=shape).astype("float32")
    y_pred = (rng.uniform(0.05, 0.95, size=shape) if name in PROBABILITIES
              else rng.normal(size=shape) * 2).astype("float32")
    fast_loss = getattr(keras.losses, name)
    fast_out, (fast_grad,) = value_and_grads(lambda p: fast_loss(y_true, p), y_pred)
    plain_out, (plain_grad,) = value_and_grads(
        lambda p: PLAIN_LOSSES[name](y_true, p), y_pred)
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fast_grad, plain_grad, rtol=1e-4, atol=1e-6)


# --- the layers' own call, with the switch on and off ----------------------------------
def layer_value_and_grads(layer, x, enabled):
    with fast_paths(enabled):
        inputs = Tensor(x.copy())
        with GradientTape() as tape:
            tape.watch(inputs)
            out = layer(inputs)
            out = out[0] if isinstance(out, (list, tuple)) else out
            total = ops.sum(out * np.linspace(-1, 1, out.size).reshape(out.shape))
        grads = tape.gradient(total, [inputs] + layer.trainable_weights)
    return [out.numpy()] + [g.numpy() for g in grads]


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Conv2D(3, 3, activation="relu", padding="same"), (2, 5, 5, 2)),
    (lambda: layers.Conv2D(3, 2, activation="tanh", strides=2), (2, 6, 6, 2)),
    (lambda: layers.Conv2D(4, 3, data_format="channels_first"), (2, 2, 5, 5)),
    (lambda: layers.Conv1D(3, 2, activation="relu", padding="causal"), (2, 6, 2)),
    (lambda: layers.Conv2D(4, 3, groups=2, use_bias=False), (1, 5, 5, 4)),
    (lambda: layers.LSTM(3, return_sequences=True), (2, 4, 3)),
    (lambda: layers.GRU(3, return_state=True), (2, 4, 3)),
    (lambda: layers.SimpleRNN(3, go_backwards=True), (2, 4, 3)),
], ids=["conv_relu", "conv_tanh", "conv_channels_first", "conv1d_causal",
        "conv_groups", "lstm", "gru", "simple_rnn"])
def test_layer_call_fast_path_equals_plain_call(make, shape):
    rng = np.random.default_rng(13)
    x = rng.normal(size=shape).astype("float32")
    layer = make()
    layer.build(shape)
    for weight in layer.trainable_weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32") * 0.5)
    fast = layer_value_and_grads(layer, x, True)
    plain = layer_value_and_grads(layer, x, False)
    names = ["outputs", "inputs"] + [w.name for w in layer.trainable_weights]
    for name, a, b in zip(names, fast, plain):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=name)


def test_recurrent_layer_skips_its_fused_op_when_switched_off(monkeypatch):
    layer = layers.LSTM(2)
    layer.build((1, 3, 2))
    calls = []
    original = layer.cell.run_sequence
    monkeypatch.setattr(layer.cell, "run_sequence",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    x = np.ones((1, 3, 2), "float32")
    layer(x)
    with fast_paths(False):
        layer(x)
    assert calls == [1]
