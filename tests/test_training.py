"""compile / fit / evaluate / predict: parity with Keras 3, learning, data forms."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers
from _keras_reference import import_keras

rng = np.random.default_rng(0)
X = rng.normal(size=(96, 8)).astype("float32")
Y = rng.integers(0, 3, 96)


def classifier(lib, hidden=16, activation=None):
    inputs = lib.Input((8,))
    hidden_layer = lib.layers.Dense(hidden, activation="relu")(inputs)
    return lib.Model(inputs, lib.layers.Dense(3, activation=activation)(hidden_layer))


def twin_models(reference, activation=None, **compile_kwargs):
    """The same classifier in Keras and kerlite, on weights Keras draws from seed 0 (so a
    test gets the same weights whatever ran before it in the process)."""
    reference.utils.set_random_seed(0)
    theirs, ours = classifier(reference, activation=activation), classifier(
        keras, activation=activation)
    ours.set_weights(theirs.get_weights())
    for model, lib in ((theirs, reference), (ours, keras)):
        model.compile(**{k: (v(lib) if callable(v) else v)
                         for k, v in compile_kwargs.items()})
    return theirs, ours


@pytest.mark.parity
@pytest.mark.parametrize("optimizer", [
    lambda lib: lib.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    lambda lib: lib.optimizers.Adam(learning_rate=0.01),
    lambda lib: lib.optimizers.RMSprop(learning_rate=0.01),
    # fit ends by swapping in the moving averages of the weights
    lambda lib: lib.optimizers.Adam(learning_rate=0.01, use_ema=True, ema_momentum=0.5),
], ids=["sgd", "adam", "rmsprop", "adam_ema"])
def test_one_epoch_gives_the_same_weights_as_keras(optimizer):
    reference = import_keras()
    theirs, ours = twin_models(
        reference, optimizer=optimizer,
        loss=lambda lib: lib.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"])
    history_theirs = theirs.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    history_ours = ours.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for mine, expected in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, expected, rtol=1e-5, atol=1e-6)
    for key in ("loss", "accuracy"):
        assert history_ours.history[key] == pytest.approx(history_theirs.history[key],
                                                          rel=1e-5)


@pytest.mark.parity
def test_sample_weight_and_class_weight_weigh_the_loss_as_keras():
    reference = import_keras()
    # softmax outputs: the probabilities the loss expects (on raw scores, a row summing
    # to nearly 0 makes its gradient ~1/sum, and the float rounding of XLA and NumPy
    # then parts the two sides)
    theirs, ours = twin_models(reference, activation="softmax", optimizer="sgd",
                               loss="sparse_categorical_crossentropy")
    weights = rng.random(96).astype("float32")
    assert ours.evaluate(X, Y, sample_weight=weights, verbose=0) == pytest.approx(
        theirs.evaluate(X, Y, sample_weight=weights, verbose=0), rel=1e-5)
    class_weight = {0: 1.0, 1: 3.0, 2: 0.5}
    theirs.fit(X, Y, class_weight=class_weight, epochs=1, shuffle=False, verbose=0)
    ours.fit(X, Y, class_weight=class_weight, epochs=1, shuffle=False, verbose=0)
    for mine, expected in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, expected, rtol=1e-5, atol=1e-6)
    plain = ours.evaluate(X, Y, verbose=0)
    assert ours.evaluate(X, Y, sample_weight=np.zeros(96, "f"), verbose=0) == 0.0
    assert ours.evaluate(X, Y, sample_weight=np.full(96, 2.0, "f"), verbose=0) == (
        pytest.approx(2 * plain, rel=1e-5))


def two_output_model(lib):
    inputs = {"a": lib.Input((3,), name="a"), "b": lib.Input((2,), name="b")}
    merged = lib.layers.Concatenate()([inputs["a"], inputs["b"]])
    hidden = lib.layers.Dense(8, activation="tanh")(merged)
    outputs = [lib.layers.Dense(3, activation="softmax", name="cls")(hidden),
               lib.layers.Dense(1, name="reg")(hidden)]
    return lib.Model(inputs, outputs)


@pytest.mark.parity
def test_multi_input_multi_output_with_dicts_reports_like_keras():
    reference = import_keras()
    data = {"a": rng.normal(size=(40, 3)).astype("f"), "b": rng.normal(size=(40, 2)).astype("f")}
    targets = {"cls": rng.integers(0, 3, 40), "reg": rng.normal(size=(40, 1)).astype("f")}
    results = []
    theirs, ours = two_output_model(reference), two_output_model(keras)
    ours.set_weights(theirs.get_weights())
    for model in (theirs, ours):
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy",
                                              "reg": "mse"},
                      loss_weights={"cls": 1.0, "reg": 0.5},
                      metrics={"cls": ["accuracy"], "reg": ["mae"]})
        history = model.fit(data, targets, batch_size=8, epochs=2, shuffle=False,
                            verbose=0, validation_split=0.25)
        results.append((history.history, model.evaluate(data, targets, verbose=0,
                                                        return_dict=True)))
    (history_theirs, eval_theirs), (history_ours, eval_ours) = results
    assert list(history_ours) == list(history_theirs)
    for key in history_theirs:
        assert history_ours[key] == pytest.approx(history_theirs[key], rel=1e-4)
    assert eval_ours == pytest.approx(eval_theirs, rel=1e-4)
    listed = ours.evaluate(data, targets, verbose=0)
    assert ours.metrics_names == ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]
    assert listed == pytest.approx([eval_ours[n] for n in ours.metrics_names])
    predictions = ours.predict(data, batch_size=7, verbose=0)
    assert isinstance(predictions, list) and [p.shape for p in predictions] == [
        (40, 3), (40, 1)]


def test_learns_xor():
    keras.utils.set_random_seed(1)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 16, "float32")
    y = np.array([0, 1, 1, 0] * 16, "float32")
    inputs = keras.Input((2,))
    hidden = layers.Dense(16, activation="tanh")(inputs)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=60, verbose=0)
    assert history.history["accuracy"][-1] > 0.95
    assert model.evaluate(x, y, verbose=0)[1] == 1.0


def spirals(count=300, seed=0):
    generator = np.random.default_rng(seed)
    t = np.sqrt(generator.random(count)) * 3 * np.pi
    labels = generator.integers(0, 2, count)
    sign = np.where(labels == 0, 1.0, -1.0)
    points = np.stack([sign * t * np.cos(t), sign * t * np.sin(t)], axis=1) / 10
    return (points + generator.normal(scale=0.02, size=points.shape)).astype("f"), labels


def test_learns_two_spirals():
    keras.utils.set_random_seed(0)
    x, y = spirals()
    inputs = keras.Input((2,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    hidden = layers.Dense(64, activation="relu")(hidden)
    model = keras.Model(inputs, layers.Dense(2)(hidden))
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=60, verbose=0)
    assert model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] > 0.95


def test_linear_regression_reaches_low_mse():
    keras.utils.set_random_seed(0)
    x = rng.normal(size=(256, 2)).astype("float32")
    y = (3 * x[:, :1] - 2 * x[:, 1:] + 0.5).astype("float32")
    inputs = keras.Input((2,))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    model.fit(x, y, batch_size=32, epochs=20, verbose=0)
    mse, mae = model.evaluate(x, y, verbose=0)
    assert mse < 1e-4 and mae < 1e-2
    np.testing.assert_allclose(model.get_weights()[0].ravel(), [3, -2], atol=1e-2)


def test_validation_split_holds_out_the_last_samples():
    model = classifier(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    history = model.fit(X, Y, validation_split=0.25, epochs=1, verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(
        model.evaluate(X[72:], Y[72:], verbose=0), rel=1e-6)
    assert history.params == {"verbose": 0, "epochs": 1, "steps": 3}


class Batches(keras.utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.epochs_ended = 0

    def __len__(self):
        return 3

    def __getitem__(self, index):
        part = slice(index * 32, (index + 1) * 32)
        return X[part], Y[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_generators_and_py_datasets():
    model = classifier(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

    def endless():
        while True:
            for start in range(0, 96, 32):
                yield X[start:start + 32], Y[start:start + 32]

    history = model.fit(endless(), steps_per_epoch=3, epochs=2, verbose=0,
                        validation_data=(X, Y))
    assert len(history.history["val_loss"]) == 2
    dataset = Batches()
    model.fit(dataset, epochs=2, verbose=0)
    assert dataset.epochs_ended == 2
    assert keras.utils.Sequence is keras.utils.PyDataset
    assert np.allclose(model.evaluate(dataset, verbose=0), model.evaluate(X, Y, verbose=0))
    with pytest.warns(DeprecationWarning, match="fit_generator"):
        model.fit_generator(endless(), steps_per_epoch=2, epochs=1, verbose=0)
    with pytest.warns(DeprecationWarning):
        assert model.predict_generator(endless(), steps=2, verbose=0).shape == (64, 3)
    with pytest.warns(DeprecationWarning):
        model.evaluate_generator(endless(), steps=2, verbose=0)


@pytest.mark.parity
def test_py_dataset_epoch_hooks_run_around_every_epoch_as_in_keras():
    """on_epoch_begin / on_epoch_end around each epoch of fit, evaluate and predict (Keras 3
    also reads batch 0 once before fit and ends that peek with an on_epoch_end: left out)."""
    reference = import_keras()
    orders = []
    for library in (keras, reference):
        events = []

        class Logged(library.utils.PyDataset):
            def __len__(self):
                return 3

            def __getitem__(self, index):
                events.append("batch")
                return X[index * 8:(index + 1) * 8], Y[index * 8:(index + 1) * 8]

            def on_epoch_begin(self):
                events.append("begin")

            def on_epoch_end(self):
                events.append("end")

        model = classifier(library)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(Logged(), epochs=2, verbose=0)
        fitted = list(events)
        del events[:]
        model.evaluate(Logged(), verbose=0)
        model.predict(Logged(), verbose=0)
        orders.append((fitted, list(events)))
    epoch = ["begin", "batch", "batch", "batch", "end"]
    assert orders[0] == (epoch * 2, epoch * 2)
    assert orders[1] == (["begin", "batch", "end"] + epoch * 2, ["end"] + epoch * 2)


def test_predict_and_batch_methods():
    model = classifier(keras)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    predictions = model.predict(X, batch_size=10, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (96, 3)
    # Batches of 10 and one batch of 96 may sum in different orders inside BLAS.
    np.testing.assert_allclose(predictions, model(X).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(X[:5]), predictions[:5], rtol=1e-5,
                               atol=1e-6)
    loss, accuracy = model.test_on_batch(X, Y)
    assert isinstance(loss, float) and isinstance(accuracy, float)
    logs = model.train_on_batch(X, Y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"} and logs["loss"] == pytest.approx(loss)
    assert model.test_on_batch(X, Y)[0] < loss


def test_training_flag_and_added_losses():
    class Probe(layers.Layer):
        def call(self, inputs, training=None):
            self.seen.append(training)
            self.add_loss(keras.ops.sum(inputs) * 0.0 + 1.0)
            return inputs

    probe = Probe()
    probe.seen = []
    inputs = keras.Input((8,))
    model = keras.Model(inputs, layers.Dense(3)(probe(inputs)))
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    probe.seen.clear()
    history = model.fit(X, Y, batch_size=96, epochs=1, verbose=0)
    assert probe.seen == [True]
    probe.seen.clear()
    total = model.evaluate(X, Y, batch_size=96, verbose=0)
    model.predict(X, batch_size=96, verbose=0)
    assert probe.seen == [False, False]
    logits = model.predict(X, verbose=0)
    plain = float(keras.losses.sparse_categorical_crossentropy(Y, logits).numpy().mean())
    assert total == pytest.approx(plain + 1.0, rel=1e-5)
    assert history.history["loss"][0] > 1.0


def test_errors_are_explained():
    model = classifier(keras)
    with pytest.raises(ValueError, match="compile"):
        model.fit(X, Y, verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(X, Y[:10], verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(X, Y, validation_split=1.5, verbose=0)


def test_compile_without_loss_trains_on_added_losses():
    class Shrink(layers.Layer):
        def call(self, inputs):
            self.add_loss(keras.ops.mean(keras.ops.square(inputs)))
            return inputs

    inputs = keras.Input((8,))
    model = keras.Model(inputs, Shrink()(layers.Dense(4)(inputs)))
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(X, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    plain = classifier(keras)
    plain.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        plain.fit(X, Y, verbose=0)


def test_sequential_models_train_with_one_hot_targets():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
    one_hot = np.eye(3, dtype="float32")[Y]
    history = model.fit(X.astype("float64"), one_hot, epochs=2, verbose=0)
    assert list(history.history) == ["acc", "loss"]
    assert model.metrics_names == ["loss", "acc"]
    assert isinstance(model._compile_metrics.metric_objects[0],
                      keras.metrics.CategoricalAccuracy)
