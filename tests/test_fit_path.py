"""The path of ``fit``: one structure walker, one rule matching values to outputs, the
speed policies chosen once per model, and a step written with the public GradientTape."""

import collections

import numpy as np
import pytest

import kerlite as keras
from kerlite.common import nest
from kerlite.perf import blas_threads
from kerlite.trainers.compile_utils import per_output


def test_internal_walks_keep_insertion_order_and_keras_tree_sorts_keys():
    structure = {"b": [1, (2, 3)], "a": 4}
    assert nest.flatten(structure) == [1, 2, 3, 4]
    assert keras.tree.flatten(structure) == [4, 1, 2, 3]
    rebuilt = keras.tree.pack_sequence_as(structure, [40, 10, 20, 30])
    assert list(rebuilt) == ["b", "a"] and rebuilt == {"b": [10, (20, 30)], "a": 40}
    assert nest.pack_like(structure, [10, 20, 30, 40]) == {"b": [10, (20, 30)], "a": 40}


def test_gradient_tape_keeps_the_nesting_of_its_sources_namedtuples_included():
    Pair = collections.namedtuple("Pair", "first second")
    a = keras.Variable(np.array([1.0, 2.0], "float32"))
    b = keras.Variable(np.array(3.0, "float32"))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(a * a) + b * 2.0
    grads = tape.gradient(loss, {"pair": Pair(a, b), "list": [b]})
    assert isinstance(grads["pair"], Pair)
    np.testing.assert_allclose(grads["pair"].first.numpy(), [2.0, 4.0])
    np.testing.assert_allclose(grads["list"][0].numpy(), 2.0)


def test_one_rule_matches_compile_arguments_and_data_to_outputs():
    names = ["left", "right"]
    assert per_output({"right": "mse"}, names, "loss") == [None, "mse"]
    assert per_output({"right": 1, "other": 2}, names, "y") == [None, 1]  # data: extra ok
    with pytest.raises(ValueError, match="not output names"):
        per_output({"right": "mse", "other": "mae"}, names, "loss")
    with pytest.raises(ValueError, match="match none"):
        per_output({"other": 1}, names, "y")
    with pytest.raises(ValueError, match="received a list of 3 values for `y`"):
        per_output([1, 2, 3], names, "y")
    assert per_output([0, 1, 1], ["out"], "y") == [[0, 1, 1]]  # a single output's data
    assert per_output(["mse"], ["out"], "loss") == ["mse"]
    # metrics as Keras 3 reads them: one entry per output, or all for a single output
    assert per_output(["mse", ["mae", "mse"]], names, "metrics") == ["mse", ["mae", "mse"]]
    assert per_output([["mse"], "mae"], ["out"], "metrics") == [["mse", "mae"]]
    # a flat list of another length (refused by Keras 3): Keras 2's every-output rule
    assert per_output(["mse"], names, "metrics") == [["mse"], ["mse"]]
    with pytest.raises(ValueError, match="received a list of 1 values for `metrics`"):
        per_output([["mse"]], names, "metrics")
    with pytest.raises(ValueError, match="list, tuple, or dict.*metrics=\\['mae'\\]"):
        per_output("mae", ["out"], "metrics")


def _small_model():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_blas_policy_is_chosen_once_per_model_and_again_after_set_blas_threads(
        monkeypatch):
    choices = []
    monkeypatch.setattr(blas_threads, "threads_for",
                        lambda size: choices.append(size) or None)
    model = _small_model()
    x, y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert choices == [6]  # once, for the largest weight: the 3x2 kernel
    monkeypatch.setattr(blas_threads, "_blas_threads", "auto")
    monkeypatch.setattr(blas_threads, "generation", blas_threads.generation)
    keras.backend.set_blas_threads("auto")
    model.fit(x, y, verbose=0)
    assert len(choices) == 2


def test_fit_reports_the_same_loss_as_evaluate_on_one_full_batch():
    model = _small_model()
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    y = np.ones((4, 2), "float32")
    before = model.evaluate(x, y, verbose=0, batch_size=4)
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    assert history.history["loss"][0] == pytest.approx(before, rel=1e-6)
