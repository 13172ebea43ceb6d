"""Checks for lesson 07 (shared layers and nested models): one LSTM on two inputs, the
features of a trained encoder, and the shape a shared layer gives on its second call."""

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import expect
from kerlite.exercises.model_facts import as_shape, layer_types, output_shape, require_model
from kerlite.exercises.registry import exercise


@exercise("07.shared_lstm")
def shared_lstm(pair_model, lstm):
    """Two (10, 8) inputs "first" and "second", one LSTM(16) on both, concatenated, Dense(1)."""
    require_model(pair_model, "the pair keras.Model")
    expect(isinstance(lstm, layers.LSTM), "shared_lstm should be the layers.LSTM(16) you call twice")
    expect([tuple(tensor.shape) for tensor in pair_model.inputs] == [(None, 10, 8)] * 2,
           "two inputs of 10 steps with 8 numbers each: keras.Input(shape=(10, 8), name=...)")
    expect(layer_types(pair_model).count("LSTM") == 1 and any(
        layer is lstm for layer in pair_model.layers),
           "the model holds more than one LSTM, or not shared_lstm: create the LSTM once and "
           "call that same object on both inputs")
    expect(output_shape(pair_model) == (None, 1), "end with Dense(1, activation=\"sigmoid\")")
    lstm_params = 4 * (16 * (8 + 16) + 16)
    expect(pair_model.count_params() == lstm_params + 33,
           f"{pair_model.count_params():,} parameters: one LSTM(16) on 8 numbers has "
           f"{lstm_params:,}, and the Dense(1) reads the 16 + 16 concatenated numbers")
    rng = np.random.default_rng(0)
    batch = {"first": rng.random((3, 10, 8), "float32"), "second": rng.random((3, 10, 8), "float32")}
    try:
        answers = np.asarray(pair_model.predict(batch, verbose=0))
    except (KeyError, ValueError):
        expect(False, "predict with a dict failed: name the inputs \"first\" and \"second\"")
    expect(np.all((answers > 0) & (answers < 1)), "the answer is a probability: a sigmoid")
    swapped = np.asarray(pair_model.predict({"first": batch["second"], "second": batch["first"]},
                                            verbose=0))
    expect(not np.allclose(swapped, answers),
           "swapping the two inputs changes nothing: concatenate the LSTM's two outputs (in "
           "order), so the head can tell which sequence came first")
    return f"one LSTM, two calls: {pair_model.count_params():,} parameters, its weights counted once"


@exercise("07.conv_features")
def conv_features(features_model, encoder):
    """A model from ``encoder.input`` to the outputs of the encoder's Conv2D layers, in order."""
    require_model(features_model, "the conv_features keras.Model")
    convolutions = [layer for layer in encoder.layers if isinstance(layer, layers.Conv2D)]
    wanted = [tuple(layer.output.shape) for layer in convolutions]
    shapes = output_shape(features_model)
    shapes = shapes if isinstance(shapes, list) else [shapes]
    expect(len(shapes) == len(convolutions),
           f"the model has {len(shapes)} output(s); the encoder has {len(convolutions)} Conv2D "
           f"layers: one output per convolution (filter encoder.layers with isinstance)")
    expect(shapes == wanted, f"the outputs have shapes {shapes}, the convolutions' outputs are "
                             f"{wanted}: keep them in the encoder's order")
    expect(features_model.count_params() == encoder.count_params(),
           "the model should reuse the encoder's own layers (no new weights): start from "
           "encoder.input and take layer.output")
    images = np.random.default_rng(1).random((2,) + tuple(encoder.inputs[0].shape[1:]), "float32")
    maps = features_model.predict(images, verbose=0)
    codes = encoder.predict(images, verbose=0)
    expect(np.allclose(np.asarray(maps[-1]).max(axis=(1, 2)), codes, atol=1e-5),
           "the last map's maximum should be the encoder's code: are these the trained encoder's "
           "layers?")
    return "four feature maps from the trained encoder; the last one's maximum is its code"


@exercise("07.second_node_shape")
def second_node_shape(shape):
    """The output shape of the second call (node 1) of Conv2D(8, 3), on a 20×20×3 input."""
    shape = as_shape(shape)
    convolution = layers.Conv2D(8, 3)
    convolution(keras.Input(shape=(32, 32, 3)))
    truth = tuple(convolution(keras.Input(shape=(20, 20, 3))).shape)
    expect(len(shape) == 4 and shape[0] is None,
           "four axes, the first one the batch size, which stays open: None")
    expect(shape[3] == truth[3], "the channels of a convolution's output are its filters")
    expect(shape[1:3] == truth[1:3],
           "each node keeps the shapes of its own call: this one read 20×20 pictures, and a 3×3 "
           "kernel without padding loses a pixel on each side")
    return f"{truth}: the second node has its own shapes; the weights (3·3·3·8 + 8) are shared"
