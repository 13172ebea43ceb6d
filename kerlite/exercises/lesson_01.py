"""Checks for lesson 01 (the functional API): counting parameters, wide & deep, an ensemble."""

import numpy as np

import kerlite as keras
from kerlite.exercises.answers import expect
from kerlite.exercises.model_facts import layer_types, output_shape, require_model
from kerlite.exercises.registry import exercise


@exercise("01.dense_params")
def dense_params(count):
    """The number of parameters of Dense(32) reading 100 features, predicted before building it."""
    expect(isinstance(count, (int, np.integer)),
           f"give a whole number of parameters, not a {type(count).__name__}")
    layer = keras.layers.Dense(32)
    layer.build((None, 100))
    expect(count == layer.count_params(),
           "a Dense layer learns one weight per (input, unit) pair, plus one bias per unit")
    return f"{layer.count_params():,} = 100·32 weights + 32 biases"


@exercise("01.wide_deep")
def wide_deep(model):
    """8 features → Dense(30, relu) → Dense(30, relu); concatenate the input with it; Dense(1)."""
    require_model(model, "the wide & deep keras.Model")
    expect(len(model.inputs) == 1 and tuple(model.inputs[0].shape) == (None, 8),
           "one input of 8 features: keras.Input(shape=(8,))")
    expect(output_shape(model) == (None, 1), "the model ends with one number: Dense(1)")
    concatenates = [layer for layer in model.layers if type(layer).__name__ == "Concatenate"]
    expect(len(concatenates) == 1, "join the two paths with one layers.Concatenate()")
    expect(tuple(concatenates[0].output.shape) == (None, 38),
           "the Concatenate layer should join the 8 input features (the wide path) with the 30 "
           "of the last hidden layer (the deep path)")
    expect(model.count_params() == 270 + 930 + 39,
           f"{model.count_params():,} parameters: check that both hidden layers have 30 units "
           f"and relu, and that nothing else learns")
    return f"wide & deep: {model.count_params():,} parameters, the input reaches the output twice"


@exercise("01.ensemble")
def ensemble(model):
    """Three Input(128) → Dense(1) models on one input, averaged with layers.average."""
    require_model(model, "the ensemble keras.Model")
    members = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    expect(len(members) == 3, f"the ensemble should call 3 separate models (nested models), "
                              f"found {len(members)}: call get_model() three times")
    expect(len({id(member) for member in members}) == 3,
           "the three members must be different models, or they are one model used thrice")
    expect("Average" in layer_types(model), "average the three predictions with layers.average")
    expect(model.count_params() == 3 * 129,
           f"{model.count_params()} parameters: each member is Dense(1) on 128 inputs")
    batch = np.ones((2, 128), dtype="float32")
    mean = np.mean([np.asarray(member(batch)) for member in members], axis=0)
    expect(np.allclose(np.asarray(model(batch)), mean, atol=1e-5),
           "the ensemble's output should be the mean of the members' outputs")
    return f"3 members × 129 = {model.count_params()} parameters; the output is their mean"
