"""keras-io guide "The Functional API" (guides/functional_api.py), run on kerlite and Keras 3.

Sections: Introduction, Training/evaluation/inference, Save and serialize, Use the same graph
of layers to define multiple models, All models are callable (nesting and ensembling), Models
with multiple inputs and outputs, A toy ResNet model, Shared layers, Extract and reuse nodes,
Extend the API using custom layers, Mix-and-match API styles.
Data: random arrays of the guide's shapes instead of MNIST/CIFAR10; a small model stands in for
VGG19 in "Extract and reuse nodes".
"""

import numpy as np
import pytest

from _guide import (assert_close, copy_weights, layer_counts, layer_shapes, param_lines,
                    run_both)

pytestmark = pytest.mark.parity


def mnist_mlp(lib):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=(784,))
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def test_introduction():
    def section(lib):
        keras = lib.keras
        inputs = keras.Input(shape=(784,))
        img_inputs = keras.Input(shape=(32, 32, 3))
        model = mnist_mlp(lib)
        return (tuple(inputs.shape), inputs.dtype, tuple(img_inputs.shape),
                layer_shapes(model), layer_counts(model), param_lines(model), model.name)

    mine, theirs = run_both(section)
    assert mine == theirs
    assert mine[0] == (None, 784) and mine[1] == "float32"
    assert mine[4] == [0, 50240, 4160, 650]
    assert mine[5][0].startswith("Total params: 55,050")


def test_training_evaluation_and_inference():
    rng = np.random.default_rng(0)
    x_train = rng.random((320, 784)).astype("float32")
    y_train = rng.integers(0, 10, size=(320,)).astype("uint8")
    x_test, y_test = x_train[:64], y_train[:64]

    def section(lib):
        keras = lib.keras
        model = mnist_mlp(lib)
        model.compile(
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=keras.optimizers.RMSprop(),
            metrics=["accuracy"],
        )
        history = model.fit(x_train, y_train, batch_size=64, epochs=2,
                            validation_split=0.2, verbose=0)
        test_scores = model.evaluate(x_test, y_test, verbose=0)
        return history.history, test_scores

    (mine, mine_scores), (theirs, theirs_scores) = run_both(section)
    assert sorted(mine) == sorted(theirs) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 2 for values in mine.values())
    assert mine["loss"][1] < mine["loss"][0]
    assert len(mine_scores) == len(theirs_scores) == 2
    assert 0.0 <= mine_scores[1] <= 1.0


def test_save_and_serialize(tmp_path):
    x = np.random.default_rng(1).random((4, 784)).astype("float32")

    def section(lib):
        keras = lib.keras
        model = mnist_mlp(lib)
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
        path = str(tmp_path / f"{lib.name}_model.keras")
        model.save(path)
        expected = model.predict(x, verbose=0)
        del model
        model = keras.models.load_model(path)
        return model, expected, model.predict(x, verbose=0)

    (mine, mine_before, mine_after), (theirs, _, _) = run_both(section)
    assert_close(mine_before, mine_after, atol=0, rtol=0)
    assert mine.name == theirs.name == "mnist_model"
    assert [type(l).__name__ for l in mine.layers] == [type(l).__name__ for l in theirs.layers]


def encoder_layers(lib, name):
    keras, layers = lib.keras, lib.layers
    encoder_input = keras.Input(shape=(28, 28, 1), name=name)
    x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    encoder_output = layers.GlobalMaxPooling2D()(x)
    return encoder_input, encoder_output


