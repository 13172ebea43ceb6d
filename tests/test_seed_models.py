"""The seeds' models (core and merge layers only), rebuilt as the tutorials write them.

Each test checks the parameter counts and output shapes the seed prints (or that
follow from the layer sizes it gives), through ``model.summary()``'s own rows.
Conv / RNN seed models are tested with those layers (test_conv*.py, test_rnn*.py).
"""

import warnings

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers
from kerlite.viz.summary_utils import summary_rows


def table(model):
    """``[(name, output shape, params)]`` as the summary shows them."""
    return [(r.name, r.output_shape, r.param_count) for r in summary_rows(model)]


def total_params(model):
    return model.count_params()


def summary_text(model):
    lines = []
    model.summary(print_fn=lines.append)
    return lines[0]


# ---- seed 003: the 784-64-64-10 "mnist_model" --------------------------------------


def build_mnist_model():
    inputs = keras.Input(shape=(784,))
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def test_seed_003_mnist_model_summary_numbers():
    model = build_mnist_model()
    assert table(model) == [("input_layer", "(None, 784)", 0),
                            ("dense", "(None, 64)", 50240),
                            ("dense_1", "(None, 64)", 4160),
                            ("dense_2", "(None, 10)", 650)]
    text = summary_text(model)
    assert 'Model: "mnist_model"' in text
    assert " Total params: 55,050 (215.04 KB)" in text
    assert " Trainable params: 55,050 (215.04 KB)" in text
    assert " Non-trainable params: 0 (0.00 B)" in text


def test_seed_002_model_reused_on_a_new_input_keeps_its_weights():
    model = build_mnist_model()
    x = keras.Input(shape=(784,))
    y = model(x)
    assert y.shape == (None, 10)
    wrapper = keras.Model(x, y)
    assert table(wrapper)[1] == ("mnist_model", "(None, 10)", 55050)
    assert total_params(wrapper) == 55050
    data = np.random.default_rng(0).random((2, 784)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(wrapper(data)),
                               keras.ops.convert_to_numpy(model(data)), rtol=1e-6)


def test_seed_002_single_dense_model():
    a = keras.Input(shape=(32,))
    model = keras.Model(inputs=a, outputs=layers.Dense(32)(a))
    assert total_params(model) == 1056


# ---- seed 001: 64-32-32-10, Sequential and functional --------------------------------


def test_seed_001_sequential_and_functional_both_have_3466_params():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # input_shape= on a layer: Keras warns too
        seq_model = keras.Sequential()
        seq_model.add(layers.Dense(32, activation="relu", input_shape=(64,)))
    seq_model.add(layers.Dense(32, activation="relu"))
    seq_model.add(layers.Dense(10, activation="softmax"))
    assert [row[1:] for row in table(seq_model)] == [
        ("(None, 32)", 2080), ("(None, 32)", 1056), ("(None, 10)", 330)]
    assert total_params(seq_model) == 3466

    input_tensor = keras.Input(shape=(64,))
    x = layers.Dense(32, activation="relu")(input_tensor)
    x = layers.Dense(32, activation="softmax")(x)
    output_tensor = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(input_tensor, output_tensor)
    assert [row[1:] for row in table(model)] == [
        ("(None, 64)", 0), ("(None, 32)", 2080), ("(None, 32)", 1056), ("(None, 10)", 330)]
    assert " Total params: 3,466 (13.54 KB)" in summary_text(model)


def test_seed_001_unrelated_input_is_a_disconnected_graph():
    input_tensor = keras.Input(shape=(64,))
    output_tensor = layers.Dense(10)(input_tensor)
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(keras.Input(shape=(32,)), output_tensor)


# ---- seed 000: MLP on images, multi-input, conversions --------------------------------


