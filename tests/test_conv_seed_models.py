"""The seeds' convolutional models: parameter counts and output shapes as printed there.

Each model is built with the seed's own code (``import kerlite as keras``); the numbers
come from the summaries the tutorials show.
"""

import io
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers


def summary_text(model):
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    return buffer.getvalue()


def build_encoder(input_name="img"):
    encoder_input = keras.Input(shape=(28, 28, 1), name=input_name)
    x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    encoder_output = layers.GlobalMaxPooling2D()(x)
    return encoder_input, encoder_output, keras.Model(encoder_input, encoder_output,
                                                      name="encoder")


def decoder_layers(x):
    x = layers.Reshape((4, 4, 1))(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
    x = layers.UpSampling2D(3)(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    return layers.Conv2DTranspose(1, 3, activation="relu")(x)


def layer_shapes(model):
    return [(layer.name, tuple(layer.output.shape), layer.count_params())
            for layer in model.layers]


def test_encoder_and_autoencoder_summaries():
    encoder_input, encoder_output, encoder = build_encoder()
    assert encoder.count_params() == 18_672
    assert layer_shapes(encoder)[1:] == [
        ("conv2d", (None, 26, 26, 16), 160), ("conv2d_1", (None, 24, 24, 32), 4640),
        ("max_pooling2d", (None, 8, 8, 32), 0), ("conv2d_2", (None, 6, 6, 32), 9248),
        ("conv2d_3", (None, 4, 4, 16), 4624), ("global_max_pooling2d", (None, 16), 0),
    ]
    autoencoder = keras.Model(encoder_input, decoder_layers(encoder_output), name="autoencoder")
    assert autoencoder.count_params() == 28_241
    assert layer_shapes(autoencoder)[7:] == [
        ("reshape", (None, 4, 4, 1), 0), ("conv2d_transpose", (None, 6, 6, 16), 160),
        ("conv2d_transpose_1", (None, 8, 8, 32), 4640),
        ("up_sampling2d", (None, 24, 24, 32), 0),
        ("conv2d_transpose_2", (None, 26, 26, 16), 4624),
        ("conv2d_transpose_3", (None, 28, 28, 1), 145),
    ]
    text = summary_text(autoencoder)
    assert "28,241" in text and "conv2d_transpose_3" in text
    images = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    assert autoencoder.predict(images, verbose=0).shape == (2, 28, 28, 1)


def test_nested_encoder_decoder_autoencoder():
    _, _, encoder = build_encoder("original_img")
    decoder_input = keras.Input(shape=(16,), name="encoded_img")
    decoder = keras.Model(decoder_input, decoder_layers(decoder_input), name="decoder")
    assert encoder.count_params() == 18_672
    assert decoder.count_params() == 9_569
    assert tuple(decoder.output.shape) == (None, 28, 28, 1)
    autoencoder_input = keras.Input(shape=(28, 28, 1), name="img")
    decoded_img = decoder(encoder(autoencoder_input))
    autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
    assert autoencoder.count_params() == 28_241
    assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]
    assert "9,569" in summary_text(autoencoder) or "9569" in summary_text(autoencoder)


def test_toy_resnet_summary():
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
    model = keras.Model(inputs, outputs, name="toy_resnet")
    assert model.count_params() == 223_242
    assert [(shape, params) for _, shape, params in layer_shapes(model)[1:]] == [
        ((None, 30, 30, 32), 896), ((None, 28, 28, 64), 18496), ((None, 9, 9, 64), 0),
        ((None, 9, 9, 64), 36928), ((None, 9, 9, 64), 36928), ((None, 9, 9, 64), 0),
        ((None, 9, 9, 64), 36928), ((None, 9, 9, 64), 36928), ((None, 9, 9, 64), 0),
        ((None, 7, 7, 64), 36928), ((None, 64), 0), ((None, 256), 16640),
        ((None, 256), 0), ((None, 10), 2570),
    ]
    assert "223,242" in summary_text(model)


PARAMETERS = {"shape": 28, "activation": "relu", "classes": 10, "kernel_size": 3,
              "pool_size": 2, "dropout": 0.5}


def test_mnist_convnet_sequential_with_input_shape_and_functional():
    p = PARAMETERS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # input_shape= on a layer: Keras 2 style, warned
        model = keras.Sequential([
            layers.Conv2D(32, kernel_size=(p["kernel_size"], p["kernel_size"]),
                          input_shape=(p["shape"], p["shape"], 1), activation=p["activation"]),
            layers.MaxPooling2D(pool_size=(p["pool_size"], p["pool_size"])),
            layers.Conv2D(64, kernel_size=(p["kernel_size"], p["kernel_size"]),
                          activation=p["activation"]),
            layers.MaxPooling2D(pool_size=(p["pool_size"], p["pool_size"])),
            layers.Flatten(),
            layers.Dropout(p["dropout"]),
            layers.Dense(p["classes"], activation="softmax"),
        ])
    assert model.count_params() == 34_826
    assert tuple(model.output_shape) == (None, 10)

    inputs = keras.Input(shape=(28, 28, 1))
    conv = layers.Conv2D(32, kernel_size=(3, 3), activation="relu")(inputs)
    assert tuple(conv.shape) == (None, 26, 26, 32)
    pooled = layers.MaxPooling2D(pool_size=(2, 2))(conv)
    conv_2 = layers.Conv2D(64, kernel_size=(3, 3), activation="relu")(pooled)
    pooled_2 = layers.MaxPooling2D(pool_size=(2, 2))(conv_2)
    assert tuple(pooled_2.shape) == (None, 5, 5, 64)


def test_shared_input_two_towers_and_multi_output_face_model():
    inputs = keras.Input(shape=(28, 28, 1))
    conv_a = layers.Conv2D(32, 3, activation="relu")(inputs)
    tower_1 = layers.Flatten()(layers.MaxPooling2D(2)(conv_a))
    conv_b = layers.Conv2D(64, 3, activation="relu")(inputs)
    tower_2 = layers.Flatten()(layers.MaxPooling2D(2)(conv_b))
    merged = layers.concatenate([tower_1, tower_2])
    assert tuple(merged.shape) == (None, 13 * 13 * 96)
    outputs = layers.Dense(10, activation="softmax")(layers.Dropout(0.5)(merged))
    assert keras.Model(inputs, outputs).count_params() == 320 + 640 + (13 * 13 * 96 + 1) * 10

    image_input = keras.Input(shape=(28, 28, 3), name="images")
    x = layers.Conv2D(filters=32, kernel_size=(3, 3), activation="relu")(image_input)
    x = layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = layers.Conv2D(filters=32, kernel_size=(3, 3), activation="relu")(x)
    x = layers.Dropout(0.25)(x)
    x = layers.Conv2D(filters=64, kernel_size=(3, 3), activation="relu")(x)
    x = layers.MaxPooling2D(pool_size=(2, 2))(x)
    assert tuple(x.shape) == (None, 4, 4, 64)
    x = layers.Dense(128, activation="relu")(layers.Flatten()(layers.Dropout(0.25)(x)))
    x = layers.Dropout(0.25)(x)
    model = keras.Model(inputs=image_input, outputs=[layers.Dense(3, activation="softmax")(x),
                                                      layers.Dense(3, activation="softmax")(x)])
    predictions = model.predict(np.zeros((2, 28, 28, 3), "float32"), verbose=0)
    assert [p.shape for p in predictions] == [(2, 3), (2, 3)]


def test_inception_towers_and_conv_shared_on_two_inputs():
    input_img = keras.Input(shape=(256, 256, 3))
    tower_1 = layers.Conv2D(64, (1, 1), padding="same", activation="relu")(input_img)
    tower_1 = layers.Conv2D(64, (3, 3), padding="same", activation="relu")(tower_1)
    tower_2 = layers.Conv2D(64, (1, 1), padding="same", activation="relu")(input_img)
    tower_2 = layers.Conv2D(64, (5, 5), padding="same", activation="relu")(tower_2)
    tower_3 = layers.MaxPooling2D((3, 3), strides=(1, 1), padding="same")(input_img)
    tower_3 = layers.Conv2D(64, (1, 1), padding="same", activation="relu")(tower_3)
    for tower in (tower_1, tower_2, tower_3):
        assert tuple(tower.shape) == (None, 256, 256, 64)
    output = layers.concatenate([tower_1, tower_2, tower_3], axis=1)
    assert tuple(output.shape) == (None, 768, 256, 64)

    a, b = keras.Input(shape=(32, 32, 3)), keras.Input(shape=(64, 64, 3))
    conv = layers.Conv2D(16, (3, 3), padding="same")
    assert tuple(conv(a).shape) == (None, 32, 32, 16)
    assert tuple(conv(b).shape) == (None, 64, 64, 16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras 2 accessors, warned
        assert tuple(conv.get_input_shape_at(0)) == (None, 32, 32, 3)
        assert tuple(conv.get_input_shape_at(1)) == (None, 64, 64, 3)


def test_kernel_too_big_fails_at_the_line_that_builds_the_graph():
    inputs = keras.Input(shape=(2, 2, 1))
    with pytest.raises(ValueError, match="conv2d"):
        layers.Conv2D(4, 3)(inputs)
