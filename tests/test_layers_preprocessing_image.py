"""Image preprocessing layers: the same numbers as Keras 3, augmentation only in training,
and configs that round-trip and match Keras's keys."""

import numpy as np
import pytest
from _keras_reference import import_keras

import kerlite as keras
from kerlite import layers

# Layer arguments used for the config tests (Keras's layers accept the same ones).
CONFIG_CASES = [
    ("Rescaling", dict(scale=1 / 255, offset=-1.0)),
    ("Resizing", dict(height=4, width=5, interpolation="nearest", pad_to_aspect_ratio=True)),
    ("CenterCrop", dict(height=3, width=2)),
    ("RandomFlip", dict(mode="vertical", seed=3)),
    ("RandomRotation", dict(factor=(-0.1, 0.2), fill_mode="constant", fill_value=1.0, seed=4)),
    ("RandomZoom", dict(height_factor=0.2, width_factor=(-0.1, 0.3), interpolation="nearest")),
    ("RandomTranslation", dict(height_factor=0.1, width_factor=(0.0, 0.2), fill_mode="wrap")),
    ("RandomCrop", dict(height=3, width=4, seed=5)),
    ("RandomContrast", dict(factor=0.3, value_range=(0, 1), seed=6)),
    ("RandomBrightness", dict(factor=(-0.2, 0.1), value_range=(0, 1), seed=7)),
]


def pictures(rng, *shape):
    return (rng.uniform(size=shape) * 255).astype("float32")


def assert_close_to_keras(ours, theirs, x, **call_kwargs):
    got = ours(x, **call_kwargs)
    want = np.asarray(theirs(x, **call_kwargs))
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-4)


# --- configs --------------------------------------------------------------------------------
@pytest.mark.parametrize("name, kwargs", CONFIG_CASES)
def test_config_round_trip(name, kwargs):
    layer = getattr(layers, name)(**kwargs)
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(restored) is type(layer) and restored.get_config() == config


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs", CONFIG_CASES)
def test_config_has_the_keys_and_values_of_keras(name, kwargs):
    real = import_keras()
    ours = getattr(layers, name)(**kwargs).get_config()
    theirs = getattr(real.layers, name)(**kwargs).get_config()
    assert set(ours) == set(theirs)
    for key in set(ours) - {"name", "dtype"}:
        value = theirs[key]
        assert ours[key] == (list(value) if isinstance(ours[key], list) else value), key


# --- Rescaling, Resizing, CenterCrop ------------------------------------------------------
@pytest.mark.parity
def test_rescaling_matches_keras(rng):
    real = import_keras()
    x = pictures(rng, 2, 4, 4, 3)
    assert_close_to_keras(layers.Rescaling(1 / 127.5, offset=-1), real.layers.Rescaling(
        1 / 127.5, offset=-1), x)
    per_channel = np.array([1.0, 0.5, 0.25], "float32")
    assert_close_to_keras(layers.Rescaling(per_channel), real.layers.Rescaling(per_channel), x)
    ints = rng.integers(0, 255, size=(2, 3, 3, 1))
    assert layers.Rescaling(0.5)(ints).dtype == "float32"


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [dict(), dict(interpolation="nearest"),
                                    dict(crop_to_aspect_ratio=True),
                                    dict(pad_to_aspect_ratio=True, fill_value=7.0)])
def test_resizing_matches_keras(rng, kwargs):
    real = import_keras()
    x = pictures(rng, 2, 9, 7, 3)
    assert_close_to_keras(layers.Resizing(4, 5, **kwargs), real.layers.Resizing(4, 5, **kwargs),
                          x)
    assert_close_to_keras(layers.Resizing(12, 5, **kwargs), real.layers.Resizing(12, 5, **kwargs),
                          x[0])


@pytest.mark.parity
@pytest.mark.parametrize("size", [(4, 5), (9, 3), (12, 5), (12, 12), (3, 10)])
def test_center_crop_matches_keras_also_when_the_target_is_larger(rng, size):
    real = import_keras()
    x = pictures(rng, 2, 9, 7, 3)
    assert_close_to_keras(layers.CenterCrop(*size), real.layers.CenterCrop(*size), x)
    first = np.moveaxis(x, -1, 1)
    assert_close_to_keras(layers.CenterCrop(*size, data_format="channels_first"),
                          real.layers.CenterCrop(*size, data_format="channels_first"), first)


def test_center_crop_takes_the_middle_window():
    x = np.arange(36.0).reshape(6, 6, 1)
    np.testing.assert_array_equal(layers.CenterCrop(2, 4)(x).numpy()[..., 0],
                                  x[2:4, 1:5, 0])


