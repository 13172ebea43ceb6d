"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), ActivityRegularization and
UnitNormalization: Keras's numbers, configs, gradients, masks, errors and training."""

import numpy as np
import pytest
from _keras_reference import import_keras

import kerlite as keras
from kerlite import layers
from kerlite.autodiff import GradientTape
from kerlite.testing import check_grad


def sample(*shape, seed=0):
    """Normal samples kept away from 0 (the kink of every ReLU variant)."""
    x = np.random.default_rng(seed).normal(size=shape)
    return np.where(np.abs(x) < 0.05, 0.3, x).astype("float32")


def one_layer_model(k, layer, shape):
    inputs = k.Input(shape=shape)
    return k.Model(inputs, layer(inputs))


def assert_same_as_keras(ours, theirs, x, rtol=1e-5, atol=1e-6):
    """Run the layer in a model in both libraries (copying weights) on the same input."""
    real = import_keras()
    ours_model = one_layer_model(keras, ours, x.shape[1:])
    theirs_model = one_layer_model(real, theirs, x.shape[1:])
    theirs_model.set_weights(ours_model.get_weights())
    np.testing.assert_allclose(ours_model(x).numpy(), np.asarray(theirs_model(x)),
                               rtol=rtol, atol=atol)


def assert_config_like_keras(ours, theirs):
    """The same keys and values as Keras's get_config (names differ by counters)."""
    mine, reference = ours.get_config(), theirs.get_config()
    assert set(mine) == set(reference)
    for key in set(mine) - {"name"}:
        assert mine[key] == reference[key], key
    clone = type(ours).from_config(mine)
    assert clone.get_config() == mine


# --- ReLU --------------------------------------------------------------------------------
RELU_CASES = [{}, {"max_value": 1.0}, {"negative_slope": 0.2},
              {"threshold": 0.5}, {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.4}]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", RELU_CASES)
def test_relu_matches_keras(kwargs):
    real = import_keras()
    x = sample(4, 3, 5) * 2
    x = np.where(np.abs(x - kwargs.get("threshold", 0.0)) < 0.05, 0.9, x).astype("float32")
    assert_same_as_keras(layers.ReLU(**kwargs), real.layers.ReLU(**kwargs), x)
    assert_config_like_keras(layers.ReLU(**kwargs), real.layers.ReLU(**kwargs))


def test_relu_values_gradient_and_symbolic_shape():
    layer = layers.ReLU(max_value=2.0, negative_slope=0.5, threshold=1.0)
    got = layer(np.array([-2.0, 0.5, 1.5, 3.0])).numpy()
    np.testing.assert_allclose(got, [-1.5, -0.25, 1.5, 2.0])
    assert layer.built and layer.weights == [] and layer.supports_masking
    assert layer(keras.Input((7, 2))).shape == (None, 7, 2)
    x = np.array([[-1.3, 0.4, 1.2, 2.5], [0.7, -0.2, 1.9, 3.1]])
    check_grad(lambda t: layers.ReLU(2.0, 0.5, 1.0, dtype="float64")(t), x)


@pytest.mark.parametrize("kwargs, message", [
    ({"max_value": -1.0}, "max_value of a ReLU layer cannot be a negative value"),
    ({"negative_slope": -0.1}, "negative_slope of a ReLU layer cannot be None or a negative"),
    ({"negative_slope": None}, "negative_slope of a ReLU layer cannot be None or a negative"),
    ({"threshold": -2.0}, "threshold of a ReLU layer cannot be None or a negative value"),
    ({"threshold": None}, "threshold of a ReLU layer cannot be None or a negative value")])
def test_relu_rejects_negative_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.ReLU(**kwargs)


# --- LeakyReLU ---------------------------------------------------------------------------
def test_leaky_relu_layer_default_slope_is_0_3_not_the_functions_0_2():
    got = layers.LeakyReLU()(np.array([-10.0, -1.0, 2.0])).numpy()
    np.testing.assert_allclose(got, [-3.0, -0.3, 2.0], rtol=1e-6)
    assert layers.LeakyReLU().get_config()["negative_slope"] == 0.3


def test_leaky_relu_legacy_alpha_keyword_warns_and_sets_negative_slope():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1
    config = layer.get_config()
    assert "alpha" not in config and config["negative_slope"] == 0.1
    np.testing.assert_allclose(layer(np.array([-2.0])).numpy(), [-0.2], rtol=1e-6)
    with pytest.raises(ValueError, match="cannot be None or negative value"):
        layers.LeakyReLU(negative_slope=-0.5)
    with pytest.raises(ValueError, match="cannot be None or negative value"):
        layers.LeakyReLU(negative_slope=None)