def decoder_layers(lib, decoder_input):
    layers = lib.layers
    x = layers.Reshape((4, 4, 1))(decoder_input)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
    x = layers.UpSampling2D(3)(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    return layers.Conv2DTranspose(1, 3, activation="relu")(x)


def test_same_graph_of_layers_defines_multiple_models():
    images = np.random.default_rng(2).random((2, 28, 28, 1)).astype("float32")

    def section(lib):
        keras = lib.keras
        encoder_input, encoder_output = encoder_layers(lib, "img")
        encoder = keras.Model(encoder_input, encoder_output, name="encoder")
        decoder_output = decoder_layers(lib, encoder_output)
        autoencoder = keras.Model(encoder_input, decoder_output, name="autoencoder")
        return encoder, autoencoder

    (encoder, autoencoder), (their_encoder, their_autoencoder) = run_both(section)
    assert layer_shapes(encoder) == layer_shapes(their_encoder)
    assert layer_shapes(autoencoder) == layer_shapes(their_autoencoder)
    assert param_lines(encoder) == param_lines(their_encoder)
    assert encoder.count_params() == 18672 and autoencoder.count_params() == 28241
    assert autoencoder.output.shape == (None, 28, 28, 1)
    copy_weights(autoencoder, their_autoencoder)
    assert_close(autoencoder.predict(images, verbose=0),
                 their_autoencoder.predict(images, verbose=0))


def test_all_models_are_callable_like_layers():
    images = np.random.default_rng(3).random((2, 28, 28, 1)).astype("float32")

    def section(lib):
        keras, layers = lib.keras, lib.layers
        encoder_input, encoder_output = encoder_layers(lib, "original_img")
        encoder = keras.Model(encoder_input, encoder_output, name="encoder")
        decoder_input = keras.Input(shape=(16,), name="encoded_img")
        decoder = keras.Model(decoder_input, decoder_layers(lib, decoder_input),
                              name="decoder")
        autoencoder_input = keras.Input(shape=(28, 28, 1), name="img")
        encoded_img = encoder(autoencoder_input)
        decoded_img = decoder(encoded_img)
        autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")

        def get_model():
            inputs = keras.Input(shape=(128,))
            outputs = layers.Dense(1)(inputs)
            return keras.Model(inputs, outputs)

        model1, model2, model3 = get_model(), get_model(), get_model()
        inputs = keras.Input(shape=(128,))
        y1, y2, y3 = model1(inputs), model2(inputs), model3(inputs)
        outputs = layers.average([y1, y2, y3])
        ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
        return autoencoder, ensemble_model

    (autoencoder, ensemble), (their_autoencoder, their_ensemble) = run_both(section)
    assert [l.name for l in autoencoder.layers] == [l.name for l in their_autoencoder.layers]
    assert layer_shapes(autoencoder) == layer_shapes(their_autoencoder)
    assert param_lines(autoencoder) == param_lines(their_autoencoder)
    copy_weights(autoencoder, their_autoencoder)
    assert_close(autoencoder(images), their_autoencoder(images))
    assert layer_counts(ensemble) == layer_counts(their_ensemble) == [0, 129, 129, 129, 0]
    features = np.random.default_rng(4).random((3, 128)).astype("float32")
    copy_weights(ensemble, their_ensemble)
    assert_close(ensemble(features), their_ensemble(features))


def ticket_model(lib):
    keras, layers = lib.keras, lib.layers
    num_tags, num_words, num_departments = 12, 10000, 4
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Embedding(num_words, 64)(title_input)
    body_features = layers.Embedding(num_words, 64)(body_input)
    title_features = layers.LSTM(128)(title_features)
    body_features = layers.LSTM(32)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    return keras.Model(inputs=[title_input, body_input, tags_input],
                       outputs=[priority_pred, department_pred])


@pytest.mark.slow
def test_models_with_multiple_inputs_and_outputs():
    rng = np.random.default_rng(5)
    title_data = rng.integers(10000, size=(64, 10))
    body_data = rng.integers(10000, size=(64, 20))
    tags_data = rng.integers(2, size=(64, 12)).astype("float32")
    priority_targets = rng.random(size=(64, 1))
    dept_targets = rng.integers(2, size=(64, 4))

    def section(lib):
        keras = lib.keras
        model = ticket_model(lib)
        model.compile(
            optimizer=keras.optimizers.RMSprop(1e-3),
            loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                  keras.losses.CategoricalCrossentropy(from_logits=True)],
            loss_weights=[1.0, 0.2],
        )
        model.compile(
            optimizer=keras.optimizers.RMSprop(1e-3),
            loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                  "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
            loss_weights={"priority": 1.0, "department": 0.2},
        )
        history = model.fit(
            {"title": title_data, "body": body_data, "tags": tags_data},
            {"priority": priority_targets, "department": dept_targets},
            epochs=2, batch_size=32, verbose=0,
        )
        return model, history.history

    (mine, mine_history), (theirs, their_history) = run_both(section)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    assert sorted(mine_history) == sorted(their_history)
    assert mine_history["loss"][1] < mine_history["loss"][0]
    copy_weights(mine, theirs)
    inputs = {"title": title_data[:4], "body": body_data[:4], "tags": tags_data[:4]}
    assert_close(mine.predict(inputs, verbose=0), theirs.predict(inputs, verbose=0),
                 atol=1e-4)


def toy_resnet(lib):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs, name="toy_resnet")


@pytest.mark.slow
def test_a_toy_resnet_model():
    rng = np.random.default_rng(6)
    x_train = rng.integers(0, 256, size=(40, 32, 32, 3)).astype("uint8")
    y_train = rng.integers(0, 10, size=(40, 1)).astype("uint8")

    def section(lib):
        keras = lib.keras
        model = toy_resnet(lib)
        x = x_train.astype("float32") / 255.0
        y = keras.utils.to_categorical(y_train, 10)
        model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["acc"])
        history = model.fit(x, y, batch_size=16, epochs=1, validation_split=0.2, verbose=0)
        return model, history.history

    (mine, mine_history), (theirs, their_history) = run_both(section)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert param_lines(mine) == param_lines(theirs)
    assert mine.count_params() == 223242
    assert sorted(mine_history) == sorted(their_history) == ["acc", "loss", "val_acc",
                                                              "val_loss"]
    copy_weights(mine, theirs)
    images = rng.random((2, 32, 32, 3)).astype("float32")
    assert_close(mine.predict(images, verbose=0), theirs.predict(images, verbose=0),
                 atol=1e-4)


