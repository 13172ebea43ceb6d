"""keras-io guide "Transfer learning & fine-tuning" (guides/transfer_learning.py), run on
kerlite and Keras 3.

Sections: Freezing layers: understanding the trainable attribute, Recursive setting of the
trainable attribute, Do not update frozen weights during training (the layer1/layer2 example),
The typical transfer-learning workflow + Fine-tuning (Rescaling, and a BatchNormalization base
run with training=False).
Data: random images; a small convolutional base with BatchNormalization stands in for the
guide's pretrained Xception (keras.applications).
Differs (Keras is wrong, kerlite follows the guide): a nested model called with training=False
keeps its BatchNormalization statistics during fine-tuning in kerlite; Keras 3.15 updates them.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, run_both

pytestmark = pytest.mark.parity


def test_freezing_layers_understanding_the_trainable_attribute():
    def section(lib):
        keras = lib.keras
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        dense = (len(layer.weights), len(layer.trainable_weights),
                 len(layer.non_trainable_weights))
        layer = keras.layers.BatchNormalization()
        layer.build((None, 4))
        batch_norm = (len(layer.weights), len(layer.trainable_weights),
                      len(layer.non_trainable_weights))
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        layer.trainable = False
        frozen = (len(layer.weights), len(layer.trainable_weights),
                  len(layer.non_trainable_weights))
        return dense, batch_norm, frozen

    mine, theirs = run_both(section)
    assert mine == theirs == ((2, 2, 0), (4, 2, 2), (2, 0, 2))


def test_recursive_setting_of_the_trainable_attribute():
    def section(lib):
        keras = lib.keras
        inner_model = keras.Sequential([
            keras.Input(shape=(3,)),
            keras.layers.Dense(3, activation="relu"),
            keras.layers.Dense(3, activation="relu"),
        ])
        model = keras.Sequential([
            keras.Input(shape=(3,)),
            inner_model,
            keras.layers.Dense(3, activation="sigmoid"),
        ])
        model.trainable = False
        return (inner_model.trainable, inner_model.layers[0].trainable,
                len(model.trainable_weights), len(model.non_trainable_weights))

    mine, theirs = run_both(section)
    assert mine == theirs == (False, False, 0, 6)


def test_frozen_weights_are_not_updated_during_training():
    rng = np.random.default_rng(0)
    x, y = rng.random((2, 3)), rng.random((2, 3))

    def section(lib):
        keras = lib.keras
        layer1 = keras.layers.Dense(3, activation="relu")
        layer2 = keras.layers.Dense(3, activation="sigmoid")
        model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
        layer1.trainable = False
        initial_layer1_weights_values = layer1.get_weights()
        initial_layer2_weights_values = layer2.get_weights()
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, verbose=0)
        final_layer1_weights_values = layer1.get_weights()
        unchanged = all(np.array_equal(a, b) for a, b in zip(initial_layer1_weights_values,
                                                             final_layer1_weights_values))
        changed = any(not np.array_equal(a, b) for a, b in zip(
            initial_layer2_weights_values, layer2.get_weights()))
        return unchanged, changed

    mine, theirs = run_both(section)
    assert mine == theirs == (True, True)


def small_base_model(lib):
    """Stands in for keras.applications.Xception(include_top=False): conv + BN layers."""
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(8, 3, strides=2)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(16, 3, strides=2)(x)
    x = layers.BatchNormalization()(x)
    outputs = layers.Activation("relu")(x)
    return keras.Model(inputs, outputs, name="base_model")


@pytest.mark.slow
def test_the_typical_transfer_learning_workflow_and_fine_tuning():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(16, 32, 32, 3)).astype("float32")
    labels = rng.integers(0, 2, size=(16, 1)).astype("float32")

    def section(lib):
        keras, layers = lib.keras, lib.layers
        base_model = small_base_model(lib)
        base_model.trainable = False

        inputs = keras.Input(shape=(32, 32, 3))
        scale_layer = keras.layers.Rescaling(scale=1 / 127.5, offset=-1)
        x = scale_layer(inputs)
        x = base_model(x, training=False)
        x = keras.layers.GlobalAveragePooling2D()(x)
        x = keras.layers.Dropout(0.2)(x)
        outputs = keras.layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        trainable_before = len(model.trainable_weights)

        model.compile(optimizer=keras.optimizers.Adam(),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryAccuracy()])
        model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
        moving = [w for w in base_model.weights if w.name.startswith("moving_")]
        moving_stats = [np.array(w) for w in moving]

        base_model.trainable = True
        trainable_after = len(model.trainable_weights)
        model.compile(optimizer=keras.optimizers.Adam(1e-5),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryAccuracy()])
        history = model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
        stats_kept = len(moving) == 4 and all(
            np.array_equal(a, np.array(b)) for a, b in zip(moving_stats, moving))
        return (model, trainable_before, trainable_after, stats_kept,
                sorted(history.history))

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    # Dense (2) while frozen; + 2 conv (4) + 2 BN gamma/beta (4) once unfrozen.
    assert mine_facts[:2] == their_facts[:2] == [2, 10]
    assert mine_facts[3] == their_facts[3] == ["binary_accuracy", "loss"]
    # The guide: the base is called with training=False "so that batchnorm statistics don't
    # get updated even after we unfreeze the base model for fine-tuning". kerlite does so.
    # Keras 3.15 does not: Functional.call passes the outer training=True to every node,
    # overriding the node's own training=False (keras-team/keras#20285), so its moving
    # statistics change during fine-tuning. kerlite follows the guide.
    assert mine_facts[2] is True
    assert their_facts[2] is False
    copy_weights(mine, theirs)
    images_in = rng.random((2, 32, 32, 3)).astype("float32") * 255
    assert_close(mine.predict(images_in, verbose=0), theirs.predict(images_in, verbose=0),
                 atol=1e-4)
