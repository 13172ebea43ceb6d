"""Convolution and pooling layers: shapes, errors, config, gradients, parity with Keras 3."""

import inspect
import os

import numpy as np
import pytest

from kerlite import GradientTape, layers, ops
from kerlite.testing import check_grad

rng = np.random.default_rng(7)


def keras_and_jax():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    jax = pytest.importorskip("jax")
    return keras, jax


def assert_matches_keras(ours, theirs, x, training=False, tol=1e-5, gradients=False):
    """Same weights (Keras's, via set_weights) -> same outputs (and, if asked, gradients).

    Gradients of sum(output * R) for the input and every trainable weight, ours from the
    tape, Keras's from jax.grad over ``stateless_call``. (Every option's gradients are
    also checked against finite differences; comparing with JAX costs a compilation, so
    only a few cases do it.)
    """
    keras, jax = keras_and_jax()
    theirs(x)
    ours(x)
    ours.set_weights(theirs.get_weights())
    trainable = [v.value for v in theirs.trainable_variables]
    non_trainable = [v.value for v in theirs.non_trainable_variables]
    takes_training = "training" in inspect.signature(theirs.call).parameters
    flags = {"training": training} if takes_training else {}

    def their_loss(weights, inputs, r):
        out, _ = theirs.stateless_call(weights, non_trainable, inputs, **flags)
        return (out * r).sum(), out

    if not gradients:
        reference = np.asarray(theirs.stateless_call(trainable, non_trainable, x, **flags)[0])
        out = ours(x, training=training)
        scale = max(1.0, float(np.abs(reference).max()))
        np.testing.assert_allclose(out.numpy(), reference, rtol=tol, atol=tol * scale)
        return
    reference = np.asarray(theirs.stateless_call(trainable, non_trainable, x, **flags)[0])
    r = rng.standard_normal(reference.shape).astype("float32")
    (_, their_out), (their_weight_grads, their_x_grad) = jax.value_and_grad(
        their_loss, argnums=(0, 1), has_aux=True)(trainable, x, r)

    xt = ops.convert_to_tensor(x)
    with GradientTape() as tape:
        tape.watch(xt)
        out = ours(xt, training=training)
        loss = ops.sum(out * r)
    grads = tape.gradient(loss, [xt] + list(ours.trainable_weights))

    scale = max(1.0, float(np.abs(reference).max()))
    np.testing.assert_allclose(out.numpy(), np.asarray(their_out), rtol=tol, atol=tol * scale)
    for ours_grad, their_grad in zip(grads, [their_x_grad] + list(their_weight_grads)):
        their_grad = np.asarray(their_grad)
        np.testing.assert_allclose(ours_grad.numpy(), their_grad, rtol=tol,
                                   atol=tol * max(1.0, float(np.abs(their_grad).max())))


def images(*shape):
    return rng.standard_normal(shape).astype("float32")


# --- parity with Keras 3 (values and gradients) -------------------------------------------
CONV2D_OPTIONS = [
    dict(filters=4, kernel_size=3),
    dict(filters=4, kernel_size=3, strides=2, padding="same", activation="relu"),
    dict(filters=4, kernel_size=(3, 2), dilation_rate=2, use_bias=False),
    dict(filters=6, kernel_size=3, groups=2, padding="same"),
    dict(filters=4, kernel_size=3, strides=(2, 1), data_format="channels_first"),
]


@pytest.mark.parity
@pytest.mark.parametrize("options", CONV2D_OPTIONS)
def test_conv2d_matches_keras(options):
    keras, _ = keras_and_jax()
    assert_matches_keras(layers.Conv2D(**options), keras.layers.Conv2D(**options),
                         images(2, 7, 8, 4), gradients=options.get("groups") == 2)


@pytest.mark.parity
@pytest.mark.parametrize("options", [dict(padding="causal", dilation_rate=2),
                                     dict(strides=2, padding="same", groups=2)])
def test_conv1d_matches_keras(options):
    keras, _ = keras_and_jax()
    assert_matches_keras(layers.Conv1D(4, 3, **options), keras.layers.Conv1D(4, 3, **options),
                         images(2, 9, 4))