def test_seed_000_mlp_on_image_input_applies_dense_to_the_last_axis():
    inputs = keras.Input(shape=(28, 28, 1))
    dense1 = layers.Dense(128)(inputs)
    dropout = layers.Dropout(0.5)(dense1)
    dense2 = layers.Dense(128)(dropout)
    dropout1 = layers.Dropout(0.5)(dense2)
    outputs = layers.Dense(10, activation="softmax")(dropout1)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
    assert [row[1:] for row in table(model)] == [
        ("(None, 28, 28, 1)", 0), ("(None, 28, 28, 128)", 256), ("(None, 28, 28, 128)", 0),
        ("(None, 28, 28, 128)", 16512), ("(None, 28, 28, 128)", 0),
        ("(None, 28, 28, 10)", 1290)]
    assert total_params(model) == 18058


def test_seed_000_multi_input_model_adds_two_branches():
    input1 = keras.Input(shape=(16,))
    x1 = layers.Dense(8, activation="relu")(input1)
    input2 = layers.Input(shape=(32,))
    x2 = layers.Dense(8, activation="relu")(input2)
    added = layers.Add()([x1, x2])
    out = layers.Dense(4)(added)
    model = keras.Model(inputs=[input1, input2], outputs=out)
    rows = summary_rows(model)
    assert [(r.class_name, r.output_shape, r.param_count) for r in rows] == [
        ("InputLayer", "(None, 16)", 0), ("InputLayer", "(None, 32)", 0),
        ("Dense", "(None, 8)", 136), ("Dense", "(None, 8)", 264),
        ("Add", "(None, 8)", 0), ("Dense", "(None, 4)", 36)]
    assert rows[4].connected_to == ["dense[0][0]", "dense_1[0][0]"]
    assert total_params(model) == 436


def test_seed_000_functional_to_sequential_and_back():
    model = build_mnist_model()
    seq_model = keras.Sequential()
    for layer in model.layers:
        seq_model.add(layer)
    assert total_params(seq_model) == 55050
    assert table(seq_model)[-1] == ("dense_2", "(None, 10)", 650)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Keras 2's input_shape
        inputs = keras.Input(batch_shape=seq_model.layers[0].input_shape)
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    func_model = keras.Model(inputs=inputs, outputs=x, name="func_mnist_model")
    assert total_params(func_model) == 55050
    assert table(func_model)[-1][1] == "(None, 10)"


# ---- seed 004: Sequential MLP and the wide & deep networks -----------------------------


