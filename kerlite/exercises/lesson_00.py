"""Checks for lesson 00 (welcome): the chain rule, a gradient from the tape, Keras's three ways."""

import numpy as np

import kerlite as keras
from kerlite import ops
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import is_subclassed_model, require_model
from kerlite.exercises.registry import exercise


@exercise("00.chain_rule")
def chain_rule(gradients):
    """(dy/da, dy/db, dy/dc) of y = (a + b) * c at a = 2, b = -1, c = 4, worked out by hand."""
    expect(isinstance(gradients, (tuple, list)) and len(gradients) == 3,
           "give three numbers: (dy/da, dy/db, dy/dc)")
    a, b, c = (keras.Variable(value) for value in (2.0, -1.0, 4.0))
    with keras.GradientTape() as tape:
        y = (a + b) * c
    truth = [float(g) for g in tape.gradient(y, [a, b, c])]
    hints = {"a": "dy/da is off. Name the middle step s = a + b, so y = s * c; then multiply "
                  "along the path: dy/da = dy/ds · ds/da",
             "b": "dy/db is off: b enters through s = a + b exactly as a does",
             "c": "dy/dc is off: in y = s * c the derivative with respect to c is the other "
                  "factor, s = a + b"}
    for name, given, expected in zip("abc", gradients, truth):
        expect(abs(float(given) - expected) < 1e-6, hints[name])
    return f"dy/da = {truth[0]:g}, dy/db = {truth[1]:g}, dy/dc = {truth[2]:g}: the tape agrees"


@exercise("00.tape_gradient")
def tape_gradient(slope_at):
    """``slope_at(x)``: dy/dx of y = x * sin(x) + x**2, computed with a GradientTape."""
    expect(callable(slope_at), "slope_at must be a function: def slope_at(x): ...")
    for x in (-1.5, 0.0, 0.7, 2.0):
        given = answered(slope_at(ops.convert_to_tensor(x)))
        expected = np.sin(x) + x * np.cos(x) + 2 * x
        expect(abs(float(given) - expected) < 1e-4,
               f"at x = {x} your slope is {float(given):.4f}, not the true one. Inside "
               f"`with keras.GradientTape() as tape:` call tape.watch(x) first (x is not a "
               f"Variable), compute y, then return tape.gradient(y, x)")
    return "your tape's slopes match the derivative sin(x) + x·cos(x) + 2x at four points"


def _same_architecture(model, style):
    expect(model.count_params() == 4 * 16 + 16 + 16 * 3 + 3,
           f"the {style} model has {model.count_params()} parameters; a 4 → 16 → 3 network "
           f"has 4·16+16 + 16·3+3 = 131. Check the layer sizes and the input shape")
    batch = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    probabilities = np.asarray(model(batch))
    expect(probabilities.shape == (2, 3),
           f"the {style} model turns a (2, 4) batch into {probabilities.shape}, not (2, 3)")
    expect(np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5),
           f"the {style} model's outputs do not add up to 1 per sample: end with "
           f"Dense(3, activation=\"softmax\")")


@exercise("00.three_ways")
def three_ways(sequential_model, functional_model, subclassed_model):
    """The same 4 → Dense(16, relu) → Dense(3, softmax) network, written the three Keras ways."""
    for model, style, kind in ((sequential_model, "Sequential", keras.Sequential),
                               (functional_model, "functional", keras.Model),
                               (subclassed_model, "subclassed", keras.Model)):
        require_model(model, f"a {style} model")
        expect(isinstance(model, kind), f"the {style} model should be a {kind.__name__}")
    expect(not isinstance(functional_model, keras.Sequential),
           "functional_model should be made with keras.Model(inputs, outputs), not Sequential")
    expect(is_subclassed_model(subclassed_model),
           f"subclassed_model is a {type(subclassed_model).__name__} model, a graph of layers: "
           f"write your own class ...(keras.Model) that creates its layers in __init__ and "
           f"calls them in call(self, inputs), then make an instance of it")
    for model, style in ((sequential_model, "Sequential"), (functional_model, "functional")):
        _same_architecture(model, style)
    subclassed_model(np.zeros((1, 4), dtype="float32"))   # a subclassed model builds on first call
    _same_architecture(subclassed_model, "subclassed")
    return "three ways, one network: 131 parameters each, softmax over 3 classes"
