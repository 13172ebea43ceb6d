"""Core, reshaping, regularization and merging layers: shapes, weights, gradients,
and the same numbers as Keras 3 on the same weights."""

import os

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers
from kerlite.autodiff import GradientTape, Tensor
from kerlite.layers.core.fused_dense import dense as fused_dense
from kerlite.testing import check_grad


def real_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return pytest.importorskip("keras")


def sample(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# --- Dense ---------------------------------------------------------------------------------
def test_dense_weights_order_shapes_and_names():
    dense = layers.Dense(3, name="fc")
    y = dense(keras.Input(shape=(5,)))
    assert y.shape == (None, 3)
    assert [(w.name, w.shape, w.path) for w in dense.weights] == [
        ("kernel", (5, 3), "fc/kernel"), ("bias", (3,), "fc/bias")]
    assert dense.count_params() == 18
    assert layers.Dense(4, use_bias=False)(keras.Input((2,))).shape == (None, 4)


def test_dense_acts_on_the_last_axis_of_rank_3_inputs():
    dense = layers.Dense(4, activation="tanh")
    x = sample(2, 5, 3)
    y = dense(x)
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(y.numpy(), np.tanh(x @ kernel + bias), rtol=1e-5, atol=1e-6)
    assert dense(keras.Input(shape=(7, 3))).shape == (None, 7, 4)


def test_dense_eager_call_on_float64_numpy_gives_float32_tensor():
    y = layers.Dense(2)(np.ones((3, 4)))
    assert isinstance(y, Tensor) and y.dtype == "float32"


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh"])
def test_fused_dense_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    check_grad(lambda x, w, b: fused_dense(x, w, b, activation), x, w, b)
    x3 = rng.normal(size=(2, 4, 3))
    check_grad(lambda x, w: fused_dense(x, w, None, activation), x3, w)


def test_dense_layer_gradients_reach_kernel_and_bias():
    dense = layers.Dense(2, activation="softmax", dtype="float64")
    x = np.random.default_rng(4).normal(size=(3, 4))
    dense.build((None, 4))
    with GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.square(dense(x)))
    grad_kernel, grad_bias = tape.gradient(loss, dense.trainable_weights)
    kernel, bias = dense.get_weights()

    def reference(kernel):
        z = x @ kernel + bias
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return ((e / e.sum(axis=1, keepdims=True)) ** 2).sum()

    numeric = np.zeros_like(kernel)
    for index in np.ndindex(*kernel.shape):
        step = np.zeros_like(kernel)
        step[index] = 1e-6
        numeric[index] = (reference(kernel + step) - reference(kernel - step)) / 2e-6
    np.testing.assert_allclose(grad_kernel.numpy(), numeric, rtol=1e-5, atol=1e-8)
    assert grad_bias.shape == (2,)


def test_freezing_and_trainable_weights():
    inputs = keras.Input(shape=(3,))
    first = layers.Dense(4)
    model = keras.Model(inputs, layers.Dense(2)(first(inputs)))
    assert len(model.trainable_weights) == 4 and model.non_trainable_weights == []
    first.trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    assert not first.kernel.trainable
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    model.trainable = True
    assert len(model.trainable_weights) == 4


def test_set_and_get_weights_are_numpy_copies():
    dense = layers.Dense(2)
    dense.build((None, 3))
    values = [np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, -1.0], "float32")]
    dense.set_weights(values)
    got = dense.get_weights()
    np.testing.assert_array_equal(got[0], values[0])
    got[0][0, 0] = 100.0
    assert dense.get_weights()[0][0, 0] == 0.0
    np.testing.assert_allclose(dense(np.ones((1, 3))).numpy(), [[7.0, 8.0]])


def test_regularizer_losses_follow_weights():
    dense = layers.Dense(2, kernel_regularizer=keras.regularizers.l2(0.1),
                         bias_regularizer="l1", activity_regularizer=keras.regularizers.L1(0.5),
                         kernel_initializer="ones", bias_initializer="ones")
    x = np.ones((4, 3), dtype="float32")
    y = dense(x)
    losses = [float(loss.numpy()) for loss in dense.losses]
    activity = 0.5 * np.abs(y.numpy()).sum() / 4
    np.testing.assert_allclose(sorted(losses), sorted([activity, 0.1 * 6, 0.01 * 2]), rtol=1e-6)
    dense(x)
    assert len(dense.losses) == 3  # the activity loss is replaced, not accumulated


