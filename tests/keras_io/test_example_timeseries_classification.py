"""keras-io examples "Timeseries classification from scratch"
(examples/timeseries/timeseries_classification_from_scratch.py) and "Timeseries
classification with a Transformer model" (examples/timeseries/timeseries_classification_transformer.py),
run on kerlite and Keras 3.

Sections: (from scratch) Standardize the data, Build a model, Train the model (with the
ModelCheckpoint / ReduceLROnPlateau / EarlyStopping callbacks) and Evaluate the best model
reloaded from its file; (transformer) Build the model (transformer_encoder, build_model).
Data: random series of the FordA shape (500 steps, 1 channel, labels -1/1) instead of the
download; few samples, 2 epochs.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, run_both

pytestmark = pytest.mark.parity


def readucr(rng, n):
    x = rng.normal(size=(n, 500)).astype("float64")
    y = rng.choice([-1, 1], size=(n,)).astype("float64")
    return x, y.astype(int)


def standardize_the_data(seed=0, n=40):
    rng = np.random.default_rng(seed)
    x_train, y_train = readucr(rng, n)
    x_test, y_test = readucr(rng, n // 4)
    x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
    x_test = x_test.reshape((x_test.shape[0], x_test.shape[1], 1))
    num_classes = len(np.unique(y_train))
    idx = rng.permutation(len(x_train))
    x_train, y_train = x_train[idx], y_train[idx]
    y_train[y_train == -1] = 0
    y_test[y_test == -1] = 0
    return x_train, y_train, x_test, y_test, num_classes


def make_model(lib, input_shape, num_classes):
    keras = lib.keras
    input_layer = keras.layers.Input(input_shape)
    conv1 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(input_layer)
    conv1 = keras.layers.BatchNormalization()(conv1)
    conv1 = keras.layers.ReLU()(conv1)
    conv2 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv1)
    conv2 = keras.layers.BatchNormalization()(conv2)
    conv2 = keras.layers.ReLU()(conv2)
    conv3 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv2)
    conv3 = keras.layers.BatchNormalization()(conv3)
    conv3 = keras.layers.ReLU()(conv3)
    gap = keras.layers.GlobalAveragePooling1D()(conv3)
    output_layer = keras.layers.Dense(num_classes, activation="softmax")(gap)
    return keras.models.Model(inputs=input_layer, outputs=output_layer)


def test_build_a_model():
    x_train, _, x_test, _, num_classes = standardize_the_data()
    assert x_train.shape == (40, 500, 1) and num_classes == 2

    mine, theirs = run_both(make_model, x_train.shape[1:], num_classes)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    assert mine.count_params() == 25858
    copy_weights(mine, theirs)
    assert_close(mine.predict(x_test, verbose=0), theirs.predict(x_test, verbose=0),
                 atol=1e-5)


@pytest.mark.slow
def test_train_and_evaluate_the_best_model(tmp_path):
    x_train, y_train, x_test, y_test, num_classes = standardize_the_data()

    def section(lib):
        keras = lib.keras
        model = make_model(lib, x_train.shape[1:], num_classes)
        epochs, batch_size = 2, 16
        best = str(tmp_path / f"{lib.name}_best_model.keras")
        callbacks = [
            keras.callbacks.ModelCheckpoint(best, save_best_only=True, monitor="val_loss"),
            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=20,
                                              min_lr=0.0001),
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=50, verbose=0),
        ]
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["sparse_categorical_accuracy"])
        history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs,
                            callbacks=callbacks, validation_split=0.2, verbose=0)
        model = keras.models.load_model(best)
        test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
        return sorted(history.history), test_loss, test_acc

    mine, theirs = run_both(section)
    # ReduceLROnPlateau adds the learning rate to the logs in both
    assert mine[0] == theirs[0]
    assert np.isfinite(mine[1]) and 0.0 <= mine[2] <= 1.0


def transformer_encoder(lib, inputs, head_size, num_heads, ff_dim, dropout=0):
    layers = lib.layers
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(
        inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res


def build_transformer_model(lib, input_shape, head_size, num_heads, ff_dim,
                            num_transformer_blocks, mlp_units, dropout=0, mlp_dropout=0,
                            n_classes=2):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for _ in range(num_transformer_blocks):
        x = transformer_encoder(lib, x, head_size, num_heads, ff_dim, dropout)
    x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
    for dim in mlp_units:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def test_transformer_build_the_model():
    x_train, _, x_test, _, _ = standardize_the_data(n=8)

    def section(lib):
        model = build_transformer_model(
            lib, x_train.shape[1:], head_size=256, num_heads=4, ff_dim=4,
            num_transformer_blocks=4, mlp_units=[128], mlp_dropout=0.4, dropout=0.25)
        model.compile(loss="sparse_categorical_crossentropy",
                      optimizer=lib.keras.optimizers.Adam(learning_rate=1e-4),
                      metrics=["sparse_categorical_accuracy"])
        return model

    mine, theirs = run_both(section)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    # per block: MHA 4 heads of 256 on 1 channel (7169), 2 norms (4), 2 convs (8 + 5); head
    assert mine.count_params() == theirs.count_params() == 4 * (7169 + 4 + 8 + 5) + 256 + 258
    copy_weights(mine, theirs)
    assert_close(mine.predict(x_test, verbose=0), theirs.predict(x_test, verbose=0),
                 atol=1e-4)
