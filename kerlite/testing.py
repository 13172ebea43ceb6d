"""Checking gradients against finite differences: ``check_grad(fn, *inputs)``.

The universal test of a backward rule (Chainer's ``gradient_check`` idea): compare the
gradient the tape computes with a numerical estimate from two extra forward passes per
input entry,

    d f / d x_i  ~  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

in float64, so the estimate is accurate to about eps**2. To turn an output of any shape
into one number, ``check_grad`` takes the sum of ``fn(...) * R`` for a fixed random R:
every output entry then counts, with its own weight.

    from kerlite.testing import check_grad
    check_grad(lambda x: ops.tanh(x) * x, np.random.randn(3, 4))
"""

import numpy

from kerlite import arrays
from kerlite.autodiff.gradients import GradientTape
from kerlite.autodiff.tensor import Tensor


def check_grad(fn, *inputs, eps=1e-6, atol=1e-6, rtol=1e-5, seed=0):
    """Assert that the tape's gradients of ``fn`` match central finite differences.

    Args:
        fn: a function of tensors returning a Tensor (or a list/tuple of Tensors).
        *inputs: arrays, nested lists or Tensors. Float inputs are copied as float64
            and checked; integer or boolean inputs (indices, masks) are passed as they are.
        eps: the finite-difference step.
        atol, rtol: allowed difference: |analytic - numeric| <= atol + rtol * |numeric|.
        seed: seed of the random weights that reduce the output to one number.

    Returns:
        For each input, the largest |analytic - numeric| difference found (a float), or
        None for inputs that were not checked: handy to print in a lesson.

    Raises:
        AssertionError naming the input, the largest error and where it is.
    """
    tensors = [_as_float64(x) for x in inputs]
    checked = [i for i, t in enumerate(tensors) if t.data.dtype == numpy.float64
               or t.data.dtype.name == "float64"]
    if not checked:
        raise ValueError("check_grad: no float input to check; pass float arrays.")

    with GradientTape() as tape:
        for i in checked:
            tape.watch(tensors[i])
        outputs = _as_list(fn(*tensors))
        for k, out in enumerate(outputs):
            if out.dtype != "float64":
                raise AssertionError(
                    f"check_grad: output {k} of {_name(fn)} is {out.dtype}, not float64: "
                    "an op changed the dtype of its float64 input (look for a float32 "
                    "constant)."
                )
        rng = numpy.random.default_rng(seed)
        weights = [_like(rng.standard_normal(out.shape), out.data) for out in outputs]
        total = _weighted_sum(outputs, weights)
    grads = tape.gradient(total, [tensors[i] for i in checked])

    results = [None] * len(tensors)
    for i, grad in zip(checked, grads):
        analytic = (numpy.zeros(tensors[i].shape) if grad is None
                    else arrays.to_numpy(grad.data).astype(numpy.float64))
        if analytic.shape != tensors[i].shape:
            raise AssertionError(
                f"check_grad: gradient of input {i} has shape {analytic.shape}, but the "
                f"input has shape {tensors[i].shape}."
            )
        numeric = _numeric_gradient(fn, tensors, i, weights, eps)
        _compare(fn, i, analytic, numeric, atol, rtol, grad is None)
        results[i] = float(numpy.abs(analytic - numeric).max(initial=0.0))
    return results


def _as_float64(value):
    data = value.data if isinstance(value, Tensor) else value
    if not hasattr(data, "dtype"):
        data = numpy.asarray(data)
    if data.dtype.kind == "f":
        # C order: _numeric_gradient perturbs the input through a flat view of it
        data = data.astype("float64", order="C")
    return Tensor(arrays.convert_to_array(data))


def _as_list(result):
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, (list, tuple)) and all(isinstance(r, Tensor) for r in result):
        return list(result)
    raise TypeError(
        f"check_grad: the function must return a Tensor or a list of Tensors, not "
        f"{type(result).__name__}. Use kerlite.ops inside it."
    )


def _like(array, data):
    """``array`` moved to the device of ``data``."""
    return arrays.get_array_module(data).asarray(array)


def _weighted_sum(outputs, weights):
    from kerlite import ops

    total = None
    for out, weight in zip(outputs, weights):
        part = ops.sum(ops.multiply(out, Tensor(weight)))
        total = part if total is None else ops.add(total, part)
    return total


def _numeric_gradient(fn, tensors, index, weights, eps):
    data = tensors[index].data
    flat = data.reshape(-1)  # a view (the data is C-contiguous): changing it changes the input
    numeric = numpy.zeros(data.size)
    for k in range(data.size):
        original = float(flat[k])
        values = []
        for step in (eps, -eps):
            flat[k] = original + step
            outputs = _as_list(fn(*tensors))
            values.append(sum(float((out.data * w).sum()) for out, w in zip(outputs, weights)))
        flat[k] = original
        numeric[k] = (values[0] - values[1]) / (2 * eps)
    return numeric.reshape(data.shape)


def _compare(fn, index, analytic, numeric, atol, rtol, was_none):
    error = numpy.abs(analytic - numeric)
    allowed = atol + rtol * numpy.abs(numeric)
    if numpy.all(error <= allowed):
        return
    where = numpy.unravel_index(numpy.argmax(error - allowed), error.shape)
    note = " (the tape returned None: no gradient reached this input)" if was_none else ""
    raise AssertionError(
        f"check_grad: gradient of input {index} of {_name(fn)} is wrong{note}.\n"
        f"  max |analytic - numeric| = {error.max():.3g} at index {tuple(map(int, where))}: "
        f"analytic {analytic[where]:.6g}, numeric {numeric[where]:.6g} "
        f"(allowed atol={atol}, rtol={rtol}).\n"
        f"  {int((error > allowed).sum())} of {error.size} entries differ."
    )


def _name(fn):
    return getattr(fn, "__name__", repr(fn))
