"""keras-io example "Image classification from scratch"
(examples/vision/image_classification_from_scratch.py), run on kerlite and Keras 3.

Sections: Using image data augmentation (RandomFlip, RandomRotation applied in a loop), Build a
model (the small Xception-like network with residual SeparableConv2D blocks).
Data: random 180x180 RGB images instead of the Cats vs Dogs download (image_dataset_from_directory
and tf.data are TensorFlow-only).
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, param_lines, run_both

pytestmark = pytest.mark.parity

IMAGE_SIZE = (180, 180)
IMAGES = np.random.default_rng(0).integers(0, 256, size=(2, 180, 180, 3)).astype("float32")


def test_using_image_data_augmentation():
    def section(lib):
        layers = lib.layers
        data_augmentation_layers = [layers.RandomFlip("horizontal"),
                                    layers.RandomRotation(0.1)]

        def data_augmentation(images):
            for layer in data_augmentation_layers:
                images = layer(images)
            return images

        augmented = np.asarray(data_augmentation(IMAGES))
        in_inference = np.asarray(data_augmentation_layers[1](
            data_augmentation_layers[0](IMAGES, training=False), training=False))
        return augmented.shape, in_inference

    (mine_shape, mine_inference), (their_shape, their_inference) = run_both(section)
    assert mine_shape == their_shape == (2, 180, 180, 3)
    assert_close(mine_inference, IMAGES, atol=0, rtol=0)
    assert_close(their_inference, IMAGES, atol=0, rtol=0)


def make_model(lib, input_shape, num_classes):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(128, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x
    for size in [256, 512, 728]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(
            previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x
    x = layers.SeparableConv2D(1024, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    if num_classes == 2:
        units = 1
    else:
        units = num_classes
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(units, activation=None)(x)
    return keras.Model(inputs, outputs)


@pytest.mark.slow
def test_build_a_model():
    mine, theirs = run_both(make_model, input_shape=IMAGE_SIZE + (3,), num_classes=2)
    assert layer_counts(mine) == layer_counts(theirs)
    assert param_lines(mine) == param_lines(theirs)
    assert mine.count_params() == theirs.count_params()
    assert tuple(mine.output.shape) == (None, 1)
    copy_weights(mine, theirs)
    assert_close(mine.predict(IMAGES[:1], verbose=0), theirs.predict(IMAGES[:1], verbose=0),
                 atol=1e-4, rtol=1e-3)