def test_resizing_errors_and_output_shapes():
    with pytest.raises(ValueError, match="bicubic"):
        layers.Resizing(4, 4, interpolation="bicubic")
    with pytest.raises(ValueError, match="antialias"):
        layers.Resizing(4, 4, antialias=True)
    assert layers.Resizing(4, 5)(keras.Input((9, 7, 3))).shape == (None, 4, 5, 3)
    assert layers.CenterCrop(4, 5, data_format="channels_first")(
        keras.Input((3, 9, 7))).shape == (None, 3, 4, 5)
    with pytest.raises(ValueError, match="rank 3"):
        layers.CenterCrop(2, 2)(np.ones((4, 4), "float32"))


# --- RandomFlip ------------------------------------------------------------------------------
def test_random_flip_flips_exactly_and_only_in_training(rng):
    x = pictures(rng, 64, 3, 4, 2)
    for mode, flipped in [("horizontal", x[:, :, ::-1]), ("vertical", x[:, ::-1]),
                          ("horizontal_and_vertical", x[:, ::-1, ::-1])]:
        layer = layers.RandomFlip(mode, seed=1)
        out = layer(x).numpy()  # called directly: training defaults to True, as in Keras
        same = (out == x).all(axis=(1, 2, 3))
        turned = (out == flipped).all(axis=(1, 2, 3))
        assert (same | turned).all() and same.any() and turned.any(), mode
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


def test_random_flip_is_reproducible_with_a_seed(rng):
    x = pictures(rng, 16, 3, 3, 1)
    first = layers.RandomFlip(seed=7)
    second = layers.RandomFlip(seed=7)
    for _ in range(2):
        np.testing.assert_array_equal(first(x).numpy(), second(x).numpy())
    with pytest.raises(ValueError, match="invalid mode"):
        layers.RandomFlip("diagonal")


def _stream_state(layer):
    return str(layer.generator.state.numpy())  # [seed, draws so far], as in Keras


def test_augmentation_in_fit_not_in_predict(rng):
    x = pictures(rng, 8, 8, 8, 3)
    y = rng.normal(size=(8, 1)).astype("float32")
    flip = layers.RandomFlip(seed=0)
    rotate = layers.RandomRotation(0.1, seed=0)
    inputs = keras.Input((8, 8, 3))
    h = layers.Conv2D(2, 3)(rotate(flip(layers.Rescaling(1 / 255)(inputs))))
    model = keras.Model(inputs, layers.Dense(1)(layers.Flatten()(h)))
    model.compile(optimizer="sgd", loss="mse")
    before = _stream_state(flip), _stream_state(rotate)
    predicted = model.predict(x, verbose=0)
    assert (_stream_state(flip), _stream_state(rotate)) == before  # no draws at inference
    no_augmentation = model(layers.Rescaling(1)(x), training=False).numpy()
    np.testing.assert_allclose(predicted, no_augmentation, rtol=1e-5, atol=1e-6)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert _stream_state(flip) != before[0] and _stream_state(rotate) != before[1]


def test_model_with_augmentation_saves_and_loads(rng, tmp_path):
    inputs = keras.Input((6, 6, 1))
    h = layers.RandomZoom(0.2, seed=1)(layers.RandomFlip("horizontal")(inputs))
    h = layers.CenterCrop(4, 4)(layers.Resizing(8, 8)(h))
    model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(h)))
    model.save(tmp_path / "augment.keras")
    loaded = keras.models.load_model(tmp_path / "augment.keras")
    x = pictures(rng, 3, 6, 6, 1)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert loaded.layers[1].get_config()["mode"] == "horizontal"


