"""Checks for lesson 03 (convnets): the Inception module, a convolution's output size, and a
residual block."""

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import layer_types, output_shape, require_model
from kerlite.exercises.registry import exercise


@exercise("03.inception")
def inception(model):
    """The seeds' Inception module on 256×256×3, towers joined on the channel axis."""
    require_model(model, "the inception keras.Model")
    expect(tuple(model.inputs[0].shape) == (None, 256, 256, 3),
           "the module reads a 256×256 RGB picture: keras.Input(shape=(256, 256, 3))")
    shape = output_shape(model)
    expect(shape[1:3] == (256, 256),
           f"the output is {shape}: with padding=\"same\" (pooling included) and stride 1 no "
           f"tower changes the height and width; and join along the channels, axis=-1")
    expect(shape[3] == 192, f"the output has {shape[3]} channels: three towers of 64 joined")
    expect(layer_types(model).count("Conv2D") == 5 and "MaxPooling2D" in layer_types(model),
           "five convolutions (two per tower in towers 1 and 2, one after the pooling in tower 3)")
    expect(model.count_params() == 3 * 256 + 36928 + 102464,
           f"{model.count_params():,} parameters: check each tower's kernel sizes, (1, 1), "
           f"(3, 3) and (5, 5)")
    return "three towers of 64 channels, joined: (None, 256, 256, 192), 140,160 parameters"


@exercise("03.conv_output_size")
def conv_output_size(size_function):
    """``size_function(size, kernel, strides, padding)``: the height that comes out of a Conv2D."""
    expect(callable(size_function), "conv_output_size must be a function")
    cases = [(28, 3, 1, "valid"), (28, 5, 2, "valid"), (28, 3, 2, "same"), (13, 3, 1, "same"),
             (32, 3, 3, "valid"), (7, 7, 1, "valid"), (9, 4, 2, "same")]
    for size, kernel, strides, padding in cases:
        layer_out = layers.Conv2D(1, kernel, strides=strides, padding=padding)(
            keras.Input(shape=(size, size, 1)))
        given = answered(size_function(size, kernel, strides, padding))
        expect(given == layer_out.shape[1],
               f"size {size}, kernel {kernel}, strides {strides}, padding \"{padding}\": you "
               f"say {given}, the layer gives {layer_out.shape[1]}. With \"valid\" the window "
               f"must fit inside; with \"same\" only the stride shrinks the picture (rounding up)")
    return f"your formula agrees with Conv2D on all {len(cases)} layers"


@exercise("03.residual_block")
def residual_block(block_function):
    """``block_function(x)``: two 3×3 convolutions and a residual connection; same shape out."""
    expect(callable(block_function), "residual_block must be a function of a symbolic tensor")
    for shape in [(8, 8, 16), (5, 7, 3)]:
        inputs = keras.Input(shape=shape)
        outputs = answered(block_function(inputs))
        model = keras.Model(inputs, outputs)
        expect(tuple(outputs.shape) == (None,) + shape,
               f"on an input of shape {(None,) + shape} the block returns {tuple(outputs.shape)}: "
               f"layers.add needs equal shapes, so keep the size (padding=\"same\") and the "
               f"number of channels (as many filters as x has)")
        expect("Add" in layer_types(model), "join the block's input and output with layers.add")
        channels = shape[-1]
        expect(layer_types(model).count("Conv2D") == 2
               and model.count_params() == 2 * (9 * channels * channels + channels),
               f"{model.count_params():,} parameters: two Conv2D layers with 3×3 kernels")
        model.set_weights([np.zeros_like(w) for w in model.get_weights()])
        picture = np.random.default_rng(0).random((1,) + shape).astype("float32")
        expect(np.allclose(np.asarray(model(picture)), picture, atol=1e-6),
               "with all convolution weights at zero the block should give back its input: the "
               "input itself must be one of the two things added")
    return "same shape out as in, and with zero weights the block is the identity: a residual"