@pytest.mark.parity
def test_conv3d_matches_keras():
    keras, _ = keras_and_jax()
    assert_matches_keras(layers.Conv3D(3, 2, strides=(1, 2, 1), padding="same"),
                         keras.layers.Conv3D(3, 2, strides=(1, 2, 1), padding="same"),
                         images(2, 4, 5, 4, 2))


@pytest.mark.parity
@pytest.mark.parametrize("options", [dict(strides=2, padding="same"),
                                     dict(strides=2, output_padding=1),
                                     dict(strides=3, padding="same", output_padding=2),
                                     dict(dilation_rate=2, activation="relu")])
def test_conv2d_transpose_matches_keras(options):
    keras, _ = keras_and_jax()
    assert_matches_keras(layers.Conv2DTranspose(3, 3, **options),
                         keras.layers.Conv2DTranspose(3, 3, **options), images(2, 4, 5, 2),
                         gradients="output_padding" in options and options["strides"] == 2)


@pytest.mark.parity
@pytest.mark.parametrize("options", [dict(), dict(depth_multiplier=2, strides=2, padding="same")])
def test_depthwise_and_separable_conv2d_match_keras(options):
    keras, _ = keras_and_jax()
    x = images(2, 7, 7, 3)
    assert_matches_keras(layers.DepthwiseConv2D(3, **options),
                         keras.layers.DepthwiseConv2D(3, **options), x)
    assert_matches_keras(layers.SeparableConv2D(5, 3, **options),
                         keras.layers.SeparableConv2D(5, 3, **options), x,
                         gradients=bool(options))


@pytest.mark.parity
@pytest.mark.parametrize("name,args", [
    ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same")),
    ("AveragePooling2D", dict(pool_size=3, strides=1, padding="same")),
    ("MaxPooling1D", dict(pool_size=3)), ("AveragePooling3D", dict(pool_size=2)),
    ("GlobalMaxPooling2D", dict()), ("GlobalAveragePooling2D", dict(keepdims=True)),
    ("GlobalMaxPooling1D", dict(keepdims=True)), ("GlobalAveragePooling3D", dict()),
])
def test_pooling_layers_match_keras(name, args):
    keras, _ = keras_and_jax()
    rank = int(name[-2])
    x = images(2, *(5,) * rank, 3)
    assert_matches_keras(getattr(layers, name)(**args), getattr(keras.layers, name)(**args), x,
                         gradients=name == "MaxPooling2D")


# --- finite-difference gradients of whole layers (float64 layers) ---------------------------
@pytest.mark.parametrize("layer", [
    lambda: layers.Conv2D(2, 3, strides=2, padding="same", activation="tanh", dtype="float64"),
    lambda: layers.Conv1D(2, 2, padding="causal", dtype="float64"),
    lambda: layers.Conv2D(3, 2, activation="relu", dtype="float64"),
    lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same", dtype="float64"),
    lambda: layers.DepthwiseConv2D(2, depth_multiplier=2, dtype="float64"),
    lambda: layers.SeparableConv2D(2, 2, dtype="float64"),
    lambda: layers.MaxPooling2D(2, padding="same", dtype="float64"),
    lambda: layers.AveragePooling2D(3, 1, padding="same", dtype="float64"),
    lambda: layers.GlobalMaxPooling2D(dtype="float64"),
])
def test_layer_input_gradients(layer):
    layer = layer()
    rank = 1 if "1D" in type(layer).__name__ else 2
    x = rng.standard_normal((2, *(5,) * rank, 2))
    check_grad(lambda t: layer(t), x)


