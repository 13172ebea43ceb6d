"""Arithmetic with NumPy broadcasting, Python operators on tensors, reused inputs."""

import numpy as np
import pytest

import kerlite
from kerlite import ops
from kerlite.testing import check_grad

BINARY = {
    "add": (ops.add, np.add),
    "subtract": (ops.subtract, np.subtract),
    "multiply": (ops.multiply, np.multiply),
    "divide": (ops.divide, np.divide),
    "maximum": (ops.maximum, np.maximum),
    "minimum": (ops.minimum, np.minimum),
    "power": (ops.power, np.power),
    "mod": (ops.mod, np.mod),
}

SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)),
          ((4,), (2, 3, 4)), ((3, 4), ())]


def _inputs(name, shape_a, shape_b, rng):
    a = rng.uniform(0.5, 2.0, shape_a)  # positive: power and mod are smooth there
    b = rng.uniform(0.5, 2.0, shape_b)
    if name in ("maximum", "minimum"):
        b = b + 0.013  # no ties
    if name == "mod":
        a, b = a + 3.0, b + 0.1
    return a, b


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_forward_and_gradient(name, shapes, rng, xp):
    op, reference = BINARY[name]
    a, b = _inputs(name, *shapes, rng)
    out = op(xp.asarray(a), xp.asarray(b))
    np.testing.assert_allclose(ops.convert_to_numpy(out), reference(a, b), rtol=1e-6)
    check_grad(op, xp.asarray(a), xp.asarray(b))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_python_number_operand_keeps_dtype_and_gradient(name):
    op, reference = BINARY[name]
    x = np.array([[1.5, 2.5], [3.5, 0.75]], dtype="float32")
    assert op(x, 2.0).dtype == "float32"
    assert op(3, x).dtype == "float32"
    np.testing.assert_allclose(op(x, 2.0).numpy(), reference(x, np.float32(2.0)), rtol=1e-6)
    check_grad(lambda t: op(t, 1.3), x.astype("float64"))
    check_grad(lambda t: op(2.9, t), x.astype("float64") + 0.5)


def test_python_operators_match_ops():
    a = kerlite.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([0.5, 2.0], dtype="float32")
    checks = {
        "+": (a + b, a.numpy() + b), "r+": (b + a, b + a.numpy()),
        "-": (a - b, a.numpy() - b), "r-": (1 - a, 1 - a.numpy()),
        "*": (a * 3, a.numpy() * 3), "/": (a / b, a.numpy() / b),
        "r/": (1 / a, 1 / a.numpy()), "**": (a ** 2, a.numpy() ** 2),
        "r**": (2 ** a, 2 ** a.numpy()), "neg": (-a, -a.numpy()), "abs": (abs(-a), a.numpy()),
        "@": (a @ a, a.numpy() @ a.numpy()), "//": (a // 2, a.numpy() // 2),
        "%": (a % 3, a.numpy() % 3),
    }
    for symbol, (got, want) in checks.items():
        assert isinstance(got, kerlite.Tensor), symbol
        assert got.dtype == "float32", symbol
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, err_msg=symbol)


def test_reused_inputs_accumulate_gradients():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    check_grad(lambda t: t * t, x)
    check_grad(lambda t: ops.tanh(t) + t, x)
    check_grad(lambda t: t / (1 + t * t), x)
    check_grad(lambda t: ops.sum(t) * t - ops.mean(t * t, axis=0), x)
    check_grad(lambda t, u: ops.maximum(t, u) * ops.minimum(t, u) + t, x, x[::-1] + 0.01)


def test_integer_and_float_tensors_promote_like_keras():
    i = np.array([1, 2, 3], dtype="int32")
    f = np.array([0.5, 0.5, 0.5], dtype="float32")
    assert ops.add(i, f).dtype == "float32"
    assert ops.multiply(f, i).dtype == "float32"
    assert ops.divide(i, i).dtype == "float32"
    assert ops.add(i, i).dtype == "int32"
    assert ops.add(i, 2).dtype == "int32"
    assert ops.multiply(i, 0.5).dtype == "float32"


def test_maximum_splits_gradient_at_ties():
    x = kerlite.ops.convert_to_tensor([1.0, 2.0])
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        y = ops.maximum(x, 1.0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.5, 1.0])


def test_mismatched_shapes_raise_value_error():
    with pytest.raises(ValueError):
        ops.add(np.ones((2, 3)), np.ones((4,)))
