"""compile()'s arguments: weighted_metrics as in Keras 3, Keras 2's sample_weight_mode
and target_tensors kept with a DeprecationWarning, and every identifier checked in
compile, before anything is touched (issue 14: a typo used to fail only after fit had
changed the weights). class_weight keys that the targets cannot contain are refused
before training.
"""

import warnings

import numpy as np
import pytest

import kerlite
from tests._keras_reference import import_keras

rng = np.random.default_rng(0)
X = rng.normal(size=(12, 4)).astype("float32")
LABELS = rng.integers(0, 3, size=(12,)).astype("float32")
SAMPLE_WEIGHT = rng.uniform(0, 2, size=(12,)).astype("float32")


def single_output(keras, **compile_arguments):
    inputs = keras.Input((4,))
    dense = keras.layers.Dense(3, activation="softmax", kernel_initializer="ones")
    model = keras.Model(inputs, dense(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy", **compile_arguments)
    return model


def two_outputs(keras, **compile_arguments):
    inputs = keras.Input((4,))
    a = keras.layers.Dense(3, activation="softmax", name="a", kernel_initializer="ones")
    b = keras.layers.Dense(1, name="b", kernel_initializer="ones")
    model = keras.Model(inputs, [a(inputs), b(inputs)])
    model.compile("sgd", ["sparse_categorical_crossentropy", "mse"], **compile_arguments)
    return model


WEIGHTED_CASES = {
    "weighted only": (single_output, dict(weighted_metrics=["accuracy"]),
                      dict(sample_weight=SAMPLE_WEIGHT)),
    "same name in both": (single_output, dict(
        metrics=["accuracy"], weighted_metrics=["accuracy", "sparse_categorical_crossentropy"]),
        dict(sample_weight=SAMPLE_WEIGHT)),
    "repeated names": (single_output, dict(metrics=["accuracy", "accuracy"],
                                           weighted_metrics=["accuracy", "accuracy"]),
                       dict(sample_weight=SAMPLE_WEIGHT)),
    "class_weight": (single_output, dict(metrics=["accuracy"], weighted_metrics=["accuracy"]),
                     dict(class_weight={0: 1.0, 1: 3.0, 2: 0.5})),
    "two outputs, dict": (two_outputs, dict(metrics={"b": ["mae"]},
                                            weighted_metrics={"a": ["accuracy"], "b": ["mae"]}),
                          dict(sample_weight=SAMPLE_WEIGHT)),
    "two outputs, lists": (two_outputs, dict(metrics=[["accuracy"], ["mae"]],
                                             weighted_metrics=[["accuracy"], ["mae"]]),
                           dict(sample_weight=SAMPLE_WEIGHT)),
    # Keras 3 reads a flat list as one entry per output (Keras 2 gave each to all)
    "two outputs, one metric each": (two_outputs, dict(metrics=["accuracy", "mae"]), {}),
    "two outputs, mixed entries": (two_outputs, dict(metrics=[None, ["mae", "mse"]],
                                                      weighted_metrics=("accuracy", None)),
                                   dict(sample_weight=SAMPLE_WEIGHT)),
}


def weighted_run(keras, case):
    make, compile_arguments, fit_arguments = WEIGHTED_CASES[case]
    model = make(keras, **compile_arguments)
    y = LABELS if make is single_output else [LABELS, LABELS[:, None]]
    history = model.fit(X, y, batch_size=5, epochs=2, verbose=0, shuffle=False,
                        validation_data=(X, y), **fit_arguments)
    evaluation = model.evaluate(X, y, sample_weight=SAMPLE_WEIGHT, verbose=0,
                                return_dict=True)
    return history.history, evaluation


@pytest.mark.slow
@pytest.mark.parity
@pytest.mark.parametrize("case", list(WEIGHTED_CASES))
def test_weighted_metrics_match_keras(case):
    keras = import_keras()
    expected_history, expected_evaluation = weighted_run(keras, case)
    history, evaluation = weighted_run(kerlite, case)
    assert sorted(history) == sorted(expected_history)
    for name, values in expected_history.items():
        np.testing.assert_allclose(history[name], values, rtol=1e-5, err_msg=name)
    assert sorted(evaluation) == sorted(expected_evaluation)
    for name, value in expected_evaluation.items():
        assert evaluation[name] == pytest.approx(value, rel=1e-5), name


def test_weighted_metrics_use_the_sample_weights():
    history, _ = weighted_run(kerlite, "same name in both")
    assert history["accuracy"] != history["weighted_accuracy"]


@pytest.mark.parity
@pytest.mark.parametrize("argument", ["metrics", "weighted_metrics"])
def test_metrics_must_be_a_list_or_dict_as_in_keras(argument):
    keras = import_keras()
    with pytest.raises(ValueError, match=argument):
        single_output(keras, **{argument: "accuracy"})
    with pytest.raises(ValueError, match=f"`{argument}`.*list, tuple, or dict"):
        single_output(kerlite, **{argument: "accuracy"})


def test_a_metrics_list_of_lists_must_have_one_entry_per_output():
    with pytest.raises(ValueError, match="list of 1 values for `metrics`.*2 output"):
        two_outputs(kerlite, metrics=[["accuracy"]])


# --- Keras 2 arguments ------------------------------------------------------------------

def test_sample_weight_mode_is_accepted_with_a_deprecation_warning_naming_keras_3():
    """sample_weight_mode='temporal' is not needed in Keras 3: 2D sample weights work."""
    inputs = kerlite.Input((5, 2))
    model = kerlite.Model(inputs, kerlite.layers.Dense(1)(inputs))
    with pytest.warns(DeprecationWarning, match=r"sample_weight.*\(samples, timesteps\)"):
        model.compile("sgd", "mse", sample_weight_mode="temporal")
    x = rng.normal(size=(6, 5, 2)).astype("float32")
    y = rng.normal(size=(6, 5, 1)).astype("float32")
    temporal_weights = np.ones((6, 5), "float32")
    temporal_weights[:, 3:] = 0.0
    model.fit(x, y, sample_weight=temporal_weights, epochs=1, verbose=0)
    weighted = model.evaluate(x, y, sample_weight=temporal_weights, verbose=0)
    per_step = ((model.predict(x, verbose=0) - y) ** 2)[..., 0] * temporal_weights
    assert weighted == pytest.approx(per_step.sum() / per_step.size, rel=1e-5)


def test_sample_weight_mode_none_from_the_seed_runs():
    """The seed's signature: compile(optimizer, loss, metrics=None, loss_weights=None,
    sample_weight_mode=None, weighted_metrics=None, target_tensors=None)."""
    model = single_output(kerlite)
    with pytest.warns(DeprecationWarning):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], loss_weights=None, sample_weight_mode=None,
                      weighted_metrics=None, target_tensors=None)
    history = model.fit(X, LABELS, epochs=1, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]


