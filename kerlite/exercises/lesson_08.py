"""Checks for lesson 08 (custom layers and models): a residual layer with a config, a line
fitted by a GradientTape loop, and the parameters of a block of layers."""

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.registry import exercise


@exercise("08.residual")
def residual(layer_class):
    """``Residual(activation=...)``: ``inputs + Dense(features, activation)(inputs)``, with a config."""
    expect(isinstance(layer_class, type) and issubclass(layer_class, layers.Layer),
           "give the class itself: class Residual(layers.Layer): ...")
    layer = layer_class(activation="relu", name="residual")
    rng = np.random.default_rng(0)
    probe = rng.normal(size=(4, 6)).astype("float32")
    result = np.asarray(answered(layer(probe)))
    expect(result.shape == (4, 6), f"on (4, 6) inputs the layer returns {result.shape}: it must "
                                   f"keep the shape so that the input can be added")
    expect(layer.count_params() == 6 * 6 + 6,
           f"{layer.count_params()} parameters on 6 features: the inner Dense needs as many "
           f"units as the input has features, input_shape[-1] (6·6 + 6 = 42)")
    layer.set_weights([np.zeros_like(weight) for weight in layer.get_weights()])
    expect(np.allclose(np.asarray(layer(probe)), probe, atol=1e-6),
           "with zero weights the layer should give back its input: return inputs + dense(inputs)")
    weights = [rng.normal(size=np.shape(weight)).astype("float32") for weight in layer.get_weights()]
    layer.set_weights(weights)
    kernel, bias = weights
    expected = probe + np.maximum(probe @ kernel + bias, 0)
    expect(np.allclose(np.asarray(layer(probe)), expected, atol=1e-4),
           "the output is not inputs + relu(inputs · kernel + bias): pass the activation given "
           "to __init__ on to the Dense layer")
    copy = layer_class.from_config(layer.get_config())
    expect(copy.name == "residual", "from_config lost the name: call super().get_config() first")
    copy(probe)
    copy.set_weights(weights)
    expect(np.allclose(np.asarray(copy(probe)), expected, atol=1e-4),
           "a copy made with from_config(get_config()) computes something else: get_config must "
           "return the activation too (config.update(...))")
    return "inputs + dense(inputs), 42 parameters on 6 features, and from_config rebuilds it"


@exercise("08.line_fit")
def line_fit(line_layer, losses):
    """A Linear(1) layer trained by a GradientTape loop on y = 3x + 2 plus noise; ``losses``:
    the loss of each of its steps."""
    expect(isinstance(line_layer, layers.Layer), "line_layer should be the Linear(1) you trained")
    losses = [float(loss) for loss in losses]
    expect(len(losses) == 200 and losses[-1] < losses[0],
           f"{len(losses)} steps, loss {losses[0]:.3f} → {losses[-1]:.3f}: train_step should "
           f"return the loss of its step, and the loss should fall")
    weights = line_layer.get_weights()
    expect(len(weights) == 2, "the layer has no weights yet: call it on x_line inside the tape")
    kernel, bias = (np.asarray(weight, dtype="float64").ravel() for weight in weights)
    expect(kernel.shape == (1,) and bias.shape == (1,), "one input, one output: Linear(1)")
    expect(abs(kernel[0] - 3) < 0.1 and abs(bias[0] - 2) < 0.1,
           f"learned y = {kernel[0]:.2f} x + {bias[0]:.2f}, not close to 3x + 2: each step "
           f"computes the loss inside the tape, then tape.gradient(loss, "
           f"line_layer.trainable_weights) and sgd.apply_gradients(zip(grads, weights)), 200 times")
    return f"learned y = {kernel[0]:.2f} x + {bias[0]:.2f}: your loop found the line"


@exercise("08.block_params")
def block_params(count):
    """The parameters of the lesson's MLPBlock (Linear 32 → 32 → 1) on 10 features."""
    expect(isinstance(count, (int, np.integer)),
           f"give a whole number of parameters, not a {type(count).__name__}")
    block = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(32), layers.Dense(32),
                              layers.Dense(1)])
    expect(count != 2080 + 1056 + 33,
           "that is the count on 64 features; only the first Linear layer depends on the input")
    expect(count == block.count_params(),
           "add the three Linear layers: features·units weights + units biases each; the first "
           "one reads the 10 features, the next ones the 32 numbers before them")
    return f"{block.count_params():,} = 10·32+32 + 32·32+32 + 32·1+1"
