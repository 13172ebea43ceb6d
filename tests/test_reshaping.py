"""UpSampling, ZeroPadding, Cropping, SpatialDropout, GaussianNoise/Dropout layers."""

import numpy as np
import pytest
from test_conv_layers import assert_matches_keras, images, keras_and_jax

from kerlite import layers
from kerlite.testing import check_grad

rng = np.random.default_rng(5)


@pytest.mark.parity
@pytest.mark.parametrize("name,args,rank", [
    ("UpSampling1D", dict(size=3), 1),
    ("UpSampling2D", dict(size=(2, 3)), 2),
    ("UpSampling2D", dict(size=2, interpolation="bilinear"), 2),
    ("UpSampling2D", dict(size=3, interpolation="bilinear", data_format="channels_first"), 2),
    ("UpSampling3D", dict(size=2), 3),
    ("ZeroPadding1D", dict(padding=(1, 2)), 1),
    ("ZeroPadding2D", dict(padding=((1, 0), (2, 3))), 2),
    ("ZeroPadding2D", dict(padding=1, data_format="channels_first"), 2),
    ("Cropping1D", dict(cropping=(1, 2)), 1),
    ("Cropping2D", dict(cropping=((1, 0), (2, 1))), 2),
    ("Cropping2D", dict(cropping=1, data_format="channels_first"), 2),
])
def test_reshaping_layers_match_keras(name, args, rank):
    keras, _ = keras_and_jax()
    x = images(2, *(5,) * rank, 3)
    ours, theirs = getattr(layers, name)(**args), getattr(keras.layers, name)(**args)
    assert ours.compute_output_shape((None,) + x.shape[1:]) == tuple(
        theirs.compute_output_shape((None,) + x.shape[1:]))
    assert_matches_keras(ours, theirs, x, gradients="bilinear" in str(args))


@pytest.mark.parametrize("layer", [
    lambda: layers.UpSampling2D(2, dtype="float64"),
    lambda: layers.UpSampling2D(2, interpolation="bilinear", dtype="float64"),
    lambda: layers.ZeroPadding2D(1, dtype="float64"),
    lambda: layers.Cropping2D(1, dtype="float64"),
])
def test_reshaping_gradients(layer):
    layer = layer()
    check_grad(lambda t: layer(t), rng.standard_normal((2, 4, 3, 2)))


def test_cropping_too_much_is_a_clear_error():
    with pytest.raises(ValueError, match="smaller than the corresponding spatial dimension"):
        layers.Cropping2D(2).compute_output_shape((None, 4, 8, 1))


def test_spatial_dropout_drops_whole_channels():
    x = np.ones((4, 6, 6, 8), "float32")
    out = layers.SpatialDropout2D(0.5, seed=1)(x, training=True).numpy()
    per_channel = out.reshape(4, 36, 8)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))  # constant per map
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < (out == 0).mean() < 1
    np.testing.assert_array_equal(layers.SpatialDropout2D(0.5)(x, training=False).numpy(), x)
    out1d = layers.SpatialDropout1D(0.5, seed=2)(np.ones((3, 7, 5), "float32"), training=True)
    assert np.all(out1d.numpy().min(axis=1) == out1d.numpy().max(axis=1))


def test_gaussian_noise_and_dropout_only_in_training():
    x = np.ones((200, 50), "float32")
    noisy = layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy()
    assert abs(noisy.std() - 0.5) < 0.02 and abs(noisy.mean() - 1) < 0.02
    dropped = layers.GaussianDropout(0.2, seed=3)(x, training=True).numpy()
    assert abs(dropped.std() - np.sqrt(0.2 / 0.8)) < 0.02 and abs(dropped.mean() - 1) < 0.02
    for layer in (layers.GaussianNoise(0.5), layers.GaussianDropout(0.2)):
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
