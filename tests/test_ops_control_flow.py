"""cond, while_loop, fori_loop, vectorized_map: eager Python control flow with gradients."""

import numpy as np

import kerlite
from kerlite import ops
from kerlite.testing import check_grad


def test_cond_picks_a_branch_and_differentiates_it():
    x = np.array([1.0, 2.0])
    assert ops.cond(ops.greater(ops.sum(x), 0), lambda: "yes", lambda: "no") == "yes"
    assert ops.cond(False, lambda: 1, lambda: 2) == 2
    check_grad(lambda t: ops.cond(ops.sum(t) > 0, lambda: t * t, lambda: -t), x)


def test_while_loop_with_tuple_and_single_value():
    i, total = ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0))
    assert (i, total) == (5, 10)
    assert ops.while_loop(lambda v: v < 100, lambda v: v * 2, 3) == 192
    assert ops.while_loop(lambda v: True, lambda v: v + 1, 0, maximum_iterations=4) == 4
    check_grad(lambda t: ops.while_loop(lambda k, v: k < 3, lambda k, v: (k + 1, v * t),
                                        (0, t))[1], np.array([0.5, -1.5]))


def test_fori_loop():
    assert ops.fori_loop(0, 4, lambda i, v: v + i, 10) == 16
    check_grad(lambda t: ops.fori_loop(0, 3, lambda i, v: ops.sin(v) + t, t), np.array([0.3]))


def test_vectorized_map():
    x = np.arange(6.0).reshape(3, 2)
    out = ops.vectorized_map(lambda row: ops.sum(row * row), x)
    np.testing.assert_allclose(out.numpy(), (x * x).sum(axis=1))
    pairs = ops.vectorized_map(lambda ab: ab[0] * ab[1], [x, x + 1])
    np.testing.assert_allclose(pairs.numpy(), x * (x + 1))
    check_grad(lambda t: ops.vectorized_map(lambda row: ops.tanh(row) * row[0], t), x / 3)
    assert isinstance(out, kerlite.Tensor)
