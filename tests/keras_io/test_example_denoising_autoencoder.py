"""keras-io example "Convolutional autoencoder for image denoising"
(examples/vision/autoencoder.py), run on kerlite and Keras 3.

Sections: Prepare the data (preprocess, noise), Build the autoencoder, Train it as a plain
autoencoder then as a denoiser (predict on noisy images).
Data: random images instead of MNIST; 1 epoch each, few samples.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_shapes, param_lines, run_both

pytestmark = pytest.mark.parity


def preprocess(array):
    array = array.astype("float32") / 255.0
    array = np.reshape(array, (len(array), 28, 28, 1))
    return array


def noise(array):
    noise_factor = 0.4
    noisy_array = array + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy_array, 0.0, 1.0)


def build_autoencoder(lib):
    layers, Model = lib.layers, lib.keras.Model
    input = layers.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    autoencoder = Model(input, x)
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    return autoencoder


def test_prepare_data_and_build_the_autoencoder():
    raw = np.random.default_rng(0).integers(0, 256, size=(4, 28, 28)).astype("uint8")
    data = preprocess(raw)
    noisy = noise(data)
    assert data.shape == noisy.shape == (4, 28, 28, 1) and 0 <= noisy.min() <= noisy.max() <= 1

    mine, theirs = run_both(build_autoencoder)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_shapes(mine)[-1] == (None, 28, 28, 1)
    assert param_lines(mine) == param_lines(theirs)
    assert mine.count_params() == 28353
    copy_weights(mine, theirs)
    assert_close(mine.predict(noisy, verbose=0), theirs.predict(noisy, verbose=0), atol=1e-5)


@pytest.mark.slow
def test_train_as_autoencoder_then_as_denoiser():
    np.random.seed(1)
    rng = np.random.default_rng(1)
    train_data = preprocess(rng.integers(0, 256, size=(32, 28, 28)).astype("uint8"))
    test_data = preprocess(rng.integers(0, 256, size=(8, 28, 28)).astype("uint8"))
    noisy_train_data, noisy_test_data = noise(train_data), noise(test_data)

    def section(lib):
        autoencoder = build_autoencoder(lib)
        first = autoencoder.fit(x=train_data, y=train_data, epochs=1, batch_size=16,
                                shuffle=True, validation_data=(test_data, test_data),
                                verbose=0)
        predictions = autoencoder.predict(test_data, verbose=0)
        second = autoencoder.fit(x=noisy_train_data, y=train_data, epochs=2, batch_size=16,
                                 shuffle=True,
                                 validation_data=(noisy_test_data, test_data), verbose=0)
        return predictions.shape, sorted(first.history), second.history["loss"]

    mine, theirs = run_both(section)
    assert mine[:2] == theirs[:2] == ((8, 28, 28, 1), ["loss", "val_loss"])
    assert mine[2][1] < mine[2][0]