def test_target_tensors_warn_and_serve_as_y():
    model = single_output(kerlite)
    with pytest.warns(DeprecationWarning, match=r"fit\(x, y\)"):
        model.compile("sgd", "sparse_categorical_crossentropy", target_tensors=LABELS)
    model.fit(X, epochs=1, batch_size=12, verbose=0, shuffle=False)
    with_targets = model.evaluate(X, verbose=0)
    assert with_targets == pytest.approx(model.evaluate(X, LABELS, verbose=0))


def test_unknown_compile_argument_is_a_type_error_as_in_python():
    with pytest.raises(TypeError, match="unexpected keyword argument 'sample_wieght_mode'"):
        single_output(kerlite, sample_wieght_mode="temporal")


# --- identifiers resolved in compile, nothing touched on failure --------------------------

BAD_COMPILES = {
    "unknown loss": (dict(loss="nope"), "'nope'"),
    "misspelt loss": (dict(loss="mean_sqared_error"), "mean_squared_error"),
    "loss that is a number": (dict(loss=5), "5"),
    "unknown metric": (dict(loss="mse", metrics=["acuracy"]), "'accuracy'"),
    "unknown weighted metric": (dict(loss="mse", weighted_metrics=["nope"]), "'nope'"),
    "unknown optimizer": (dict(optimizer="adamm", loss="mse"), "'adam'"),
    "loss_weights too long": (dict(loss="mse", loss_weights=[1.0, 2.0, 3.0]), r"\['a', 'b'\]"),
    "loss dict naming no output": (dict(loss={"zz": "mse"}), r"\['zz'\]"),
    "metrics dict naming no output": (dict(loss="mse", metrics={"zz": ["mae"]}), "zz"),
    "loss_weights dict naming no output": (dict(loss="mse", loss_weights={"zz": 1.0}), "zz"),
    "loss_weights not numbers": (dict(loss="mse", loss_weights=["big", 1.0]), "number"),
}


