"""keras.ops.image: resize and affine_transform, against Keras 3 (JAX) and by gradients."""

import numpy as np
import pytest
from _keras_reference import import_keras

import kerlite as keras
from kerlite.ops import image
from kerlite.testing import check_grad

# (a0, a1, a2, b0, b1, b2, c0, c1): a shear-rotation with offsets, and a 1.5x zoom whose
# "nearest" sampling lands exactly on half pixels (ties round away from zero, as JAX).
TRANSFORMS = np.array([[0.9, 0.3, -1.2, -0.25, 1.1, 0.7, 0, 0],
                       [1.5, 0.0, -2.0, 0.0, 1.5, -2.3, 0, 0]], dtype="float32")


def images(rng, *shape):
    return rng.normal(size=shape).astype("float32")


# --- resize ------------------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", [(10, 14), (3, 4), (8, 3), (1, 1)])
@pytest.mark.parametrize("aspect", [{}, {"crop_to_aspect_ratio": True},
                                    {"pad_to_aspect_ratio": True, "fill_value": 2.0}])
def test_resize_matches_keras(rng, interpolation, size, aspect):
    real = import_keras()
    x = images(rng, 2, 5, 7, 3)
    want = np.asarray(real.ops.image.resize(x, size, interpolation=interpolation, **aspect))
    got = image.resize(x, size, interpolation=interpolation, **aspect)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parity
def test_resize_unbatched_and_channels_first_match_keras(rng):
    real = import_keras()
    single = images(rng, 6, 4, 2)
    np.testing.assert_allclose(image.resize(single, (9, 3)).numpy(),
                               np.asarray(real.ops.image.resize(single, (9, 3))), atol=1e-5)
    first = images(rng, 2, 3, 5, 7)
    got = image.resize(first, (4, 9), data_format="channels_first")
    want = real.ops.image.resize(first, (4, 9), data_format="channels_first")
    assert got.shape == (2, 3, 4, 9)
    np.testing.assert_allclose(got.numpy(), np.asarray(want), atol=1e-5)


def test_resize_uses_half_pixel_centres():
    # Doubling [0, 1]: outputs sit at input positions -0.25, 0.25, 0.75, 1.25, clamped.
    x = np.array([0.0, 1.0], dtype="float32").reshape(1, 2, 1)
    np.testing.assert_allclose(image.resize(x, (1, 4)).numpy().ravel(),
                               [0.0, 0.25, 0.75, 1.0])
    assert image.resize(x, (1, 4), interpolation="nearest").numpy().ravel().tolist() == [
        0, 0, 1, 1]


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_resize_gradient(rng, interpolation):
    x = rng.normal(size=(2, 4, 5, 2))
    check_grad(lambda t: image.resize(t, (7, 3), interpolation=interpolation), x)
    check_grad(lambda t: image.resize(t, (3, 3), crop_to_aspect_ratio=True), x)
    check_grad(lambda t: image.resize(t, (3, 9), pad_to_aspect_ratio=True, fill_value=1.0),
               x)


def test_resize_errors(rng):
    x = images(rng, 1, 4, 4, 1)
    with pytest.raises(ValueError, match="bicubic"):
        image.resize(x, (2, 2), interpolation="bicubic")
    with pytest.raises(ValueError, match="antialias"):
        image.resize(x, (2, 2), antialias=True)
    with pytest.raises(ValueError, match="Only one of"):
        image.resize(x, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="two elements"):
        image.resize(x, (2, 2, 2))
    with pytest.raises(ValueError, match="rank 3"):
        image.resize(x[0, 0], (2, 2))
    with pytest.raises(ValueError, match="fill_mode"):
        image.resize(x, (2, 2), fill_mode="reflect")


def test_resize_on_symbolic_input_builds_a_model(rng):
    inputs = keras.Input((8, 6, 3))
    outputs = image.resize(inputs, (4, 3))
    assert outputs.shape == (None, 4, 3, 3)
    model = keras.Model(inputs, outputs)
    x = images(rng, 2, 8, 6, 3)
    np.testing.assert_allclose(model(x).numpy(), image.resize(x, (4, 3)).numpy())