def test_add_loss_in_a_custom_layer_inside_a_model():
    class Penalised(layers.Layer):
        def call(self, inputs):
            self.add_loss(keras.ops.sum(inputs))
            return inputs

    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, Penalised()(inputs))
    assert model.losses == []
    model(np.ones((3, 2)))
    assert [float(loss.numpy()) for loss in model.losses] == [6.0]


def test_a_dropped_layer_that_held_losses_is_forgotten():
    """Top-level calls walk their layers to clear ``add_loss`` values only while some
    layer holds losses; a layer deleted while holding them must not keep every later
    call walking (it did, as a count that never went down)."""
    import gc

    from kerlite.layers.call_context import CallContext

    class Penalised(layers.Layer):
        def call(self, inputs):
            self.add_loss(keras.ops.sum(inputs))
            return inputs

    before = set(CallContext.layers_with_losses)
    penalised = Penalised()
    penalised(np.ones((2, 2)))
    assert set(CallContext.layers_with_losses) - before == {penalised}
    penalised(np.ones((2, 2)))  # the next top-level call replaces the loss
    assert len(penalised.losses) == 1
    del penalised
    gc.collect()
    assert set(CallContext.layers_with_losses) <= before

    trial = Penalised()
    keras.Model(inp := keras.Input((2,)), trial(inp))  # a symbolic call adds no loss
    assert trial not in CallContext.layers_with_losses


def test_custom_layer_with_nested_sublayer_and_inferred_shape():
    class Block(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.inner = layers.Dense(units)
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

        def call(self, inputs):
            return keras.ops.multiply(self.inner(inputs), self.scale)

    block = Block(3)
    y = block(keras.Input(shape=(5, 4)))
    assert y.shape == (None, 5, 3)
    assert [w.name for w in block.weights] == ["scale", "kernel", "bias"]
    assert block.count_params() == 1 + 12 + 3
    assert block.get_config()["units"] == 3
    assert block.get_config()["name"] == "block"


def test_layer_naming_and_config_round_trip():
    assert [layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert layers.BatchNormalization().name == "batch_normalization"
    dense = layers.Dense(5, activation="relu", kernel_initializer="he_normal", name="d")
    config = dense.get_config()
    assert config["activation"] == "relu" and config["units"] == 5
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    clone = layers.Dense.from_config(config)
    assert clone.name == "d" and clone.activation is keras.activations.relu


def test_masks_propagate_through_masking_layers():
    class MakeMask(layers.Layer):
        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, mask=None):
            return keras.ops.not_equal(inputs[..., 0], 0)

    seen = []

    class ReadMask(layers.Layer):
        def call(self, inputs, mask=None):
            seen.append(None if mask is None else mask.numpy().tolist())
            return inputs

    inputs = keras.Input(shape=(3, 2))
    x = MakeMask()(inputs)
    x = layers.Dropout(0.1)(x)  # supports_masking: passes the mask on
    model = keras.Model(inputs, ReadMask()(x))
    seen.clear()
    data = np.array([[[1, 1], [0, 0], [2, 2]]], dtype="float32")
    model(data)
    assert seen == [[[True, False, True]]]


# --- Activation, Identity, Lambda, Dropout --------------------------------------------
def test_activation_identity_lambda():
    x = sample(2, 3)
    np.testing.assert_allclose(layers.Activation("relu")(x).numpy(), np.maximum(x, 0))
    assert layers.Identity()(keras.Input((3,))).shape == (None, 3)
    square = layers.Lambda(lambda t: keras.ops.square(t))
    np.testing.assert_allclose(square(x).numpy(), x ** 2, rtol=1e-6)
    assert layers.Lambda(lambda t: t[:, :1])(keras.Input((3,))).shape == (None, 1)
    shift = layers.Lambda(lambda t, by: t + by, arguments={"by": 2.0}, output_shape=(3,))
    assert shift(keras.Input((3,))).shape == (None, 3)
    np.testing.assert_allclose(shift(x).numpy(), x + 2)


def test_dropout_scales_kept_values_and_respects_noise_shape():
    x = np.ones((2, 50, 4), dtype="float32")
    dropout = layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=3)
    y = dropout(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    np.testing.assert_array_equal(y[:, :1, :].repeat(50, axis=1), y)
    np.testing.assert_array_equal(dropout(x).numpy(), x)


# --- reshaping --------------------------------------------------------------------------
def test_reshaping_layer_shapes():
    x = keras.Input(shape=(28, 28, 1))
    assert layers.Flatten()(x).shape == (None, 784)
    assert layers.Flatten()(keras.Input(shape=(None, 3))).shape == (None, None)
    assert layers.Reshape((4, 4, 1))(keras.Input(shape=(16,))).shape == (None, 4, 4, 1)
    assert layers.Reshape((-1, 2))(keras.Input(shape=(3, 4))).shape == (None, 6, 2)
    assert layers.Permute((2, 1))(keras.Input(shape=(10, 64))).shape == (None, 64, 10)
    assert layers.RepeatVector(3)(keras.Input(shape=(32,))).shape == (None, 3, 32)
    data = sample(2, 3, 4)
    np.testing.assert_array_equal(layers.Reshape((-1,))(data).numpy(), data.reshape(2, 12))
    np.testing.assert_array_equal(layers.Permute((2, 1))(data).numpy(), data.transpose(0, 2, 1))
    np.testing.assert_array_equal(layers.RepeatVector(2)(data[:, 0]).numpy(),
                                  np.stack([data[:, 0]] * 2, axis=1))


# --- merging ---------------------------------------------------------------------------
MERGES = [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
          ("maximum", np.maximum), ("minimum", np.minimum),
          ("average", lambda a, b: (a + b) / 2)]


@pytest.mark.parametrize("name,reference", MERGES)
def test_merge_layers_compute_and_broadcast(name, reference):
    a, b = sample(3, 4, seed=1), sample(3, 4, seed=2)
    function = getattr(layers, name)
    np.testing.assert_allclose(function([a, b]).numpy(), reference(a, b), rtol=1e-6)
    ka, kb = keras.Input((5, 4)), keras.Input((1, 4))
    assert function([ka, kb]).shape == (None, 5, 4)


@pytest.mark.parametrize("name", ["Add", "Subtract", "Multiply", "Average", "Maximum",
                                  "Minimum"])
def test_merge_layer_gradients(name):
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    layer = getattr(layers, name)(dtype="float64")
    check_grad(lambda a, b: layer([a, b]), a, b)


def test_concatenate_and_dot_gradients():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 2))
    check_grad(lambda a, b: layers.Concatenate(dtype="float64")([a, b]), a, b)
    c, d = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    check_grad(lambda c, d: layers.Dot(axes=2, dtype="float64")([c, d]), c, d)
    check_grad(lambda c, d: layers.Dot(axes=-1, normalize=True, dtype="float64")([c, d]), c, d)