@pytest.mark.parametrize("case", list(BAD_COMPILES))
def test_bad_identifier_fails_in_compile_and_changes_nothing(case):
    arguments, named = BAD_COMPILES[case]
    model = two_outputs(kerlite, loss_weights=[1.0, 0.5])
    optimizer, before = model.optimizer, [w.copy() for w in model.get_weights()]
    arguments = dict(dict(optimizer="sgd"), **arguments)
    with pytest.raises(ValueError, match=named):
        model.compile(**arguments)
    assert model.optimizer is optimizer  # the previous compile still holds
    history = model.fit(X, [LABELS, LABELS[:, None]], epochs=1, verbose=0)
    assert "loss" in history.history
    model.set_weights(before)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_bad_loss_on_a_fresh_model_leaves_the_weights_untouched():
    model = single_output(kerlite)
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="'nope'"):
        model.compile("sgd", loss="nope")
    with pytest.raises(ValueError):  # still the earlier compile: fit works and trains
        model.compile("sgd", loss="sparse_categorical_crossentropy", metrics=["nope"])
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_subclassed_model_checks_identifiers_before_it_is_built():
    class Tiny(kerlite.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerlite.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    with pytest.raises(ValueError, match="'nope'"):
        Tiny().compile("sgd", loss="nope")


@pytest.mark.parity
@pytest.mark.parametrize("case", ["unknown loss", "unknown optimizer", "loss_weights too long",
                                  "loss dict naming no output"])
def test_keras_raises_the_same_error_type(case):
    """Keras raises ValueError too (some only when fit starts; kerlite in compile)."""
    keras = import_keras()
    arguments, _ = BAD_COMPILES[case]
    model = two_outputs(keras)
    with pytest.raises(ValueError):
        model.compile(**dict(dict(optimizer="sgd"), **arguments))
        model.fit(X, [LABELS, LABELS[:, None]], epochs=1, verbose=0)


# --- class_weight ------------------------------------------------------------------------

BAD_CLASS_WEIGHTS = {
    "class beyond the softmax": ({0: 1.0, 7: 2.0}, r"\[7\].*0 to 2"),
    "negative class": ({-1: 2.0, 0: 1.0}, "-1"),
    "fractional class": ({0.5: 2.0}, "0.5"),
    "string class": ({"cat": 2.0}, "'cat'"),
    "weight not a number": ({0: "high"}, "'high'"),
    "not a dict": ([1.0, 2.0, 3.0], "dict"),
}


@pytest.mark.parametrize("case", list(BAD_CLASS_WEIGHTS))
def test_class_weight_naming_impossible_classes_is_refused_before_training(case):
    class_weight, named = BAD_CLASS_WEIGHTS[case]
    model = single_output(kerlite)
    before = [w.copy() for w in model.get_weights()]
    iterations = int(model.optimizer.iterations.numpy())
    with pytest.raises(ValueError, match=named):
        model.fit(X, LABELS, class_weight=class_weight, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=named):
        model.train_on_batch(X, LABELS, class_weight=class_weight)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)
    assert int(model.optimizer.iterations.numpy()) == iterations


def test_class_weight_checks_binary_and_one_hot_targets():
    inputs = kerlite.Input((4,))
    binary = kerlite.Model(inputs, kerlite.layers.Dense(1, activation="sigmoid")(inputs))
    binary.compile("sgd", "binary_crossentropy")
    binary.fit(X, LABELS[:, None] > 1, class_weight={0: 1.0, 1: 4.0}, verbose=0)
    with pytest.raises(ValueError, match=r"\[2\]"):
        binary.fit(X, LABELS[:, None] > 1, class_weight={0: 1.0, 2: 4.0}, verbose=0)
    one_hot = np.eye(3, dtype="float32")[LABELS.astype(int)]
    model = single_output(kerlite)
    model.compile("sgd", "categorical_crossentropy")
    model.fit(X, one_hot, class_weight={0: 1.0, 1: 2.0, 2: 1.0}, verbose=0)
    with pytest.raises(ValueError, match=r"\[3\]"):
        model.fit(X, one_hot, class_weight={3: 1.0}, verbose=0)


def test_valid_class_weight_keys_of_numpy_integer_type_work():
    model = single_output(kerlite)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, LABELS, class_weight={np.int64(0): 1.0, np.int64(2): 2.0}, verbose=0)


def test_keras_2_generator_methods_take_the_seeds_positional_arguments():
    """fit_generator(generator, steps_per_epoch, epochs, verbose, callbacks,
    validation_data, validation_steps, class_weight, max_queue_size, workers,
    use_multiprocessing, shuffle, initial_epoch), as the seed documents it."""

    def batches():
        while True:
            yield X[:4], LABELS[:4]

    model = single_output(kerlite)
    with pytest.warns(DeprecationWarning, match="PyDataset"):
        history = model.fit_generator(batches(), 3, 2, 0, None, (X, LABELS), None, None,
                                      10, 1, False, True, 0)
    assert history.epoch == [0, 1] and history.params["steps"] == 3
    assert "val_loss" in history.history
    with pytest.warns(DeprecationWarning):
        assert model.predict_generator(batches(), 2, 10, 1, False, 0).shape == (8, 3)
    with pytest.warns(DeprecationWarning):
        assert model.evaluate_generator(batches(), 2, 10, 1, False, 0) > 0


@pytest.mark.parity
def test_every_metric_and_loss_name_keras_accepts_resolves_in_kerlite():
    """compile() now resolves names up front, so a name Keras knows must be known here."""
    keras = import_keras()
    from keras.src.losses import ALL_OBJECTS_DICT as keras_losses
    from keras.src.metrics import ALL_OBJECTS_DICT as keras_metrics

    def accepted(get, name):
        try:
            get(name)
        except (ValueError, TypeError):
            return False
        return True

    abstract_or_absent = {"Metric", "metric", "Loss", "loss", "CTC", "ctc"}
    for library_get, names in ((kerlite.metrics.get, keras_metrics),
                               (kerlite.losses.get, keras_losses)):
        keras_get = keras.metrics.get if names is keras_metrics else keras.losses.get
        missing = [name for name in names if name not in abstract_or_absent
                   and accepted(keras_get, name) and not accepted(library_get, name)]
        assert missing == []
