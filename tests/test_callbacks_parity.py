"""Callback hooks against Keras 3: the same hooks, in the same order, with the same
arguments and the same log keys, for fit (validation data, validation split,
steps_per_epoch with validation_freq), evaluate and predict.

Each run records ``(hook, epoch or batch, sorted log keys, how logs was passed)``
for every hook, plus ``set_params``'s dict, in kerlite and in Keras on the same model
and data, and the two records must be equal.
"""

import contextlib
import io

import numpy as np
import pytest

import kerlite
from tests._keras_reference import import_keras

HOOKS = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
         "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
         "on_batch_begin", "on_batch_end"]


def recorder_class(keras):
    """A Callback subclass of ``keras`` that records every hook call."""

    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events = []

        def set_params(self, params):
            super().set_params(params)
            self.events.append(("set_params", dict(params)))

        def set_model(self, model):
            super().set_model(model)
            self.events.append(("set_model",))

    def make_hook(name):
        numbered = "batch" in name or "epoch" in name

        def hook(self, *args, **kwargs):
            if "logs" in kwargs:
                logs, passed = kwargs["logs"], "keyword"
            else:
                logs, passed = args[-1], "positional"
            if not isinstance(logs, dict):
                raise AssertionError(f"{name} got logs={logs!r}, not a dict")
            assert all(isinstance(v, float) for k, v in logs.items() if k != "outputs")
            self.events.append((name, args[0] if numbered else None, sorted(logs), passed))

        return hook

    for name in HOOKS:
        setattr(Recorder, name, make_hook(name))
    return Recorder


def run(keras, scenario):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 3)).astype("float32")
    y = rng.integers(0, 2, size=(12, 1)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    recorder = recorder_class(keras)()
    common = dict(callbacks=[recorder], verbose=0)
    if scenario == "validation_data":
        model.fit(x, y, batch_size=5, epochs=2, validation_data=(x[:7], y[:7]), **common)
    elif scenario == "validation_split":
        model.fit(x, y, batch_size=4, epochs=2, validation_split=0.25, **common)
    elif scenario == "steps_per_epoch":
        model.fit(x, y, batch_size=2, epochs=3, steps_per_epoch=2, validation_data=(x, y),
                  validation_freq=2, validation_steps=1, **common)
    elif scenario == "validation_freq_list":
        model.fit(x, y, batch_size=6, epochs=3, validation_data=(x, y),
                  validation_freq=[1, 3], **common)
    elif scenario == "stop_training":
        class StopAtSecondBatch(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                self.model.stop_training = batch == 1

        model.fit(x, y, batch_size=3, epochs=3, validation_data=(x, y),
                  callbacks=[StopAtSecondBatch(), recorder], verbose=0)
    elif scenario == "two_outputs":
        inputs = keras.Input((3,))
        first = keras.layers.Dense(1, activation="sigmoid", name="first")(inputs)
        second = keras.layers.Dense(2, name="second")(inputs)
        model = keras.Model(inputs, [first, second])
        model.compile("sgd", ["binary_crossentropy", "mse"],
                      metrics=[["accuracy"], ["mae"]])
        model.fit(x, [y, np.hstack([y, y])], batch_size=6, epochs=1,
                  validation_split=0.5, **common)
        model.predict(x, batch_size=6, **common)
    elif scenario == "evaluate":
        model.evaluate(x, y, batch_size=5, **common)
    elif scenario == "predict":
        model.predict(x, batch_size=5, **common)
    return recorder.events


SCENARIOS = ["validation_data", "validation_split", "steps_per_epoch",
             "validation_freq_list", "stop_training", "two_outputs", "evaluate", "predict"]


@pytest.mark.parity
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hook_sequence_matches_keras(scenario):
    keras = import_keras()
    expected = run(keras, scenario)
    assert run(kerlite, scenario) == expected


@pytest.mark.parity
def test_params_keep_verbose_auto_as_keras_does():
    """``params["verbose"]`` is what was passed: "auto" by default, as in Keras."""
    keras = import_keras()
    seen = {}
    for library in (keras, kerlite):
        recorder = recorder_class(library)()
        model = library.Sequential([library.Input((3,)), library.layers.Dense(1)])
        model.compile("sgd", "mse")
        with contextlib.redirect_stdout(io.StringIO()):
            model.fit(np.ones((4, 3)), np.ones((4, 1)), callbacks=[recorder])
            model.predict(np.ones((4, 3)), callbacks=[recorder], verbose=2)
        seen[library] = [e for e in recorder.events if e[0] == "set_params"]
    assert seen[kerlite] == seen[keras]
    assert seen[kerlite][0] == ("set_params", {"verbose": "auto", "epochs": 1, "steps": 1})


def test_begin_hooks_get_a_dict_and_validation_fires_test_hooks():
    events = run(kerlite, "validation_data")
    assert ("on_train_begin", None, [], "positional") in events
    assert ("on_epoch_begin", 0, [], "positional") in events
    validation = events.index(("on_test_begin", None, [], "positional"))
    assert events[validation + 1] == ("on_test_batch_begin", 0, [], "keyword")
    end = [e for e in events if e[0] == "on_epoch_end"][0]
    assert end[2] == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert events[-1] == ("on_train_end", None, ["accuracy", "loss", "val_accuracy",
                                                  "val_loss"], "positional")


def test_steps_per_epoch_takes_consecutive_batches_like_keras():
    """With steps_per_epoch, epochs continue through one pass over the data."""
    seen = []

    class Spy(kerlite.layers.Layer):
        def call(self, inputs, training=None):
            if training:
                seen.append(int(inputs.numpy()[0, 0]))
            return inputs

    x = np.arange(12, dtype="float32").reshape(6, 2)
    model = kerlite.Sequential([kerlite.Input((2,)), Spy(), kerlite.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((6, 1)), batch_size=2, epochs=3, steps_per_epoch=1,
              shuffle=False, verbose=0)
    assert seen == [0, 4, 8]
    seen.clear()
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(x, np.zeros((6, 1)), batch_size=2, epochs=2, steps_per_epoch=2,
                  shuffle=False, verbose=0)
    assert seen == [0, 4, 8]  # epoch 2 stops after the pass's last batch
