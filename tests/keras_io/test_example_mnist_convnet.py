"""keras-io example "Simple MNIST convnet" (examples/vision/mnist_convnet.py), run on kerlite
and Keras 3.

Sections: Build the model (summary), Train the model, Evaluate the trained model.
Data: random 28x28 uint8 images and labels instead of the MNIST download; 1 epoch.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_shapes, param_lines, run_both

pytestmark = pytest.mark.parity

NUM_CLASSES = 10
INPUT_SHAPE = (28, 28, 1)


def build_model(lib):
    keras, layers = lib.keras, lib.layers
    return keras.Sequential([
        keras.Input(shape=INPUT_SHAPE),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ])


def prepare_data(keras):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, size=(64, 28, 28)).astype("uint8")
    y_train = rng.integers(0, 10, size=(64,)).astype("uint8")
    x_train = x_train.astype("float32") / 255
    x_train = np.expand_dims(x_train, -1)
    y_train = keras.utils.to_categorical(y_train, NUM_CLASSES)
    return x_train, y_train


def test_build_the_model():
    mine, theirs = run_both(build_model)
    assert layer_shapes(mine) == layer_shapes(theirs) == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64),
        (None, 1600), (None, 1600), (None, 10)]
    assert param_lines(mine) == param_lines(theirs)
    assert mine.count_params() == 34826


@pytest.mark.slow
def test_train_and_evaluate_the_model():
    def section(lib):
        keras = lib.keras
        x_train, y_train = prepare_data(keras)
        model = build_model(lib)
        batch_size, epochs = 32, 1
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs,
                            validation_split=0.1, verbose=0)
        score = model.evaluate(x_train, y_train, verbose=0)
        return model, history.history, score

    (mine, history, score), (theirs, their_history, their_score) = run_both(section)
    assert sorted(history) == sorted(their_history) == ["accuracy", "loss", "val_accuracy",
                                                        "val_loss"]
    assert len(score) == len(their_score) == 2
    x_train, y_train = prepare_data(__import__("kerlite"))
    copy_weights(mine, theirs)
    assert_close(mine.evaluate(x_train, y_train, verbose=0),
                 theirs.evaluate(x_train, y_train, verbose=0), rtol=1e-4)