# --- affine_transform ------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform_matches_keras(rng, interpolation, fill_mode):
    real = import_keras()
    x = images(rng, 2, 6, 5, 2)
    kwargs = dict(interpolation=interpolation, fill_mode=fill_mode, fill_value=0.5)
    want = np.asarray(real.ops.image.affine_transform(x, TRANSFORMS, **kwargs))
    got = image.affine_transform(x, TRANSFORMS, **kwargs)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parity
def test_affine_transform_unbatched_and_channels_first_match_keras(rng):
    real = import_keras()
    single = images(rng, 6, 5, 2)
    np.testing.assert_allclose(
        image.affine_transform(single, TRANSFORMS[0]).numpy(),
        np.asarray(real.ops.image.affine_transform(single, TRANSFORMS[0])), atol=1e-5)
    first = images(rng, 2, 3, 6, 5)
    got = image.affine_transform(first, TRANSFORMS, data_format="channels_first")
    want = real.ops.image.affine_transform(first, TRANSFORMS, data_format="channels_first")
    np.testing.assert_allclose(got.numpy(), np.asarray(want), atol=1e-5)


def test_affine_transform_identity_and_fill_modes_on_a_shift():
    row = np.arange(1.0, 5.0, dtype="float32").reshape(1, 4, 1)  # [1 2 3 4]
    shift_left = np.array([1, 0, -2, 0, 1, 0, 0, 0], dtype="float32")  # out x reads x - 2
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype="float32")
    np.testing.assert_array_equal(image.affine_transform(row, identity).numpy(), row)
    expected = {"constant": [9, 9, 1, 2], "nearest": [1, 1, 1, 2], "wrap": [3, 4, 1, 2],
                "reflect": [2, 1, 1, 2], "mirror": [3, 2, 1, 2]}
    for mode, values in expected.items():
        out = image.affine_transform(row, shift_left, fill_mode=mode, fill_value=9)
        assert out.numpy().ravel().tolist() == values, mode


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "reflect", "wrap"])
def test_affine_transform_gradient(rng, interpolation, fill_mode):
    x = rng.normal(size=(2, 5, 4, 2))
    # Non-integer coordinates away from "nearest" ties, so the function is smooth here.
    transforms = np.array([[0.93, 0.21, -0.63, -0.17, 1.08, 0.41, 0, 0],
                           [1.31, 0.0, -1.13, 0.0, 0.77, 0.61, 0, 0]])
    check_grad(lambda t: image.affine_transform(t, transforms, interpolation=interpolation,
                                                fill_mode=fill_mode, fill_value=0.3), x)


def test_affine_transform_errors(rng):
    x = images(rng, 1, 4, 4, 1)
    with pytest.raises(ValueError, match="interpolation"):
        image.affine_transform(x, TRANSFORMS[0], interpolation="bicubic")
    with pytest.raises(ValueError, match="fill_mode"):
        image.affine_transform(x, TRANSFORMS[0], fill_mode="edge")
    with pytest.raises(ValueError, match=r"shape \(8,\) or \(batch, 8\)"):
        image.affine_transform(x, np.ones(6, "float32"))
    with pytest.raises(ValueError, match="rank 3"):
        image.affine_transform(x[0, 0], TRANSFORMS[0])


def test_a_model_using_ops_image_on_symbolic_inputs_saves_and_loads(tmp_path):
    inputs = keras.Input((8, 8, 3))
    resized = keras.ops.image.resize(inputs, (4, 4))
    model = keras.Model(inputs, keras.layers.Flatten()(resized))
    lines = []
    model.summary(print_fn=lines.append)
    assert "resize (Resize)" in lines[0]  # named as Keras names the op
    path = tmp_path / "resize.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