@pytest.mark.parity
def test_leaky_relu_matches_keras_and_has_its_gradient():
    real = import_keras()
    assert_same_as_keras(layers.LeakyReLU(0.15), real.layers.LeakyReLU(0.15), sample(3, 6))
    assert_config_like_keras(layers.LeakyReLU(0.15), real.layers.LeakyReLU(0.15))
    check_grad(lambda t: layers.LeakyReLU(0.15, dtype="float64")(t),
               sample(3, 4).astype("float64"))


# --- PReLU -------------------------------------------------------------------------------
def test_prelu_alpha_weight_name_shape_and_shared_axes():
    layer = layers.PReLU(name="act")
    assert layer(keras.Input((5, 4, 3))).shape == (None, 5, 4, 3)
    assert [(w.name, w.shape, w.path) for w in layer.weights] == [("alpha", (5, 4, 3),
                                                                   "act/alpha")]
    assert layer.trainable_weights == layer.weights
    np.testing.assert_array_equal(layer.get_weights()[0], 0.0)  # "Zeros" by default
    shared = layers.PReLU(shared_axes=[1, 2])
    shared(keras.Input((5, 4, 3)))
    assert shared.alpha.shape == (1, 1, 3)
    single = layers.PReLU(shared_axes=1)
    single(keras.Input((5, 4)))
    assert single.alpha.shape == (1, 4) and single.get_config()["shared_axes"] == [1]


@pytest.mark.parity
@pytest.mark.parametrize("shared_axes", [None, [1, 2], 2])
def test_prelu_matches_keras_with_copied_alpha(shared_axes):
    real = import_keras()
    ours = layers.PReLU(shared_axes=shared_axes)
    theirs = real.layers.PReLU(shared_axes=shared_axes)
    x = sample(2, 4, 3, 5)
    ours.build((None, 4, 3, 5))
    ours.set_weights([np.random.default_rng(1).uniform(0.1, 0.9, ours.alpha.shape)])
    assert_same_as_keras(ours, theirs, x)
    assert theirs.alpha.shape == ours.alpha.shape
    assert_config_like_keras(layers.PReLU(alpha_initializer="ones", alpha_regularizer="l2",
                                          alpha_constraint="non_neg", shared_axes=shared_axes),
                             real.layers.PReLU(alpha_initializer="ones",
                                               alpha_regularizer="l2",
                                               alpha_constraint="non_neg",
                                               shared_axes=shared_axes))


def test_prelu_gradient_reaches_inputs_and_alpha():
    layer = layers.PReLU(shared_axes=[1], alpha_initializer=keras.initializers.Constant(0.25),
                         dtype="float64")
    layer.build((None, 3, 4))
    x = sample(2, 3, 4).astype("float64")
    check_grad(lambda t: layer(t), x)
    with GradientTape() as tape:
        loss = keras.ops.sum(layer(x))
    (grad,) = tape.gradient(loss, [layer.alpha])
    # d/d alpha of sum(relu(x) - alpha * relu(-x)) = sum over shared axes of min(x, 0)
    np.testing.assert_allclose(grad.numpy(), np.minimum(x, 0).sum(axis=(0, 1))[None])


def test_prelu_errors_name_the_layer_and_the_fix():
    with pytest.raises(ValueError, match=r'"p".*shared_axes must be axes 1 \.\. 2'):
        layers.PReLU(shared_axes=0, name="p").build((None, 3, 4))
    with pytest.raises(ValueError, match="needs to know every non-shared axis"):
        layers.PReLU()(keras.Input((None, 4)))
    layers.PReLU(shared_axes=1)(keras.Input((None, 4)))  # a shared unknown axis is fine
    layer = layers.PReLU()
    layer.build((None, 3))
    with pytest.raises(ValueError, match="p_re_lu"):
        layer(np.ones((2, 4), "float32"))


# --- ELU ---------------------------------------------------------------------------------
@pytest.mark.parity
def test_elu_matches_keras_and_keeps_alpha_in_its_config():
    real = import_keras()
    assert_same_as_keras(layers.ELU(alpha=0.7), real.layers.ELU(alpha=0.7), sample(3, 5))
    assert_config_like_keras(layers.ELU(alpha=0.7), real.layers.ELU(alpha=0.7))
    assert layers.ELU.from_config(layers.ELU(alpha=0.7).get_config()).alpha == 0.7


def test_elu_values_and_gradient():
    got = layers.ELU(alpha=2.0)(np.array([-1.0, 0.5])).numpy()
    np.testing.assert_allclose(got, [2.0 * (np.exp(-1.0) - 1.0), 0.5], rtol=1e-6)
    check_grad(lambda t: layers.ELU(alpha=0.5, dtype="float64")(t),
               sample(4, 3).astype("float64"))


