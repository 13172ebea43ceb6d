"""Checks for lesson 04 (sequences): padding, an LSTM's parameter count, stacked recurrent layers."""

import numpy as np

import kerlite as keras
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import layer_types, output_shape, require_model
from kerlite.exercises.registry import exercise

PAD_SENTENCES = [[5, 2], [7, 1, 9, 4]]


@exercise("04.pad_and_truncate")
def pad_and_truncate(padded):
    """The array pad_sequences([[5, 2], [7, 1, 9, 4]], maxlen=3, padding="post") gives."""
    expect(isinstance(padded, (list, tuple, np.ndarray)),
           "write the padded batch as a list of rows, e.g. [[1, 2, 3], [4, 5, 6]]")
    truth = keras.utils.pad_sequences(PAD_SENTENCES, maxlen=3, padding="post")
    given = np.asarray(padded)
    expect(given.shape == truth.shape,
           f"your batch has shape {given.shape}: maxlen=3 makes every row exactly 3 ids long")
    expect(np.array_equal(given[0], truth[0]),
           "the short sentence: padding=\"post\" puts the zeros after the words")
    expect(np.array_equal(given[1], truth[1]),
           "the long sentence: padding only says where zeros go; which end is cut is set by "
           "truncating, whose default is \"pre\"")
    return f"{truth.tolist()}: zeros after (padding=\"post\"), cut at the front (truncating=\"pre\")"


@exercise("04.lstm_params")
def lstm_params(count_function):
    """``count_function(features, units)``: the parameters of LSTM(units) on `features` inputs."""
    expect(callable(count_function), "lstm_params must be a function: def lstm_params(features, units)")
    for features, units in [(4, 6), (64, 64), (1, 16), (128, 3)]:
        given = answered(count_function(features, units))
        layer = keras.layers.LSTM(units)
        layer.build((None, None, features))
        expect(given == layer.count_params(),
               f"lstm_params({features}, {units}) = {given}, but the layer has "
               f"{layer.count_params():,}. Each of the 4 gates has a kernel (features × units), "
               f"a recurrent kernel (units × units) and a bias (units)")
    return "your formula matches LSTM.count_params() for four layer sizes"


def _running_sum_sign(samples, seed):
    x = np.random.default_rng(seed).normal(size=(samples, 10, 1)).astype("float32")
    return x, (x.sum(axis=1) > 0).astype("float32")


@exercise("04.stacked")
def stacked(model):
    """LSTM(32, return_sequences=True) → GRU(16) → Dense(1, sigmoid) on sequences of any length."""
    require_model(model, "the stacked keras.Model")
    expect(tuple(model.inputs[0].shape) == (None, None, 1),
           "read sequences of any length with 1 number per step: keras.Input(shape=(None, 1))")
    recurrent = [name for name in layer_types(model) if name in ("LSTM", "GRU", "SimpleRNN")]
    expect(recurrent == ["LSTM", "GRU"], f"found the recurrent layers {recurrent}: an LSTM, "
                                         f"then a GRU")
    lstm = next(layer for layer in model.layers if type(layer).__name__ == "LSTM")
    expect(len(lstm.output.shape) == 3,
           "the LSTM hands only its last output to the GRU, which needs a whole sequence to "
           "read: ask the first layer for every step")
    expect(output_shape(model) == (None, 1), "one probability per sequence: end with Dense(1)")
    x, y = _running_sum_sign(256, seed=0)
    trainee = keras.models.clone_model(model)
    trainee.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    before = trainee.evaluate(x, y, verbose=0)
    trainee.fit(x, y, epochs=3, batch_size=32, verbose=0)
    after = trainee.evaluate(x, y, verbose=0)
    loud = np.concatenate([x, 100 * x])     # saturates the recurrent layers: outputs far from 0
    probabilities = np.asarray(trainee.predict(loud, verbose=0))
    expect(np.all((probabilities >= 0) & (probabilities <= 1)),
           "the outputs should be probabilities, between 0 and 1: which activation does that?")
    expect(after < before, f"a fresh copy of your model did not learn (loss {before:.3f} → "
                           f"{after:.3f} in 3 epochs): is every layer connected to the next?")
    return (f"LSTM → GRU → Dense, {model.count_params():,} parameters; a fresh copy of it "
            f"learns the sign of a running sum (its loss falls in 3 epochs)")
