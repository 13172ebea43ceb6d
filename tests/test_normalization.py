"""BatchNormalization, LayerNormalization, GroupNormalization: Keras parity and gradients."""

import numpy as np
import pytest
from test_conv_layers import assert_matches_keras, images, keras_and_jax

from kerlite import layers
from kerlite.layers.normalization.standardize import standardize
from kerlite.testing import check_grad

rng = np.random.default_rng(11)


@pytest.mark.parametrize("axes", [(0, 1, 2), (1,), (1, 2)])
@pytest.mark.parametrize("affine", [False, True])
def test_standardize_gradients(axes, affine):
    x = rng.standard_normal((3, 4, 5))
    shape = [1 if i in axes else n for i, n in enumerate(x.shape)]
    if affine:
        gamma, beta = rng.standard_normal(shape), rng.standard_normal(shape)
        check_grad(lambda a, g, b: standardize(a, axes, 1e-3, g, b)[0], x, gamma, beta)
    else:
        check_grad(lambda a: standardize(a, axes, 1e-3)[0], x)


@pytest.mark.parity
@pytest.mark.parametrize("training,options", [
    (False, dict()), (True, dict()), (False, dict(axis=1)), (True, dict(axis=1)),
    (True, dict(center=False)), (False, dict(scale=False, epsilon=0.1)),
])
def test_batch_normalization_matches_keras(training, options):
    keras, _ = keras_and_jax()
    ours, theirs = layers.BatchNormalization(**options), keras.layers.BatchNormalization(**options)
    x = images(4, 3, 5, 2) * 3 + 1
    theirs(x)
    # non-trivial moving statistics, so inference mode really uses them
    theirs.moving_mean.assign(rng.standard_normal(theirs.moving_mean.shape).astype("float32"))
    variance = rng.uniform(0.5, 2, theirs.moving_variance.shape).astype("float32")
    theirs.moving_variance.assign(variance)
    assert_matches_keras(ours, theirs, x, training=training, tol=2e-5,
                         gradients=training and not options)


def test_batch_normalization_moving_statistics_follow_training_only():
    keras, _ = keras_and_jax()
    ours = layers.BatchNormalization(momentum=0.9)
    theirs = keras.layers.BatchNormalization(momentum=0.9)
    x = images(8, 3, 3, 4) * 2 + 5
    ours(x)
    theirs(x)
    for _ in range(3):
        ours(x, training=True)
        theirs(x, training=True)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)
    before = [w.copy() for w in ours.get_weights()]
    ours(x, training=False)
    for mine, old in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(mine, old)
    ours.trainable = False  # a frozen layer runs in inference mode and keeps its statistics
    ours(x, training=True)
    for mine, old in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(mine, old)


def test_batch_normalization_weights_are_keras():
    layer = layers.BatchNormalization()
    layer(np.zeros((2, 4, 4, 3), "float32"))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert layer.count_params() == 12


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`")
@pytest.mark.parametrize("options", [dict(), dict(axis=(1, 2)), dict(axis=1, center=False),
                                     dict(rms_scaling=True)])
def test_layer_normalization_matches_keras(options):
    keras, _ = keras_and_jax()
    assert_matches_keras(layers.LayerNormalization(**options),
                         keras.layers.LayerNormalization(**options), images(3, 4, 6) * 2 + 1,
                         tol=2e-5, gradients=not options)


@pytest.mark.parity
@pytest.mark.parametrize("options", [dict(groups=2), dict(groups=3, axis=1), dict(groups=-1)])
def test_group_normalization_matches_keras(options):
    keras, _ = keras_and_jax()
    x = images(2, 6, 5, 6) if options.get("axis") != 1 else images(2, 6, 5, 4)
    assert_matches_keras(layers.GroupNormalization(**options),
                         keras.layers.GroupNormalization(**options), x * 2 + 1, tol=2e-5,
                         gradients=options == dict(groups=2))


def test_group_normalization_rejects_bad_groups():
    with pytest.raises(ValueError, match="multiple"):
        layers.GroupNormalization(groups=4)(np.zeros((1, 3, 6), "float32"))


@pytest.mark.parametrize("layer", [
    lambda: layers.BatchNormalization(dtype="float64"),
    lambda: layers.LayerNormalization(dtype="float64"),
    lambda: layers.GroupNormalization(groups=2, dtype="float64"),
])
def test_normalization_input_gradients_in_training(layer):
    layer = layer()
    x = rng.standard_normal((3, 4, 4))
    layer(x)
    for weight in layer.trainable_weights:
        weight.assign(rng.standard_normal(weight.shape))
    check_grad(lambda t: layer(t, training=True), x)