# --- Softmax -----------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, 1, (1, 2), [2]])
def test_softmax_matches_keras(axis):
    real = import_keras()
    x = sample(2, 3, 4) * 3
    assert_same_as_keras(layers.Softmax(axis=axis), real.layers.Softmax(axis=axis), x)
    assert_config_like_keras(layers.Softmax(axis=axis), real.layers.Softmax(axis=axis))


@pytest.mark.parity
@pytest.mark.parametrize("mask", [
    np.array([[True, True, False, False], [False, False, False, False],
              [True, True, True, True]]),
    np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0], [0.2, 0.7, 0.9, 0.0]]),
    np.array([[1.0, 0.0, 1.0, 1.0]]),
    np.array([0, 1, 1, 0])])
def test_softmax_mask_matches_keras(mask):
    real = import_keras()
    x = sample(3, 4) * 2
    got = layers.Softmax()(x, mask=mask).numpy()
    np.testing.assert_allclose(got, np.asarray(real.layers.Softmax()(x, mask=mask)),
                               rtol=1e-5, atol=1e-7)
    keep = np.broadcast_to(mask > 0.5, x.shape)
    assert np.all(got[~keep] == 0.0)
    rows = keep.any(axis=1)
    np.testing.assert_allclose(got[rows].sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parity
def test_softmax_mask_as_a_second_model_input_matches_keras():
    real = import_keras()

    def build(k):
        logits, mask = k.Input((5,)), k.Input((5,), dtype="bool")
        return k.Model([logits, mask], k.layers.Softmax()(logits, mask=mask))

    x = sample(2, 5)
    mask = np.array([[True, False, True, True, False], [False, True, True, True, True]])
    ours, theirs = build(keras), build(real)
    assert ours.output.shape == (None, 5)
    np.testing.assert_allclose(ours([x, mask]).numpy(), np.asarray(theirs([x, mask])),
                               rtol=1e-5, atol=1e-7)


def test_softmax_mask_gradient_and_output_mask():
    mask = np.array([[True, False, True], [True, True, False]])
    check_grad(lambda t: layers.Softmax(dtype="float64")(t, mask=mask),
               sample(2, 3).astype("float64"))
    out = layers.Softmax()(np.ones((2, 3)), mask=mask)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), mask)  # passed on
    float16 = layers.Softmax(dtype="float16")(np.ones((1, 3)), mask=np.array([1, 0, 1]))
    assert float16.dtype == "float16" and np.isfinite(float16.numpy()).all()
    np.testing.assert_allclose(float16.numpy(), [[0.5, 0.0, 0.5]])


def test_softmax_rejects_masks_that_do_not_broadcast():
    layer = layers.Softmax(name="probs")
    with pytest.raises(ValueError, match=r'"probs".*must not have more dimensions'):
        layer(np.ones((1, 3)), mask=np.ones((1, 1, 3)))
    with pytest.raises(ValueError, match=r"Each mask dimension must be 1.*mask.shape=\(2, 3\)"):
        layer(np.ones((1, 3)), mask=np.ones((2, 3)))


# --- ActivityRegularization --------------------------------------------------------------
def test_activity_regularization_passes_inputs_and_adds_the_per_sample_loss():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    x = sample(4, 3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    (loss,) = layer.losses
    expected = (0.1 * np.abs(x).sum() + 0.2 * (x ** 2).sum()) / 4
    np.testing.assert_allclose(float(loss.numpy()), expected, rtol=1e-5)
    layer(x)
    assert len(layer.losses) == 1  # replaced on each call, not accumulated
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.ActivityRegularization(l2=1.0)(
        layers.Dense(2, kernel_initializer="ones")(inputs)))
    y = model(x).numpy()
    (model_loss,) = model.losses
    np.testing.assert_allclose(float(model_loss.numpy()), (y ** 2).sum() / 4, rtol=1e-5)


@pytest.mark.parity
def test_activity_regularization_config_and_errors_as_keras():
    real = import_keras()
    ours = layers.ActivityRegularization(l1=0.01, l2=0.5)
    assert_config_like_keras(ours, real.layers.ActivityRegularization(l1=0.01, l2=0.5))
    assert "activity_regularizer" not in ours.get_config()
    clone = layers.ActivityRegularization.from_config(ours.get_config())
    assert clone.activity_regularizer.get_config() == {"l1": 0.01, "l2": 0.5}
    with pytest.raises(ValueError, match="non-negative"):
        layers.ActivityRegularization(l1=-1.0)


# --- UnitNormalization -------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_unit_normalization_matches_keras(axis):
    real = import_keras()
    x = sample(2, 3, 4)
    x[0, 1] = 0.0  # an all-zero vector stays zero (no division by zero)
    assert_same_as_keras(layers.UnitNormalization(axis), real.layers.UnitNormalization(axis), x)
    assert_config_like_keras(layers.UnitNormalization(axis),
                             real.layers.UnitNormalization(axis))


