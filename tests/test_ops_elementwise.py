"""Elementwise ops and activations: values against NumPy, gradients against finite
differences, on every array module the ``xp`` fixture provides."""

import numpy as np
import pytest

from _op_cases import UNARY
from kerlite import ops
from kerlite.testing import check_grad


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_forward_matches_numpy(name, xp):
    call, reference, x = UNARY[name]
    out = call(ops, xp.asarray(x))
    np.testing.assert_allclose(ops.convert_to_numpy(out), reference(x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradient(name, xp):
    call, _, x = UNARY[name]
    check_grad(lambda t: call(ops, t), xp.asarray(x))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "softplus", "silu", "elu", "selu",
                                  "gelu", "log_sigmoid", "tanh", "softsign", "mish"])
def test_activation_extreme_inputs_stay_finite(name):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype="float32")
    with np.errstate(over="raise", invalid="raise"):
        out = getattr(ops, name)(x).numpy()
    assert np.all(np.isfinite(out)), out
    assert out.dtype == np.float32


def test_relu_of_negative_is_plain_zero():
    assert str(ops.relu(np.array([-1.0, 2.0], "float32")).numpy()) == "[0. 2.]"


def test_integer_input_gives_floatx():
    assert ops.exp(np.array([1, 2], dtype="int32")).dtype == "float32"
    assert ops.sigmoid(np.array([1, 2], dtype="int32")).dtype == "float32"
    assert ops.mean(np.array([1, 2], dtype="int32")).dtype == "float32"


def test_rounding_and_sign_are_not_differentiable_but_work():
    x = np.array([-1.5, -0.4, 0.0, 0.5, 2.5])
    np.testing.assert_array_equal(ops.floor(x).numpy(), np.floor(x))
    np.testing.assert_array_equal(ops.ceil(x).numpy(), np.ceil(x))
    np.testing.assert_array_equal(ops.round(x).numpy(), np.round(x))
    np.testing.assert_array_equal(ops.sign(x).numpy(), np.sign(x))


def test_exact_gelu_without_scipy(monkeypatch):
    """NumPy has no erf; without SciPy, gelu(approximate=False) falls back to math.erf."""
    import sys

    monkeypatch.setitem(sys.modules, "scipy.special", None)  # `import` now fails
    x = np.array([-1.5, 0.2, 2.0], dtype="float32")
    out = ops.gelu(x, approximate=False)
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), [-0.10021, 0.11585, 1.95450], atol=1e-5)
