"""Checks for lesson 11 (GPU with CuPy): an op with its backward rule, and weight norms computed
where the weights live."""

import numpy as np

import kerlite as keras
from kerlite import layers, ops
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.registry import exercise
from kerlite.testing import check_grad


@exercise("11.cube")
def cube(cube_function):
    """``cube(t)``: t³ computed with the input's array module, with its backward rule 3t²."""
    expect(callable(cube_function), "cube must be a function of one tensor")
    points = np.array([[-1.5, 0.0], [0.5, 2.0]], dtype="float32")
    result = answered(cube_function(points))
    values = ops.convert_to_numpy(result)
    expect(np.allclose(values, points ** 3), "the forward values are not t ** 3")
    expect(str(values.dtype) == "float32", f"float32 in, {values.dtype} out: compute with the "
                                           f"input's own array (xp.power(t.data, 3))")
    try:
        check_grad(cube_function, points.astype("float64"))
    except AssertionError:
        expect(False, "the gradient is wrong: backward(g) must return a tuple with g times the "
                      "derivative, 3·t², for the one input t")
    return "t³ forward, 3t² backward: check_grad agrees with finite differences"


@exercise("11.weight_norms")
def weight_norms(norms_function):
    """``weight_norms(model)``: {variable.path: its L2 norm as a Python float}."""
    expect(callable(norms_function), "weight_norms must be a function of a model")
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(4, name="first"),
                              layers.Dense(2, name="second")])
    norms = answered(norms_function(model))
    expect(isinstance(norms, dict), f"return a dict, not a {type(norms).__name__}")
    expect(list(norms) == [variable.path for variable in model.weights],
           "the keys are the variables' paths (variable.path), in the order of model.weights")
    expect(all(type(value) is float for value in norms.values()),
           "each value should be one Python float: float(...) moves one number to the host")
    expected = [float(np.linalg.norm(weight)) for weight in model.get_weights()]
    expect(np.allclose(list(norms.values()), expected, rtol=1e-4),
           "the values are not the L2 norms: the square root of the sum of the squared weights")
    return "one float per weight, computed where the weights live"