def test_concatenate_and_dot_shapes():
    a, b = keras.Input((4, 3)), keras.Input((4, 5))
    assert layers.concatenate([a, b]).shape == (None, 4, 8)
    assert layers.concatenate([a, keras.Input((2, 3))], axis=1).shape == (None, 6, 3)
    assert layers.dot([keras.Input((5,)), keras.Input((5,))], axes=1).shape == (None, 1)
    assert layers.dot([a, b], axes=1).shape == (None, 3, 5)


# --- parity with Keras 3 ------------------------------------------------------------------
def keras_and_kerlite(build, data, real):
    """Build the same model in both libraries, copy the weights, compare outputs."""
    ours = build(keras)
    theirs = build(real)
    theirs.set_weights(ours.get_weights())
    got = ours(data)
    want = theirs(data)
    got = got if isinstance(got, list) else [got]
    want = want if isinstance(want, list) else [want]
    for a, b in zip(got, want):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-5)


@pytest.mark.parity
def test_parity_mlp_784_64_64_10():
    real = real_keras()

    def build(k):
        inputs = k.Input(shape=(784,))
        x = k.layers.Dense(64, activation="relu")(inputs)
        x = k.layers.Dense(64, activation="relu")(x)
        return k.Model(inputs, k.layers.Dense(10, activation="softmax")(x))

    keras_and_kerlite(build, sample(8, 784), real)


@pytest.mark.parity
@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh", "softmax", "gelu",
                                        "elu", "selu", "swish", "softplus"])
def test_parity_dense_rank_3_with_activations(activation):
    real = real_keras()

    def build(k):
        inputs = k.Input(shape=(5, 6))
        return k.Model(inputs, k.layers.Dense(4, activation=activation)(inputs))

    keras_and_kerlite(build, sample(3, 5, 6), real)


@pytest.mark.parity
def test_parity_reshaping_layers():
    real = real_keras()

    def build(k):
        inputs = k.Input(shape=(4, 6))
        permuted = k.layers.Permute((2, 1))(inputs)
        flat = k.layers.Flatten()(permuted)
        reshaped = k.layers.Reshape((3, -1))(flat)
        repeated = k.layers.RepeatVector(2)(k.layers.Dense(3)(flat))
        return k.Model(inputs, [permuted, flat, reshaped, repeated])

    keras_and_kerlite(build, sample(2, 4, 6), real)