def test_seed_004_sequential_mlp_first_dense_has_235500_params():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.Sequential([
            layers.Flatten(input_shape=[28, 28]),
            layers.Dense(300, activation="relu"),
            layers.Dense(100, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
    assert [row[1:] for row in table(model)] == [
        ("(None, 784)", 0), ("(None, 300)", 235500), ("(None, 100)", 30100),
        ("(None, 10)", 1010)]
    assert total_params(model) == 266610


def test_seed_004_wide_and_deep():
    input_ = keras.Input(shape=(8,))
    hidden1 = layers.Dense(30, activation="relu")(input_)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    concat = layers.Concatenate()([input_, hidden2])
    output = layers.Dense(1)(concat)
    model = keras.Model(inputs=[input_], outputs=[output])
    assert [row[1:] for row in table(model)] == [
        ("(None, 8)", 0), ("(None, 30)", 270), ("(None, 30)", 930), ("(None, 38)", 0),
        ("(None, 1)", 39)]
    assert summary_rows(model)[3].connected_to == ["input_layer[0][0]", "dense_1[0][0]"]


def test_seed_004_wide_and_deep_with_two_inputs_and_two_outputs():
    input_A = keras.Input(shape=[5], name="wide_input")
    input_B = keras.Input(shape=[6], name="deep_input")
    hidden1 = layers.Dense(30, activation="relu")(input_B)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    concat = layers.concatenate([input_A, hidden2])
    output = layers.Dense(1, name="output")(concat)
    two_inputs = keras.Model(inputs=[input_A, input_B], outputs=[output])
    assert total_params(two_inputs) == 1176
    aux_output = layers.Dense(1, name="aux_output")(hidden2)
    two_outputs = keras.Model(inputs=[input_A, input_B], outputs=[output, aux_output])
    assert total_params(two_outputs) == 1207
    assert ("aux_output", "(None, 1)", 31) in table(two_outputs)
    assert ("concatenate", "(None, 35)", 0) in table(two_outputs)


# ---- seed 003: ensembles, feature extraction, custom layers, encoders ------------------


def test_seed_003_ensemble_averages_three_nested_models():
    def get_model():
        inputs = keras.Input(shape=(128,))
        outputs = layers.Dense(1)(inputs)
        return keras.Model(inputs, outputs)

    model1, model2, model3 = get_model(), get_model(), get_model()
    inputs = keras.Input(shape=(128,))
    y1, y2, y3 = model1(inputs), model2(inputs), model3(inputs)
    outputs = layers.average([y1, y2, y3])
    ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
    rows = summary_rows(ensemble_model)
    assert [(r.class_name, r.param_count) for r in rows] == [
        ("InputLayer", 0), ("Functional", 129), ("Functional", 129),
        ("Functional", 129), ("Average", 0)]
    assert rows[-1].output_shape == "(None, 1)"
    assert total_params(ensemble_model) == 387


def test_seed_003_toy_resnet_dense_head_counts():
    features = keras.Input(shape=(64,))
    x = layers.Dense(256, activation="relu")(features)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    head = keras.Model(features, outputs)
    assert [row[2] for row in table(head)] == [0, 16640, 0, 2570]


def test_seed_003_mlp_and_feature_extraction_model():
    inputs = keras.Input(shape=(32,))
    x = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(10)(x)
    mlp = keras.Model(inputs, outputs)
    assert total_params(mlp) == 2762
    features_list = [layer.output for layer in mlp.layers]
    extractor = keras.Model(inputs=mlp.input, outputs=features_list)
    assert [tuple(t.shape) for t in extractor.outputs] == [(None, 32), (None, 64),
                                                           (None, 10)]
    assert total_params(extractor) == 2762


def test_seed_003_custom_dense_layer_counts_its_weights():
    class CustomDense(layers.Layer):
        def __init__(self, units=32):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal", trainable=True)
            self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                     trainable=True)

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.w) + self.b

    inputs = keras.Input((4,))
    outputs = CustomDense(10)(inputs)
    model = keras.Model(inputs, outputs)
    assert table(model)[1] == ("custom_dense", "(None, 10)", 50)


def test_dense_encoder_and_autoencoder_share_one_layer_graph():
    encoder_input = keras.Input(shape=(784,), name="img")
    x = layers.Dense(64, activation="relu")(encoder_input)
    encoder_output = layers.Dense(16, activation="relu")(x)
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")
    x = layers.Dense(64, activation="relu")(encoder_output)
    decoder_output = layers.Dense(784, activation="sigmoid")(x)
    autoencoder = keras.Model(encoder_input, decoder_output, name="autoencoder")
    assert total_params(encoder) == 50240 + 1040
    assert total_params(autoencoder) == 50240 + 1040 + 1088 + 50960
    assert table(autoencoder)[:3] == table(encoder)


def test_dense_encoder_decoder_nested_in_an_autoencoder():
    encoder_input = keras.Input(shape=(784,), name="original_img")
    encoder_output = layers.Dense(16, activation="relu")(
        layers.Dense(64, activation="relu")(encoder_input))
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")
    decoder_input = keras.Input(shape=(16,), name="encoded_img")
    decoder_output = layers.Dense(784, activation="sigmoid")(
        layers.Dense(64, activation="relu")(decoder_input))
    decoder = keras.Model(decoder_input, decoder_output, name="decoder")

    autoencoder_input = keras.Input(shape=(784,), name="img")
    decoded_img = decoder(encoder(autoencoder_input))
    autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
    assert table(autoencoder) == [("img", "(None, 784)", 0),
                                  ("encoder", "(None, 16)", 51280),
                                  ("decoder", "(None, 784)", 52048)]
    assert " Total params: 103,328 (403.62 KB)" in summary_text(autoencoder)
