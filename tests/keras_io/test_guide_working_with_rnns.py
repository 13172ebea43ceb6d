"""keras-io guide "Working with RNNs" (guides/working_with_rnns.py), run on kerlite and Keras 3.

Sections: Built-in RNN layers: a simple example, Outputs and states, RNN layers and RNN cells,
Cross-batch statefulness (and RNN state reuse), Bidirectional RNNs, RNNs with list/dict inputs,
or nested inputs.
Data: random arrays of the guide's shapes (fewer samples).
Differs: Keras 3.15 itself fails the nested-inputs section (its RNN.build hands the cell
the step shape of the first input only, and the guide's cell.build raises IndexError);
kerlite follows the guide, and that section checks kerlite against NumPy instead.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, library, run_both

# Keras on JAX compiles an orthogonal initializer and a scan per layer shape: several seconds
# each, so the file is slow although kerlite runs it in about a second.
pytestmark = [pytest.mark.parity, pytest.mark.slow]


def test_built_in_rnn_layers_a_simple_example():
    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential()
        model.add(layers.Embedding(input_dim=1000, output_dim=64))
        model.add(layers.LSTM(128))
        model.add(layers.Dense(10))
        model.build((None, None))  # the guide's summary() is shown after a first call

        model2 = keras.Sequential()
        model2.add(layers.Embedding(input_dim=1000, output_dim=64))
        model2.add(layers.GRU(256, return_sequences=True))
        model2.add(layers.SimpleRNN(128))
        model2.add(layers.Dense(10))
        model2.build((None, None))
        return model, model2

    (mine, mine2), (theirs, theirs2) = run_both(section)
    assert layer_counts(mine) == layer_counts(theirs) == [64000, 98816, 1290]
    assert layer_counts(mine2) == layer_counts(theirs2) == [64000, 247296, 49280, 1290]
    assert mine2.compute_output_shape((None, 7)) == theirs2.compute_output_shape((None, 7))


def test_built_in_rnn_layers_a_simple_example_on_two_sequence_lengths():
    # Same section: the model takes "variable-length sequences of integers"
    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential()
        model.add(layers.Embedding(input_dim=1000, output_dim=64))
        model.add(layers.LSTM(128))
        model.add(layers.Dense(10))
        first = model(np.ones((2, 7), dtype="int32"))
        second = model(np.ones((2, 5), dtype="int32"))
        return tuple(first.shape), tuple(second.shape)

    mine, theirs = run_both(section)
    assert mine == theirs == ((2, 10), (2, 10))


def test_outputs_and_states():
    rng = np.random.default_rng(1)
    encoder_tokens = rng.integers(0, 1000, size=(2, 6))
    decoder_tokens = rng.integers(0, 2000, size=(2, 4))

    def section(lib):
        keras, layers = lib.keras, lib.layers
        gru_model = keras.Sequential([
            layers.Input((None,)), layers.Embedding(input_dim=1000, output_dim=64),
            layers.GRU(256, return_sequences=True)])

        encoder_vocab, decoder_vocab = 1000, 2000
        encoder_input = layers.Input(shape=(None,))
        encoder_embedded = layers.Embedding(input_dim=encoder_vocab, output_dim=64)(
            encoder_input)
        output, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(
            encoder_embedded)
        encoder_state = [state_h, state_c]
        decoder_input = layers.Input(shape=(None,))
        decoder_embedded = layers.Embedding(input_dim=decoder_vocab, output_dim=64)(
            decoder_input)
        decoder_output = layers.LSTM(64, name="decoder")(decoder_embedded,
                                                         initial_state=encoder_state)
        output = layers.Dense(10)(decoder_output)
        model = keras.Model([encoder_input, decoder_input], output)
        return model, tuple(gru_model.layers[-1].output.shape), [tuple(s.shape) for s in encoder_state]

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts == [(None, None, 256), [(None, 64), (None, 64)]]
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    assert mine.count_params() == 64000 + 128000 + 2 * 33024 + 650
    copy_weights(mine, theirs)
    data = [encoder_tokens, decoder_tokens]
    assert_close(mine.predict(data, verbose=0), theirs.predict(data, verbose=0), atol=1e-5)


def test_rnn_layers_and_rnn_cells():
    x = np.random.default_rng(2).random((3, 5, 8)).astype("float32")

    def section(lib):
        layers = lib.layers
        cell_layer = layers.RNN(layers.LSTMCell(64))
        fused = layers.LSTM(64)
        return cell_layer, fused, cell_layer(x), fused(x)

    (mine_cell, mine_lstm, _, _), (their_cell, _, _, _) = run_both(section)
    assert [tuple(w.shape) for w in mine_cell.weights] == [
        tuple(w.shape) for w in their_cell.weights] == [(8, 256), (64, 256), (256,)]
    # the cell wrapped in RNN and the fused layer compute the same thing
    mine_lstm.set_weights(mine_cell.get_weights())
    assert_close(mine_cell(x), mine_lstm(x))
    their_cell.set_weights(mine_cell.get_weights())
    assert_close(mine_cell(x), their_cell(x))


def test_cross_batch_statefulness_and_state_reuse():
    rng = np.random.default_rng(3)
    paragraphs = [rng.random((20, 10, 50)).astype(np.float32) for _ in range(3)]

    def section(lib):
        layers = lib.layers
        lstm_layer = layers.LSTM(64, stateful=True)
        outputs = [lstm_layer(paragraph) for paragraph in paragraphs]
        existing_state = [np.array(state) for state in lstm_layer.states]
        lstm_layer.reset_states()
        after_reset = [np.array(state) for state in lstm_layer.states]
        new_lstm_layer = layers.LSTM(64)
        new_output = new_lstm_layer(paragraphs[2], initial_state=existing_state)
        return lstm_layer, new_lstm_layer, outputs, existing_state, after_reset, new_output

    mine, theirs = run_both(section)
    assert [s.shape for s in mine[3]] == [s.shape for s in theirs[3]] == [(20, 64), (20, 64)]
    assert all(not s.any() for s in mine[4]) and all(not s.any() for s in theirs[4])
    # replay Keras's layer with kerlite's weights: the same three stateful outputs
    theirs[0].set_weights(mine[0].get_weights())
    theirs[0].reset_states()
    replay = [theirs[0](paragraph) for paragraph in paragraphs]
    assert_close(mine[2], replay, atol=1e-5)
    assert_close(mine[3], [np.array(s) for s in theirs[0].states], atol=1e-5)
    theirs[1].set_weights(mine[1].get_weights())
    assert_close(mine[5], theirs[1](paragraphs[2], initial_state=mine[3]), atol=1e-5)


def test_bidirectional_rnns():
    x = np.random.default_rng(4).random((2, 5, 10)).astype("float32")

    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential()
        model.add(layers.Input((5, 10)))
        model.add(layers.Bidirectional(layers.LSTM(64, return_sequences=True)))
        model.add(layers.Bidirectional(layers.LSTM(32)))
        model.add(layers.Dense(10))
        return model

    mine, theirs = run_both(section)
    assert layer_shapes(mine) == layer_shapes(theirs) == [(None, 5, 128), (None, 64),
                                                          (None, 10)]
    assert layer_counts(mine) == layer_counts(theirs) == [38400, 41216, 650]
    copy_weights(mine, theirs)
    assert_close(mine(x), theirs(x), atol=1e-5)


def nested_cell_class(lib):
    keras, ops = lib.keras, lib.ops

    class NestedCell(keras.layers.Layer):
        def __init__(self, unit_1, unit_2, unit_3, **kwargs):
            self.unit_1 = unit_1
            self.unit_2 = unit_2
            self.unit_3 = unit_3
            self.state_size = [unit_1, [unit_2, unit_3]]
            self.output_size = [unit_1, [unit_2, unit_3]]
            super().__init__(**kwargs)

        def build(self, input_shapes):
            input_1 = input_shapes[0][1]
            input_2, input_3 = input_shapes[1][1:]
            self.kernel_1 = self.add_weight(shape=(input_1, self.unit_1),
                                            initializer="uniform", name="kernel_1")
            self.kernel_2_3 = self.add_weight(
                shape=(input_2, input_3, self.unit_2, self.unit_3), initializer="uniform",
                name="kernel_2_3")

        def call(self, inputs, states):
            input_1, input_2 = keras.tree.flatten(inputs)
            s1, s2 = states
            output_1 = ops.matmul(input_1, self.kernel_1)
            output_2_3 = ops.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
            state_1 = s1 + output_1
            state_2_3 = s2 + output_2_3
            output = (output_1, output_2_3)
            new_states = (state_1, state_2_3)
            return output, new_states

        def get_config(self):
            return {"unit_1": self.unit_1, "unit_2": self.unit_2, "unit_3": self.unit_3}

    return NestedCell


def test_rnns_with_list_dict_inputs_or_nested_inputs():
    unit_1, unit_2, unit_3 = 10, 20, 30
    i1, i2, i3 = 32, 64, 32
    batch_size, timestep = 8, 5
    rng = np.random.default_rng(5)
    input_1_data = rng.random((batch_size, timestep, i1)).astype("float32")
    input_2_data = rng.random((batch_size, timestep, i2, i3)).astype("float32")
    target_1_data = rng.random((batch_size, unit_1)).astype("float32")
    target_2_data = rng.random((batch_size, unit_2, unit_3)).astype("float32")

    def section(lib):
        keras = lib.keras
        NestedCell = nested_cell_class(lib)
        cell = NestedCell(unit_1, unit_2, unit_3)
        rnn = keras.layers.RNN(cell)
        input_1 = keras.Input((None, i1))
        input_2 = keras.Input((None, i2, i3))
        outputs = rnn((input_1, input_2))
        model = keras.models.Model([input_1, input_2], outputs)
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        model.fit([input_1_data, input_2_data], [target_1_data, target_2_data],
                  batch_size=batch_size, verbose=0)
        return model, [tuple(o.shape) for o in outputs]

    mine, mine_shapes = section(library("kerlite"))
    assert mine_shapes == [(None, 10), (None, 20, 30)]
    # Keras 3.15 does not run this guide section: RNN.build builds the cell with
    # ((batch, time, 32),) instead of one step shape per input, so the guide's
    # build() fails. The guide is the documentation: kerlite does what it shows.
    with pytest.raises(IndexError):
        section(library("keras"))
    # The cell's output at the last step: x1 @ kernel_1 and einsum(x2, kernel_2_3).
    kernel_1, kernel_2_3 = mine.get_weights()
    data = [input_1_data, input_2_data]
    out_1, out_2 = mine.predict(data, verbose=0)
    assert_close(out_1, input_1_data[:, -1] @ kernel_1, rtol=1e-4)
    assert_close(out_2, np.einsum("bij,ijkl->bkl", input_2_data[:, -1], kernel_2_3),
                 rtol=1e-4)
