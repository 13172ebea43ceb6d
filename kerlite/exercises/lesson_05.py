"""Checks for lesson 05 (seeing inside): a feature map's shape, a convolution's parameters, and a
regularised model that closes the gap between training and validation on a small training set."""

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import as_shape, output_shape, require_model
from kerlite.exercises.registry import exercise

SMALL_TRAINING_SET = 200
EPOCHS = 60


@exercise("05.pool_output_shape")
def pool_output_shape(shape):
    """pool1's output shape if digits_cnn's conv1 were Conv2D(12, 5): 16×16×1 → conv → pool by 2."""
    shape = as_shape(shape)
    pooled = layers.MaxPooling2D(2)(layers.Conv2D(12, 5)(keras.Input(shape=(16, 16, 1))))
    truth = tuple(pooled.shape)
    expect(len(shape) == 4, "a batch of images has four axes: (batch, height, width, channels)")
    expect(shape[0] is None, "the first axis is the batch size, which is left open")
    expect(shape[3] == truth[3], "the number of channels is the number of filters of conv1")
    expect(shape[1:3] == truth[1:3],
           "height and width: a k×k kernel without padding cannot centre on the outer (k-1)/2 "
           "pixels of each side; then pooling by 2 halves what is left")
    return f"{truth}: 16 → 12 (5×5 'valid' convolution) → 6 (pooling by 2), 12 filters"


@exercise("05.conv_params")
def conv_params(count):
    """The parameters of Conv2D(32, 5) reading the 12 feature maps of that changed pool1."""
    expect(isinstance(count, (int, np.integer)),
           f"give a whole number of parameters, not a {type(count).__name__}")
    layer = layers.Conv2D(32, 5)
    layer.build((None, 6, 6, 12))
    expect(count == layer.count_params(),
           "each filter has a weight for every (row, column, input channel) of its 5×5 window, "
           "plus one bias; the input has 12 channels, and there are 32 filters")
    return f"{layer.count_params():,} = 5·5·12·32 weights + 32 biases (the image size does not matter)"


def _flat(images):
    return (images / 255.0).astype("float32").reshape(len(images), -1)


def _small_digits():
    """The lesson's 200 training digits and the 360 test digits, flattened 16×16 images."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data(size=16)
    return ((_flat(x_train)[:SMALL_TRAINING_SET], y_train[:SMALL_TRAINING_SET]),
            (_flat(x_test), y_test))


def _trained_validation(model, data):
    """Train ``model`` on the small set; its validation cross-entropy and accuracy (no penalties)."""
    (x_small, y_small), (x_val, y_val) = data
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x_small, y_small, epochs=EPOCHS, batch_size=16, verbose=0)
    probabilities = np.clip(np.asarray(model.predict(x_val, verbose=0)), 1e-7, 1.0)
    cross_entropy = float(-np.mean(np.log(probabilities[np.arange(len(y_val)), y_val])))
    return cross_entropy, float(np.mean(probabilities.argmax(axis=1) == y_val))


def _plain_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(256,)), layers.Dense(256, activation="relu"),
                             layers.Dense(256, activation="relu"),
                             layers.Dense(10, activation="softmax")])


@exercise("05.close_the_gap")
def close_the_gap(make_model):
    """``make_model()``: a regularised 256 → ... → 10 (softmax) model that generalises better
    than the lesson's plain one when both learn from 200 digits for 60 epochs.

    It sets the global random seed (keras.utils.set_random_seed(0)) before each model is made,
    so that the comparison gives the same verdict on every run.
    """
    expect(callable(make_model), "make_model must be a function that returns a new model")
    keras.utils.set_random_seed(0)     # the same starting weights, dropout masks and batches
    model = require_model(answered(make_model()), "a keras.Model from make_model()")
    expect(tuple(model.inputs[0].shape) == (None, 256),
           "the model reads the flattened 16×16 images: keras.Input(shape=(256,))")
    expect(output_shape(model) == (None, 10), "it ends with 10 class probabilities (softmax)")
    data = _small_digits()
    loss, accuracy = _trained_validation(model, data)
    plain_loss, plain_accuracy = _trained_validation(_plain_model(), data)
    expect(accuracy >= plain_accuracy - 0.03,
           f"validation accuracy {accuracy:.0%} against the plain model's {plain_accuracy:.0%}: "
           f"regularise less, or keep enough units to learn the digits")
    expect(loss <= 0.9 * plain_loss,
           f"validation loss {loss:.3f}, not clearly below the plain model's {plain_loss:.3f}: "
           f"the model still memorises its 200 samples. Try Dropout between the Dense layers, "
           f"or a weight penalty (kernel_regularizer)")
    return "on unseen digits your model's loss is clearly below the plain model's, at least as accurate"