# --- shapes, errors, config -------------------------------------------------------------------
def test_output_shapes_at_graph_build_time():
    assert layers.Conv2D(8, 3).compute_output_shape((None, 28, 28, 1)) == (None, 26, 26, 8)
    assert layers.Conv2D(8, 3, strides=2, padding="same").compute_output_shape(
        (None, 28, 27, 1)) == (None, 14, 14, 8)
    assert layers.Conv2D(8, 3, data_format="channels_first").compute_output_shape(
        (None, 1, 10, 12)) == (None, 8, 8, 10)
    assert layers.Conv2DTranspose(4, 3).compute_output_shape((None, 5, 5, 2)) == (None, 7, 7, 4)
    assert layers.Conv2DTranspose(4, 3, strides=2, padding="same").compute_output_shape(
        (None, 5, None, 2)) == (None, 10, None, 4)
    assert layers.Conv1D(4, 3, padding="causal").compute_output_shape((None, 9, 2)) == (None, 9, 4)
    assert layers.MaxPooling2D(3).compute_output_shape((None, 22, 22, 32)) == (None, 7, 7, 32)
    assert layers.GlobalMaxPooling2D().compute_output_shape((None, 4, 4, 16)) == (None, 16)
    assert layers.DepthwiseConv2D(3, depth_multiplier=2).compute_output_shape(
        (None, 8, 8, 3)) == (None, 6, 6, 6)


def test_kernel_that_does_not_fit_names_the_layer():
    with pytest.raises(ValueError, match='"tiny_conv".*kernel of size \\(3, 3\\)'):
        layers.Conv2D(4, 3, name="tiny_conv").compute_output_shape((None, 2, 2, 1))
    with pytest.raises(ValueError, match="pool of size"):
        layers.MaxPooling2D(3, name="pool").compute_output_shape((None, 2, 2, 1))


def test_keras_argument_errors():
    with pytest.raises(ValueError, match="strides > 1"):
        layers.Conv2D(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="divisible by the number of groups"):
        layers.Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))


def test_weight_layouts_and_names_are_keras():
    conv = layers.Conv2D(8, (3, 2), groups=2)
    conv(np.zeros((1, 6, 6, 4), "float32"))
    assert [(w.name, w.shape) for w in conv.weights] == [("kernel", (3, 2, 2, 8)), ("bias", (8,))]
    transpose = layers.Conv2DTranspose(5, 3)
    transpose(np.zeros((1, 4, 4, 2), "float32"))
    assert transpose.kernel.shape == (3, 3, 5, 2)
    separable = layers.SeparableConv2D(6, 3, depth_multiplier=2)
    separable(np.zeros((1, 5, 5, 3), "float32"))
    assert [w.shape for w in separable.weights] == [(3, 3, 3, 2), (1, 1, 6, 6), (6,)]


def test_config_round_trip():
    for layer in (layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
                  layers.Conv2DTranspose(3, 3, strides=2, output_padding=1),
                  layers.SeparableConv2D(4, 3), layers.DepthwiseConv2D(3),
                  layers.MaxPooling2D(3, 2, "same"), layers.GlobalAveragePooling2D(keepdims=True)):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config


def test_global_average_pooling1d_leaves_masked_steps_out():
    x = np.arange(12, dtype="float32").reshape(1, 4, 3)
    mask = np.array([[True, True, False, False]])
    out = layers.GlobalAveragePooling1D()(x, mask=mask).numpy()
    np.testing.assert_allclose(out, x[:, :2].mean(axis=1))


@pytest.mark.parity
@pytest.mark.parametrize("name,args,shape", [
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 5, 2)),
    ("Conv3DTranspose", dict(filters=2, kernel_size=2, strides=2), (1, 3, 3, 3, 2)),
    ("DepthwiseConv1D", dict(kernel_size=3, depth_multiplier=2), (2, 6, 3)),
    ("SeparableConv1D", dict(filters=4, kernel_size=3, padding="same"), (2, 6, 3)),
    ("ZeroPadding3D", dict(padding=(1, 0, 2)), (1, 2, 3, 2, 2)),
    ("Cropping3D", dict(cropping=((1, 0), (0, 1), (1, 1))), (1, 3, 3, 4, 2)),
])
def test_other_ranks_match_keras(name, args, shape):
    keras, _ = keras_and_jax()
    assert_matches_keras(getattr(layers, name)(**args), getattr(keras.layers, name)(**args),
                         images(*shape))