@pytest.mark.parity
def test_parity_merge_layers():
    real = real_keras()

    def build(k):
        a, b = k.Input(shape=(3, 4)), k.Input(shape=(3, 4))
        outputs = [k.layers.add([a, b]), k.layers.subtract([a, b]),
                   k.layers.multiply([a, b]), k.layers.average([a, b]),
                   k.layers.maximum([a, b]), k.layers.minimum([a, b]),
                   k.layers.concatenate([a, b], axis=1),
                   k.layers.dot([a, b], axes=2), k.layers.dot([a, b], axes=1),
                   k.layers.dot([a, b], axes=(2, 2), normalize=True),
                   k.layers.Dot(axes=1)([k.layers.Flatten()(a), k.layers.Flatten()(b)])]
        return k.Model([a, b], outputs)

    keras_and_kerlite(build, [sample(2, 3, 4, seed=1), sample(2, 3, 4, seed=2)], real)


# --- constraints (applied by the optimizer after each update) ---------------------------
def test_constraints_by_name_and_object():
    dense = layers.Dense(2, kernel_constraint="non_neg", bias_constraint=keras.constraints.MaxNorm(1.0))
    dense.build((None, 3))
    assert isinstance(dense.kernel.constraint, keras.constraints.NonNeg)
    config = dense.get_config()
    assert config["kernel_constraint"]["class_name"] == "NonNeg"
    clone = layers.Dense.from_config(config)
    assert clone.bias_constraint.max_value == 1.0
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        layers.Dense(2, kernel_constraint="positive")


@pytest.mark.parity
def test_parity_constraints_with_keras():
    real = real_keras()
    w = sample(5, 3) * 3
    for ours, theirs in [(keras.constraints.MaxNorm(2.0), real.constraints.MaxNorm(2.0)),
                         (keras.constraints.MinMaxNorm(0.5, 1.5, rate=0.7, axis=1),
                          real.constraints.MinMaxNorm(0.5, 1.5, rate=0.7, axis=1)),
                         (keras.constraints.NonNeg(), real.constraints.NonNeg()),
                         (keras.constraints.UnitNorm(), real.constraints.UnitNorm())]:
        np.testing.assert_allclose(np.asarray(ours(w)), np.asarray(theirs(w)), rtol=1e-5,
                                   atol=1e-6)


def test_trial_runs_for_shape_inference_leave_no_losses():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = layers.Dense(2, activity_regularizer="l2")

        def call(self, inputs):
            return self.inner(inputs)

    inputs = keras.Input((3,))
    model = keras.Model(inputs, Block()(inputs))
    assert model.losses == []
    model(np.ones((2, 3)))
    assert len(model.losses) == 1


def test_regularizers_values_defaults_and_config():
    w = sample(3, 4)
    np.testing.assert_allclose(float(keras.regularizers.l1()(w).numpy()), 0.01 * np.abs(w).sum(),
                               rtol=1e-6)
    np.testing.assert_allclose(float(keras.regularizers.L2(0.5)(w).numpy()),
                               0.5 * (w ** 2).sum(), rtol=1e-6)
    both = keras.regularizers.l1_l2(l1=0.1, l2=0.2)
    np.testing.assert_allclose(float(both(w).numpy()),
                               0.1 * np.abs(w).sum() + 0.2 * (w ** 2).sum(), rtol=1e-6)
    assert keras.regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    config = keras.regularizers.serialize(both)
    assert keras.regularizers.get(config).get_config() == {"l1": 0.1, "l2": 0.2}
    assert isinstance(keras.regularizers.get("l2"), keras.regularizers.L2)
    with pytest.raises(ValueError, match="non-negative"):
        keras.regularizers.L2(-1)
    with pytest.raises(ValueError, match="Could not interpret regularizer"):
        keras.regularizers.get("l3")


@pytest.mark.parity
def test_parity_regularizers_with_keras():
    real = real_keras()
    w = sample(4, 6)
    for ours, theirs in [
            (keras.regularizers.L1L2(0.1, 0.2), real.regularizers.L1L2(0.1, 0.2)),
            (keras.regularizers.OrthogonalRegularizer(0.3),
             real.regularizers.OrthogonalRegularizer(0.3)),
            (keras.regularizers.OrthogonalRegularizer(mode="columns"),
             real.regularizers.OrthogonalRegularizer(mode="columns"))]:
        their_w = real.ops.convert_to_tensor(w)  # (Keras's NumPy path mis-broadcasts)
        np.testing.assert_allclose(float(ours(w).numpy()), float(theirs(their_w)), rtol=1e-5)
