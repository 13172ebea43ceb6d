"""keras-io guide "Introduction to Keras for engineers" (guides/intro_to_keras_for_engineers.py),
run on kerlite and Keras 3.

Sections: A first example: a MNIST convnet (build, train with ModelCheckpoint/EarlyStopping,
evaluate, save, reload, predict), Writing cross-framework custom components (MyDense,
MyDropout with a SeedGenerator, MyModel trained with fit).
Data: a few random 28x28 images instead of MNIST; 1 epoch.
"""

import os

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_shapes, param_lines, run_both

pytestmark = [pytest.mark.parity, pytest.mark.slow]

NUM_CLASSES = 10
RNG = np.random.default_rng(0)
X_TRAIN = RNG.random((24, 28, 28, 1)).astype("float32")
Y_TRAIN = RNG.integers(0, 10, size=(24,))
X_TEST = X_TRAIN[:4]


def conv_base_layers(keras):
    return [
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
    ]


def test_a_first_example_a_mnist_convnet(tmp_path):
    def section(lib):
        keras = lib.keras
        input_shape = (28, 28, 1)
        model = keras.Sequential([keras.layers.Input(shape=input_shape)]
                                 + conv_base_layers(keras)
                                 + [keras.layers.Dropout(0.5),
                                    keras.layers.Dense(NUM_CLASSES, activation="softmax")])
        summary = (layer_shapes(model), param_lines(model))
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(),
                      optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                      metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])
        batch_size, epochs = 8, 1
        folder = tmp_path / lib.name
        folder.mkdir()
        callbacks = [
            keras.callbacks.ModelCheckpoint(
                filepath=str(folder / "model_at_epoch_{epoch}.keras")),
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=2),
        ]
        history = model.fit(X_TRAIN, Y_TRAIN, batch_size=batch_size, epochs=epochs,
                            validation_split=0.15, callbacks=callbacks, verbose=0)
        score = model.evaluate(X_TEST, Y_TRAIN[:4], verbose=0)
        model.save(str(folder / "final_model.keras"))
        reloaded = keras.saving.load_model(str(folder / "final_model.keras"))
        predictions = reloaded.predict(X_TEST, verbose=0)
        assert_close(predictions, model.predict(X_TEST, verbose=0), atol=1e-6)
        return (model, summary, sorted(history.history), len(score), predictions.shape,
                sorted(os.listdir(folder)))

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts
    assert mine_facts[1] == ["acc", "loss", "val_acc", "val_loss"]
    assert mine_facts[4] == ["final_model.keras", "model_at_epoch_1.keras"]
    assert mine.count_params() == 260298
    copy_weights(mine, theirs)
    assert_close(mine.predict(X_TEST, verbose=0), theirs.predict(X_TEST, verbose=0),
                 atol=1e-5)


def custom_components(lib):
    keras = lib.keras

    class MyDense(keras.layers.Layer):
        def __init__(self, units, activation=None, name=None):
            super().__init__(name=name)
            self.units = units
            self.activation = keras.activations.get(activation)

        def build(self, input_shape):
            input_dim = input_shape[-1]
            self.w = self.add_weight(shape=(input_dim, self.units),
                                     initializer=keras.initializers.GlorotNormal(),
                                     name="kernel", trainable=True)
            self.b = self.add_weight(shape=(self.units,),
                                     initializer=keras.initializers.Zeros(), name="bias",
                                     trainable=True)

        def call(self, inputs):
            x = keras.ops.matmul(inputs, self.w) + self.b
            return self.activation(x)

    class MyDropout(keras.layers.Layer):
        def __init__(self, rate, name=None):
            super().__init__(name=name)
            self.rate = rate
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, inputs):
            return keras.random.dropout(inputs, self.rate, seed=self.seed_generator)

    class MyModel(keras.Model):
        def __init__(self, num_classes):
            super().__init__()
            self.conv_base = keras.Sequential(conv_base_layers(keras))
            self.dp = MyDropout(0.5)
            self.dense = MyDense(num_classes, activation="softmax")

        def call(self, x):
            x = self.conv_base(x)
            x = self.dp(x)
            return self.dense(x)

    return MyModel


def test_writing_cross_framework_custom_components():
    def section(lib):
        keras = lib.keras
        MyModel = custom_components(lib)
        model = MyModel(num_classes=10)
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(),
                      optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                      metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])
        history = model.fit(X_TRAIN, Y_TRAIN, batch_size=8, epochs=1, validation_split=0.15,
                            verbose=0)
        return model, sorted(history.history), len(model.trainable_weights)

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts == [["acc", "loss", "val_acc", "val_loss"], 10]
    assert sum(int(np.prod(w.shape)) for w in mine.trainable_weights) == sum(
        int(np.prod(w.shape)) for w in theirs.trainable_weights) == 260298
    # The guide's MyDropout has no training switch (it always drops), so predictions are
    # random: compare the deterministic conv base on the same weights.
    theirs.conv_base.set_weights(mine.conv_base.get_weights())
    assert_close(mine.conv_base(X_TEST), theirs.conv_base(X_TEST), atol=1e-5)