# --- RandomRotation, RandomZoom, RandomTranslation -------------------------------------------
def test_rotation_by_a_quarter_turn_is_rot90(rng):
    x = rng.normal(size=(2, 8, 8, 3)).astype("float32")
    out = layers.RandomRotation((0.25, 0.25), fill_mode="constant")(x).numpy()
    np.testing.assert_allclose(out, np.rot90(x, 1, axes=(1, 2)), atol=1e-5)
    first = np.moveaxis(x, -1, 1)
    out = layers.RandomRotation((0.25, 0.25), data_format="channels_first")(first).numpy()
    np.testing.assert_allclose(out, np.rot90(first, 1, axes=(2, 3)), atol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("name, args, kwargs", [
    ("RandomRotation", ((0.1, 0.1),), dict(fill_mode="reflect")),
    ("RandomRotation", ((-0.3, -0.3),), dict(fill_mode="wrap", interpolation="nearest")),
    ("RandomZoom", ((0.5, 0.5), (-0.3, -0.3)), dict(fill_mode="constant", fill_value=3.0)),
    ("RandomZoom", ((-0.4, -0.4),), dict(fill_mode="nearest")),
    ("RandomTranslation", ((0.2, 0.2), (-0.3, -0.3)), dict()),
    ("RandomTranslation", ((-0.25, -0.25), (0.5, 0.5)), dict(fill_mode="constant")),
])
def test_fixed_affine_augmentations_match_keras(rng, name, args, kwargs):
    real = import_keras()
    x = pictures(rng, 2, 9, 7, 3)
    ours = getattr(layers, name)(*args, **kwargs)
    theirs = getattr(real.layers, name)(*args, **kwargs)
    assert_close_to_keras(ours, theirs, x)
    assert_close_to_keras(ours, theirs, x[0])


@pytest.mark.parametrize("layer", [
    lambda: layers.RandomRotation(0.2, seed=3), lambda: layers.RandomZoom(0.3, seed=3),
    lambda: layers.RandomTranslation(0.2, 0.3, seed=3)])
def test_affine_augmentations_inference_identity_and_seeded_training(rng, layer):
    x = pictures(rng, 4, 7, 6, 2)
    first, second = layer(), layer()
    np.testing.assert_array_equal(first(x, training=False).numpy(), x)
    trained = first(x, training=True).numpy()
    assert trained.shape == x.shape and not np.allclose(trained, x)
    np.testing.assert_array_equal(second(x, training=True).numpy(), trained)
    assert first(keras.Input((7, 6, 2))).shape == (None, 7, 6, 2)


def test_affine_augmentation_errors():
    with pytest.raises(NotImplementedError, match="mirror"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(NotImplementedError, match="bicubic"):
        layers.RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="factor"):
        layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match=r"\(-1.0, 1.0\]"):
        layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match="width_factor"):
        layers.RandomTranslation(0.1, (0.1, 0.2, 0.3))


# --- RandomCrop, RandomContrast, RandomBrightness --------------------------------------------
def test_random_crop_training_takes_a_window_of_the_input(rng):
    x = np.arange(2 * 6 * 8, dtype="float32").reshape(2, 6, 8, 1)
    layer = layers.RandomCrop(3, 4, seed=2)
    seen = set()
    for _ in range(10):
        out = layer(x).numpy()
        top, left = divmod(int(out[0, 0, 0, 0]), 8)
        np.testing.assert_array_equal(out, x[:, top:top + 3, left:left + 4])
        seen.add((top, left))
    assert len(seen) > 1
    assert layer(keras.Input((6, 8, 1))).shape == (None, 3, 4, 1)


@pytest.mark.parity
def test_random_crop_inference_is_the_documented_centre_crop_and_resize(rng):
    real = import_keras()
    x = pictures(rng, 2, 6, 9, 3)
    got = layers.RandomCrop(4, 4)(x, training=False)
    want = real.ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True)
    np.testing.assert_allclose(got.numpy(), np.asarray(want), rtol=1e-5, atol=1e-4)
    # Too small to crop: resized to the target even in training.
    assert layers.RandomCrop(8, 10)(x).shape == (2, 8, 10, 3)


def test_random_contrast_scales_deviations_from_the_mean(rng):
    x = pictures(rng, 6, 5, 5, 3) / 255
    out = layers.RandomContrast((0.3, 0.3), value_range=(-10, 10), seed=1)(x).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    factor = (out - mean) / (x - mean)
    per_image = factor.reshape(6, -1)
    np.testing.assert_allclose(per_image, per_image[:, :1] * np.ones_like(per_image),
                               rtol=1e-3)
    assert ((per_image >= 0.7 - 1e-4) & (per_image <= 1.3 + 1e-4)).all()
    clipped = layers.RandomContrast(0.9, value_range=(0.2, 0.8))(x).numpy()
    assert clipped.min() >= 0.2 and clipped.max() <= 0.8
    np.testing.assert_array_equal(layers.RandomContrast(0.5)(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        layers.RandomContrast(-0.5)


@pytest.mark.parity
def test_random_brightness_with_a_fixed_factor_matches_keras(rng):
    real = import_keras()
    x = pictures(rng, 3, 4, 4, 3)
    assert_close_to_keras(layers.RandomBrightness((0.1, 0.1)),
                          real.layers.RandomBrightness((0.1, 0.1)), x)
    assert_close_to_keras(layers.RandomBrightness((-0.4, -0.4), value_range=(0, 1)),
                          real.layers.RandomBrightness((-0.4, -0.4), value_range=(0, 1)),
                          x / 255)
    np.testing.assert_array_equal(layers.RandomBrightness(0.5)(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomBrightness(0.1, value_range=255)
