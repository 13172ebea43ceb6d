"""Initializers: Keras names and defaults, the variance-scaling formulas, seeding."""

import math
import os

import numpy as np
import pytest

import kerlite as keras
from kerlite import initializers


def values(initializer, shape=(200, 300), dtype="float32"):
    return np.asarray(initializers.get(initializer)(shape, dtype=dtype))


@pytest.mark.parametrize("name,limit_or_std,kind", [
    ("glorot_uniform", math.sqrt(6 / 500), "uniform"),
    ("he_uniform", math.sqrt(6 / 200), "uniform"),
    ("lecun_uniform", math.sqrt(3 / 200), "uniform"),
    ("glorot_normal", math.sqrt(2 / 500), "normal"),
    ("he_normal", math.sqrt(2 / 200), "normal"),
    ("lecun_normal", math.sqrt(1 / 200), "normal"),
])
def test_variance_scaling_family(name, limit_or_std, kind):
    w = values(name)
    assert w.shape == (200, 300) and w.dtype == np.float32
    if kind == "uniform":
        assert np.abs(w).max() <= limit_or_std
        assert abs(w.std() - limit_or_std / math.sqrt(3)) < 0.02 * limit_or_std
    else:  # truncated normal rescaled to the target standard deviation
        assert abs(w.std() - limit_or_std) < 0.03 * limit_or_std
        assert np.abs(w).max() <= 2 * limit_or_std / 0.87962566103423978 + 1e-6


def test_fans_of_convolution_kernels():
    from kerlite.initializers.random_initializers import compute_fans

    assert compute_fans((3, 3, 16, 32)) == (144, 288)
    assert compute_fans((5,)) == (5, 5)
    assert compute_fans(()) == (1, 1)


def test_constant_family_and_defaults():
    np.testing.assert_array_equal(values("zeros", (2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(values("ones", (2,)), np.ones(2))
    np.testing.assert_array_equal(np.asarray(initializers.Constant(3.5)((2, 2))), np.full((2, 2), 3.5))
    np.testing.assert_array_equal(np.asarray(initializers.Identity(2.0)((2, 3))), 2 * np.eye(2, 3))
    assert initializers.RandomNormal().stddev == 0.05
    assert (initializers.RandomUniform().minval, initializers.RandomUniform().maxval) == (-0.05, 0.05)
    w = values("random_uniform")
    assert w.min() >= -0.05 and w.max() < 0.05
    assert abs(values("truncated_normal").std() - 0.05 * 0.8796) < 0.003
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))


def test_orthogonal_is_orthogonal():
    w = np.asarray(initializers.Orthogonal(gain=2.0, seed=1)((6, 4)), dtype="float64")
    np.testing.assert_allclose(w.T @ w, 4 * np.eye(4), atol=1e-5)
    wide = np.asarray(initializers.get("orthogonal")((3, 5)), dtype="float64")
    np.testing.assert_allclose(wide @ wide.T, np.eye(3), atol=1e-5)


def test_seeded_initializers_repeat_and_global_seed_controls_unseeded():
    seeded = initializers.GlorotUniform(seed=7)
    np.testing.assert_array_equal(np.asarray(seeded((3, 3))), np.asarray(seeded((3, 3))))
    keras.utils.set_random_seed(1)
    first = values("glorot_uniform", (4, 4))
    keras.utils.set_random_seed(1)
    np.testing.assert_array_equal(first, values("glorot_uniform", (4, 4)))
    assert not np.array_equal(first, values("glorot_uniform", (4, 4)))


def test_get_accepts_names_classes_instances_configs_and_callables():
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    instance = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform")
    assert initializers.get(instance) is instance
    config = initializers.serialize(instance)
    assert config["class_name"] == "VarianceScaling" and config["module"] == "keras.initializers"
    clone = initializers.get(config)
    assert (clone.scale, clone.mode, clone.distribution) == (2.0, "fan_out", "uniform")
    custom = lambda shape, dtype=None: np.full(shape, 7.0)  # noqa: E731
    assert initializers.get(custom) is custom
    assert initializers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="Invalid `mode`"):
        initializers.VarianceScaling(mode="fan")


def test_dense_uses_its_initializers():
    dense = keras.layers.Dense(3, kernel_initializer=initializers.Constant(0.5),
                               bias_initializer="ones")
    dense.build((None, 2))
    kernel, bias = dense.get_weights()
    np.testing.assert_array_equal(kernel, np.full((2, 3), 0.5))
    np.testing.assert_array_equal(bias, np.ones(3))


@pytest.mark.parity
def test_parity_initializer_configs_with_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    real = pytest.importorskip("keras")
    for name in ("glorot_uniform", "he_normal", "lecun_uniform", "random_normal",
                 "random_uniform", "truncated_normal", "orthogonal", "zeros", "ones"):
        theirs = real.initializers.get(name)
        ours = initializers.get(name)
        assert type(ours).__name__ == type(theirs).__name__
        their_config = theirs.get_config()
        for key, value in ours.get_config().items():
            assert their_config[key] == value, (name, key)
