"""The gradient checker itself: it must pass right rules and catch wrong ones."""

import numpy as np
import pytest

import kerlite
from kerlite import ops
from kerlite.autodiff import record
from kerlite.testing import check_grad


def _cube_with_backward(derivative):
    def cube(x):
        return record(x.data ** 3, (x,), lambda g: (g * derivative(x.data),))
    return cube


def test_is_reachable_from_the_package():
    assert kerlite.testing.check_grad is check_grad


def test_accepts_a_correct_rule():
    errors = check_grad(_cube_with_backward(lambda v: 3 * v * v), np.array([1.0, -2.0, 0.5]))
    assert len(errors) == 1 and errors[0] < 1e-7


def test_reports_a_wrong_rule_with_input_and_position():
    wrong = _cube_with_backward(lambda v: 2 * v * v)
    with pytest.raises(AssertionError, match=r"input 0 .*\n.*at index \(1,\)"):
        check_grad(wrong, np.array([0.1, -2.0, 0.5]))


def test_reports_a_missing_gradient():
    def detached(x):
        return ops.stop_gradient(x) * 2.0

    with pytest.raises(AssertionError, match="returned None"):
        check_grad(detached, np.array([1.0, 2.0]))


def test_reports_float32_leaking_into_float64():
    def to_float32(x):
        return ops.cast(x, "float32")

    with pytest.raises(AssertionError, match="float32, not float64"):
        check_grad(to_float32, np.array([1.0]))


def test_inputs_become_float64_and_integer_inputs_pass_through():
    seen = []

    def pick(x, index):
        seen.append((x.dtype, index.dtype))
        return ops.take(x, index)

    errors = check_grad(pick, np.array([1.0, 2.0, 3.0], dtype="float32"), np.array([2, 2]))
    assert {dtypes[0] for dtypes in seen} == {"float64"}
    assert {dtypes[1] for dtypes in seen} == {"int64"}
    assert errors[0] < 1e-7 and errors[1] is None


def test_several_outputs_and_tensor_inputs():
    x = kerlite.ops.convert_to_tensor([[0.5, -1.0], [2.0, 0.25]])
    check_grad(lambda t: [ops.sin(t), ops.sum(t, axis=0)], x)
    check_grad(lambda t: (ops.exp(t), t), x)


def test_rejects_non_tensor_results():
    with pytest.raises(TypeError, match="Tensor"):
        check_grad(lambda t: t.numpy(), np.array([1.0]))


def test_non_contiguous_inputs_are_perturbed_too(rng):
    # A transposed float64 view must still be checked: a wrong rule is caught on it.
    x = rng.standard_normal((3, 4)).T
    assert check_grad(_cube_with_backward(lambda v: 3 * v * v), x)[0] < 1e-6
    with pytest.raises(AssertionError, match="input 0"):
        check_grad(_cube_with_backward(lambda v: 2 * v * v), x)
