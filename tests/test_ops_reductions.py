"""Reductions and the softmax family: values against NumPy, gradients against finite
differences, axis/keepdims handling."""

import numpy as np
import pytest

import kerlite
from _op_cases import REDUCTIONS
from kerlite import ops
from kerlite.testing import check_grad


def _data(rng):
    return rng.standard_normal((2, 3, 4))


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_forward_matches_numpy(name, rng, xp):
    call, reference = REDUCTIONS[name]
    x = _data(rng)
    out = call(ops, xp.asarray(x))
    want = reference(x)
    assert out.shape == np.shape(want)
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_gradient(name, rng, xp):
    call, _ = REDUCTIONS[name]
    check_grad(lambda t: call(ops, t), xp.asarray(_data(rng)))


def test_max_gradient_is_shared_between_ties():
    x = kerlite.ops.convert_to_tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        y = ops.max(x, axis=1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[0, 0.5, 0.5], [1, 0, 0]])


def test_prod_gradient_with_zeros():
    check_grad(lambda t: ops.prod(t, axis=1), np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0],
                                                        [1.5, -2.0, 0.5]]))


def test_softmax_rows_sum_to_one_and_survive_huge_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]], dtype="float32")
    out = ops.softmax(x).numpy()
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)
    assert np.all(np.isfinite(ops.log_softmax(x).numpy()))
    assert np.isfinite(ops.logsumexp(x).numpy())


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    with np.errstate(divide="ignore"):
        out = ops.logsumexp(np.array([-np.inf, -np.inf]))
    assert out.numpy() == -np.inf


def test_logical_reductions():
    x = np.array([[True, False], [True, True]])
    np.testing.assert_array_equal(ops.all(x, axis=1).numpy(), [False, True])
    np.testing.assert_array_equal(ops.any(x, axis=0).numpy(), [True, True])
    assert ops.count_nonzero(x).numpy() == 3


def test_axis_out_of_range_names_the_rank():
    with pytest.raises(ValueError, match="rank 2"):
        ops.sum(np.ones((2, 3)), axis=2)


def test_integer_sums_keep_keras_dtypes():
    assert ops.sum(np.array([1, 2], dtype="int32")).dtype == "int32"
    assert ops.sum(np.array([True, True, False])).dtype == "int32"
    assert int(ops.sum(np.array([True, True, False]))) == 2
    assert ops.prod(np.array([2, 3], dtype="int32")).dtype == "int32"
    np.testing.assert_array_equal(ops.cumsum(np.array([True, True])).numpy(), [1, 2])
    assert ops.max(np.array([1, 5], dtype="int32")).dtype == "int32"


NORMS = [({}, {}), ({"axis": 1}, {"axis": 1}), ({"ord": 1, "axis": 0}, {"ord": 1, "axis": 0}),
         ({"ord": np.inf, "axis": 1}, {"ord": np.inf, "axis": 1}),
         ({"ord": -np.inf, "axis": 1}, {"ord": -np.inf, "axis": 1}),
         ({"ord": 3, "axis": -1}, {"ord": 3, "axis": -1}),
         ({"axis": (0, 1), "keepdims": True}, {"axis": (0, 1), "keepdims": True})]


@pytest.mark.parametrize("kwargs", [n[0] for n in NORMS], ids=str)
def test_norm(kwargs, rng):
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(ops.norm(x, **kwargs).numpy(), np.linalg.norm(x, **kwargs),
                               rtol=1e-10)
    check_grad(lambda t: ops.norm(t, **kwargs), x)


def test_normalize_and_moments(rng):
    x = rng.standard_normal((3, 4))
    unit = ops.normalize(x).numpy()
    np.testing.assert_allclose(np.linalg.norm(unit, axis=-1), 1.0)
    np.testing.assert_array_equal(ops.normalize(np.zeros((1, 3))).numpy(), np.zeros((1, 3)))
    np.testing.assert_allclose(ops.normalize(x, axis=0, order=1).numpy(),
                               x / np.abs(x).sum(axis=0), rtol=1e-10)
    check_grad(lambda t: ops.normalize(t, axis=0), x)
    check_grad(lambda t: ops.normalize(t, order=1), x)
    mean, variance = ops.moments(x, axes=[0], keepdims=True)
    np.testing.assert_allclose(mean.numpy(), x.mean(axis=0, keepdims=True))
    np.testing.assert_allclose(variance.numpy(), x.var(axis=0, keepdims=True))
    check_grad(lambda t: list(ops.moments(t, axes=(0, 1))), x)
    with pytest.raises(ValueError, match="order"):
        ops.normalize(x, order=0)
