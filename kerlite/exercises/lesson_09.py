"""Checks for lesson 09 (Sequential, functional, subclassing): the 28×28 MLP in two more styles,
two outputs from a trained Sequential model, and the subclassed wide & deep model as a graph."""

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import (is_subclassed_model, layer_types, output_shape,
                                           require_model)
from kerlite.exercises.registry import exercise

@exercise("09.three_styles")
def three_styles(functional_model, subclassed_model, reference):
    """``reference`` (Flatten → 300 → 100 → 10 softmax) rewritten as a functional model and as an
    instance of the learner's own keras.Model subclass."""
    require_model(functional_model, "the functional keras.Model")
    require_model(subclassed_model, "an instance of your keras.Model subclass")
    expect(type(functional_model).__name__ == "Functional",
           "mlp_functional should be made with keras.Model(inputs, outputs)")
    expect(is_subclassed_model(subclassed_model),
           "mlp_subclassed should be an instance of your own class: class MLPSubclassed(keras.Model)")
    probe = np.random.default_rng(0).random((2, 28, 28)).astype("float32")
    answered(subclassed_model(probe))             # a subclassed model builds on its first call
    for model, style in ((functional_model, "functional"), (subclassed_model, "subclassed")):
        expect(model.count_params() == reference.count_params(),
               f"the {style} model has {model.count_params():,} parameters, not "
               f"{reference.count_params():,}: Flatten, then Dense 300, 100 and 10")
        model.set_weights(reference.get_weights())
        expect(np.allclose(np.asarray(model(probe)), np.asarray(reference(probe)), atol=1e-5),
               f"with mnist_mlp's weights the {style} model computes something else: check the "
               f"activations (relu, relu, softmax) and the order of the layers")
    return f"three styles, one function: {reference.count_params():,} parameters each"


@exercise("09.two_heads")
def two_heads(model, sequential_model):
    """A functional model from the trained Sequential model's input to its class probabilities
    and to the 32 features of its second hidden layer, reusing its layers."""
    require_model(model, "the two_heads keras.Model")
    expect(len(model.outputs) == 2, f"{len(model.outputs)} output(s): give outputs=[..., ...]")
    expect(output_shape(model) == [(None, 10), (None, 32)],
           f"the outputs are {output_shape(model)}: first the probabilities (the model's output), "
           f"then the second hidden layer's output (seq_model.layers[1].output)")
    expect(model.count_params() == sequential_model.count_params(),
           "the model has new weights: reuse seq_model's layers (seq_model.inputs, layer.output)")
    batch = np.random.default_rng(2).random((4, 64)).astype("float32")
    probabilities, _ = model(batch)
    expect(np.allclose(np.asarray(probabilities), np.asarray(sequential_model(batch)), atol=1e-6),
           "the first output differs from seq_model's predictions: take seq_model.output")
    return "one graph, two outputs: the trained weights are shared, nothing new to learn"


def _dense_by_kernel_shape(model):
    return {tuple(layer.get_weights()[0].shape): layer for layer in model.layers
            if isinstance(layer, layers.Dense)}


@exercise("09.wide_deep_functional")
def wide_deep_functional(model, subclassed):
    """The subclassed wide & deep model (5 wide + 6 deep features, two outputs) as a functional
    model; with the trained model's weights it must give the same two predictions."""
    require_model(model, "the functional wide & deep keras.Model")
    expect([tuple(tensor.shape) for tensor in model.inputs] == [(None, 5), (None, 6)],
           "two inputs: the 5 wide features first, then the 6 deep ones")
    expect(output_shape(model) == [(None, 1), (None, 1)],
           "two outputs of one number each: outputs=[main_output, aux_output]")
    expect("Concatenate" in layer_types(model),
           "join the wide input with the deep path: layers.concatenate([input_A, hidden2])")
    expect(model.count_params() == subclassed.count_params(),
           f"{model.count_params():,} parameters, the subclassed model has "
           f"{subclassed.count_params():,}: Dense(30) twice on the deep input, Dense(1) on the "
           f"concatenation, Dense(1) on hidden2")
    ours, theirs = _dense_by_kernel_shape(model), _dense_by_kernel_shape(subclassed)
    expect(sorted(ours) == sorted(theirs),
           f"the Dense kernels have shapes {sorted(ours)}, not {sorted(theirs)}: which tensor "
           f"does each Dense layer read?")
    for shape, layer in ours.items():
        layer.set_weights(theirs[shape].get_weights())
    rng = np.random.default_rng(3)
    wide, deep = rng.normal(size=(4, 5)).astype("float32"), rng.normal(size=(4, 6)).astype("float32")
    for given, expected, name in zip(model((wide, deep)), subclassed((wide, deep)), ("main", "aux")):
        expect(np.allclose(np.asarray(given), np.asarray(expected), atol=1e-5),
               f"with the same weights the {name} output differs: hidden1 reads input_B (deep), "
               f"the main output reads concatenate([input_A, hidden2]), the aux output hidden2")
    return "the same wide & deep function, now a graph: summary shapes, plot_model and layer.output work"