def test_shared_layers():
    tokens = np.random.default_rng(7).integers(0, 1000, size=(2, 5)).astype("int32")

    def section(lib):
        keras, layers = lib.keras, lib.layers
        shared_embedding = layers.Embedding(1000, 128)
        text_input_a = keras.Input(shape=(None,), dtype="int32")
        text_input_b = keras.Input(shape=(None,), dtype="int32")
        encoded_input_a = shared_embedding(text_input_a)
        encoded_input_b = shared_embedding(text_input_b)
        model = keras.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
        return model, tuple(encoded_input_a.shape), len(shared_embedding._inbound_nodes)

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts == [(None, None, 128), 2]
    assert mine.count_params() == theirs.count_params() == 128000
    a, b = mine([tokens, tokens])
    assert_close(a, b, atol=0, rtol=0)


def test_extract_and_reuse_nodes_in_the_graph_of_layers():
    img = np.random.random((1, 32, 32, 3)).astype("float32")

    def section(lib):
        keras = lib.keras
        base = toy_resnet(lib)  # stands in for the guide's VGG19
        features_list = [layer.output for layer in base.layers]
        feat_extraction_model = keras.Model(inputs=base.input, outputs=features_list)
        return base, feat_extraction_model

    (mine_base, mine), (their_base, theirs) = run_both(section)
    copy_weights(mine_base, their_base)
    mine_features, their_features = mine(img), theirs(img)
    assert len(mine_features) == len(their_features) == len(mine_base.layers)
    assert [tuple(f.shape) for f in mine_features] == [tuple(f.shape) for f in their_features]
    assert_close(mine_features, their_features, atol=1e-4)


def custom_dense_class(lib, with_config):
    layers, ops = lib.layers, lib.ops

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
            return ops.matmul(inputs, self.w) + self.b

    if with_config:
        def get_config(self):
            return {"units": self.units}
        CustomDense.get_config = get_config
    return CustomDense


def test_extend_the_api_using_custom_layers():
    x = np.random.default_rng(8).random((3, 4)).astype("float32")

    def section(lib):
        keras = lib.keras
        CustomDense = custom_dense_class(lib, with_config=False)
        inputs = keras.Input((4,))
        outputs = CustomDense(10)(inputs)
        model = keras.Model(inputs, outputs)

        CustomDense = custom_dense_class(lib, with_config=True)
        inputs = keras.Input((4,))
        outputs = CustomDense(10)(inputs)
        model = keras.Model(inputs, outputs)
        config = model.get_config()
        layer_configs = [(l["class_name"], l["config"]) for l in config["layers"]]
        new_model = keras.Model.from_config(config,
                                            custom_objects={"CustomDense": CustomDense})
        return model, new_model, layer_configs  # (Keras's from_config empties `config`)

    (mine, mine_new, mine_config), (theirs, their_new, their_config) = run_both(section)
    assert [name for name, _ in mine_config] == [name for name, _ in their_config] == [
        "InputLayer", "CustomDense"]
    assert mine_config[1][1] == their_config[1][1] == {"units": 10}
    assert mine_new.count_params() == their_new.count_params() == 50
    copy_weights(mine, their_new)
    assert_close(mine(x), their_new(x))


def test_mix_and_match_api_styles():
    def section(lib):
        keras, layers, ops = lib.keras, lib.layers, lib.ops
        units, timesteps, input_dim = 32, 10, 5
        inputs = keras.Input((None, units))
        x = layers.GlobalAveragePooling1D()(inputs)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        feature_shapes = []

        class CustomRNN(layers.Layer):
            def __init__(self, classifier):
                super().__init__()
                self.units = units
                self.projection_1 = layers.Dense(units=units, activation="tanh")
                self.projection_2 = layers.Dense(units=units, activation="tanh")
                self.classifier = classifier

            def call(self, inputs):
                outputs = []
                state = ops.zeros(shape=(inputs.shape[0], self.units))
                for t in range(inputs.shape[1]):
                    x = inputs[:, t, :]
                    h = self.projection_1(x)
                    y = h + self.projection_2(state)
                    state = y
                    outputs.append(y)
                features = ops.stack(outputs, axis=1)
                feature_shapes.append(tuple(features.shape))
                return self.classifier(features)

        rnn_model = CustomRNN(model)
        first = rnn_model(ops.zeros((1, timesteps, input_dim)))

        batch_size = 16
        inputs = keras.Input(batch_shape=(batch_size, timesteps, input_dim))
        x = layers.Conv1D(32, 3)(inputs)
        outputs = CustomRNN(layers.Dense(1))(x)
        functional = keras.Model(inputs, outputs)
        # Keras may trace `call` more than once per call: compare the distinct shapes
        return (tuple(first.shape), sorted(set(feature_shapes)), tuple(functional.output.shape),
                functional.count_params())

    mine, theirs = run_both(section)
    assert mine == theirs
    assert mine[0] == (1, 1) and mine[1] == [(1, 10, 32), (16, 8, 32)]
    assert mine[2] == (16, 8, 1)
