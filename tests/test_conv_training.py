"""The seeds' MNIST convnet learns a generated image task, fast.

Four classes of 28x28 pictures drawn at random places with noise: a horizontal bar, a
vertical bar, a square outline and a diagonal. Chance is 25%; a convnet that works
(forward, backward, pooling, optimizer) gets far above it in a few epochs.
"""

import numpy as np

import kerlite as keras
from kerlite import layers


def make_shapes(count, seed):
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28, 1), "float32")
    labels = rng.integers(0, 4, count)
    for image, label in zip(images[..., 0], labels):
        row, col = rng.integers(4, 19, 2)
        size = int(rng.integers(6, 9))
        if label == 0:
            image[row, col:col + size] = 1
        elif label == 1:
            image[row:row + size, col] = 1
        elif label == 2:
            image[row, col:col + size] = image[row + size - 1, col:col + size] = 1
            image[row:row + size, col] = image[row:row + size, col + size - 1] = 1
        else:
            image[np.arange(size) + row, np.arange(size) + col] = 1
    images += rng.normal(0, 0.1, images.shape).astype("float32")
    return images, labels


def mnist_convnet(classes):
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(classes, activation="softmax"),
    ])


def test_mnist_convnet_learns_generated_shapes():
    keras.utils.set_random_seed(0)
    x_train, y_train = make_shapes(384, seed=0)
    x_test, y_test = make_shapes(200, seed=1)
    model = mnist_convnet(4)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=5e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=3, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0]
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.7  # chance is 0.25


def test_batch_normalized_convnet_trains_and_predicts_with_moving_statistics():
    keras.utils.set_random_seed(1)
    x_train, y_train = make_shapes(256, seed=2)
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(4, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    batch_norm = model.layers[2]
    before = batch_norm.moving_mean.numpy().copy()
    model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    assert not np.allclose(batch_norm.moving_mean.numpy(), before)
    after_fit = batch_norm.moving_mean.numpy().copy()
    model.predict(x_train[:10], verbose=0)
    np.testing.assert_array_equal(batch_norm.moving_mean.numpy(), after_fit)
    assert len(model.non_trainable_weights) == 2