def test_unit_normalization_values_gradient_and_errors():
    x = sample(3, 4)
    out = layers.UnitNormalization()(x).numpy()
    np.testing.assert_allclose((out ** 2).sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(layers.UnitNormalization()(np.zeros((1, 3))).numpy(), 0.0)
    check_grad(lambda t: layers.UnitNormalization(axis=[1, 2], dtype="float64")(t),
               sample(2, 3, 2).astype("float64"))
    assert layers.UnitNormalization((1, 2)).get_config()["axis"] == [1, 2]
    with pytest.raises(TypeError, match="expected an int or a list/tuple of ints"):
        layers.UnitNormalization(axis="last")
    with pytest.raises(ValueError, match=r"axis 3 is out of bounds for input shape \(None, 4\)"):
        layers.UnitNormalization(axis=3)(keras.Input((4,)))


# --- models: summary, saving, training ---------------------------------------------------
def all_layers_model(k):
    inputs = k.Input(shape=(6,))
    x = k.layers.Dense(5)(inputs)
    x = k.layers.ReLU(max_value=3.0, negative_slope=0.1, threshold=0.2)(x)
    x = k.layers.LeakyReLU(0.2)(x)
    x = k.layers.PReLU(alpha_initializer="ones")(x)
    x = k.layers.ELU(0.5)(x)
    x = k.layers.ActivityRegularization(l1=0.01)(x)
    x = k.layers.UnitNormalization()(x)
    return k.Model(inputs, k.layers.Softmax()(k.layers.Dense(3)(x)))


def test_summary_lists_each_layer_with_its_output_shape():
    lines = []
    all_layers_model(keras).summary(print_fn=lines.append)
    text = "\n".join(lines)
    for name in ["(ReLU)", "(LeakyReLU)", "(PReLU)", "(ELU)", "(ActivityRegularization)",
                 "(UnitNormalization)", "(Softmax)"]:
        assert name in text
    assert "(None, 5)" in text and "(None, 3)" in text
    assert "Total params: 58" in text  # 35 + alpha 5 + 18


def test_keras_file_round_trip_with_every_new_layer(tmp_path):
    model = all_layers_model(keras)
    path = tmp_path / "acts.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = sample(4, 6)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers] == [
        type(layer).__name__ for layer in model.layers]
    assert loaded.layers[2].max_value == 3.0 and loaded.layers[4].alpha.shape == (5,)


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras's own
def test_keras_files_load_across_kerlite_and_keras_3(tmp_path):
    real = import_keras()
    x = sample(4, 6)
    ours = all_layers_model(keras)
    ours.save(tmp_path / "kerlite.keras")
    theirs = real.saving.load_model(tmp_path / "kerlite.keras")
    np.testing.assert_allclose(np.asarray(theirs(x)), ours(x).numpy(), rtol=1e-5, atol=1e-6)
    all_layers_model(real).save(tmp_path / "keras.keras")
    theirs = real.saving.load_model(tmp_path / "keras.keras")
    ours = keras.models.load_model(tmp_path / "keras.keras")
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)


def prelu_regularized_model(k):
    inputs = k.Input(shape=(4,))
    x = k.layers.Dense(6, kernel_initializer="glorot_uniform")(inputs)
    x = k.layers.PReLU(alpha_initializer=k.initializers.Constant(0.25))(x)
    x = k.layers.ActivityRegularization(l1=0.05, l2=0.1)(x)
    return k.Model(inputs, k.layers.Dense(1)(x))


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras's own
def test_fit_trains_prelu_and_its_loss_includes_the_activity_term_like_keras():
    real = import_keras()
    rng = np.random.default_rng(5)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = (x[:, :1] - 0.5 * x[:, 1:2]).astype("float32")
    ours, theirs = prelu_regularized_model(keras), prelu_regularized_model(real)
    theirs.set_weights(ours.get_weights())
    for model, k in [(ours, keras), (theirs, real)]:
        model.compile(optimizer=k.optimizers.SGD(0.05), loss="mse")
    mse = float(np.mean((ours.predict(x, verbose=0) - y) ** 2))
    loss = ours.evaluate(x, y, batch_size=16, verbose=0)
    assert loss > mse + 1e-3  # the activity penalty is part of the loss
    np.testing.assert_allclose(loss, theirs.evaluate(x, y, batch_size=16, verbose=0),
                               rtol=1e-5)
    alpha_before = ours.layers[2].get_weights()[0].copy()
    history = ours.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    their_history = theirs.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert not np.allclose(ours.layers[2].get_weights()[0], alpha_before)
    np.testing.assert_allclose(history.history["loss"], their_history.history["loss"],
                               rtol=1e-4)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, np.asarray(reference), rtol=1e-4, atol=1e-6)
