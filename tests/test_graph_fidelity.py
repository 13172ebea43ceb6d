"""Graph behaviours that real Keras 3 code relies on, each compared with Keras 3.

- a Sequential without an Input, built by its first call, runs on other lengths;
- ``layer.output``/``layer.input`` of a shared layer are the first call's;
- summaries of subclassed models show the shapes the layers were built with;
- a failed call leaves the layer as it was (issue 14): not built, no weights, no node,
  and the next correct call works;
- ``Input`` refuses negative, zero and non-integer sizes with a ValueError naming them.
"""

import warnings

import numpy as np
import pytest

import kerlite
from _keras_reference import import_keras


def _both():
    return kerlite, import_keras()


def _summary_rows(model):
    """The summary's table rows as (name, output shape, params) text triples."""
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    rows = []
    for line in "\n".join(lines).splitlines():
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if line.startswith("│") and len(cells) == 3 and cells[0]:
            rows.append(tuple(cells))
    return rows


# --- Sequential built by its first call ----------------------------------------------

@pytest.mark.parity
def test_sequential_without_input_runs_on_a_second_sequence_length():
    results = []
    for lib in _both():
        layers = lib.layers
        model = lib.Sequential([layers.Embedding(50, 8), layers.LSTM(4), layers.Dense(2)])
        first = model(np.ones((2, 10), "int32"))
        second = model(np.ones((3, 20), "int32"))
        rows = [(name.split(" ")[-1], shape, params)  # "(Embedding)": names vary
                for name, shape, params in _summary_rows(model)]
        results.append((tuple(first.shape), tuple(second.shape),
                        tuple(model.inputs[0].shape), rows))
    ours, theirs = results
    assert ours[:3] == theirs[:3] == ((2, 2), (3, 2), (2, 10))
    assert ours[3] == theirs[3]  # the summary shows the first call's shapes, as Keras
    assert [row[1] for row in ours[3]] == ["(2, 10, 8)", "(2, 4)", "(2, 2)"]


@pytest.mark.slow
@pytest.mark.parity
def test_sequential_built_by_fit_predicts_other_lengths():
    shapes = []
    for lib in _both():
        layers = lib.layers
        model = lib.Sequential([layers.Embedding(50, 8), layers.GRU(4)])
        model.compile("adam", "mse")
        model.fit(np.ones((4, 6), "int32"), np.zeros((4, 4)), verbose=0)
        shapes.append((tuple(model.inputs[0].shape),
                       model.predict(np.ones((2, 9), "int32"), verbose=0).shape))
    assert shapes[0] == shapes[1] == ((4, 6), (2, 4))


def test_sequential_still_refuses_a_wrong_rank_and_a_wrong_feature_size():
    model = kerlite.Sequential([kerlite.layers.Dense(3)])
    model(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="dense"):
        model(np.ones((2, 6), "float32"))
    with pytest.raises(ValueError):
        model(np.ones((2, 4, 5, 1, 1), "float32"))
    assert model(np.ones((7, 5), "float32")).shape == (7, 3)


# --- a layer called twice -------------------------------------------------------------

@pytest.mark.parity
def test_shared_layer_output_and_input_are_the_first_calls():
    for lib in _both():
        a, b = lib.Input(shape=(4,)), lib.Input(shape=(6, 4))
        dense = lib.layers.Dense(3)
        out_a = dense(a)
        out_b = dense(b)
        assert dense.output is out_a and dense.input is a, lib.__name__
        assert tuple(dense.output.shape) == (None, 3)
        assert out_b is not out_a
    # The Keras 2 per-node forms stay in kerlite, with a DeprecationWarning.
    a, b = kerlite.Input(shape=(4,)), kerlite.Input(shape=(6, 4))
    dense = kerlite.layers.Dense(3)
    dense(a)
    out_b = dense(b)
    with pytest.warns(DeprecationWarning, match="Keras 2"):
        assert dense.get_output_at(1) is out_b and dense.get_input_at(1) is b


def test_output_of_a_never_called_layer_says_so():
    with pytest.raises(AttributeError, match="never been called"):
        kerlite.layers.Dense(3).output


# --- summaries of subclassed models ---------------------------------------------------

def _subclassed(lib):
    class TwoDense(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(8, activation="relu")
            self.out = lib.layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    return TwoDense()


@pytest.mark.parity
def test_subclassed_summary_after_a_call_and_after_fit_matches_keras():
    rows = []
    for lib in _both():
        called = _subclassed(lib)
        before = _summary_rows(called)
        called(np.ones((3, 5), "float32"))
        fitted = _subclassed(lib)
        fitted.compile("adam", "mse")
        fitted.fit(np.ones((4, 5)), np.zeros((4, 2)), verbose=0)
        rows.append((before, _summary_rows(called), _summary_rows(fitted)))
    ours, theirs = rows
    assert [r[1:] for r in ours[0]] == [r[1:] for r in theirs[0]] == [
        ("?", "0 (unbuilt)"), ("?", "0 (unbuilt)")]
    assert [r[1:] for r in ours[1]] == [r[1:] for r in theirs[1]] == [
        ("(3, 8)", "48"), ("(3, 2)", "18")]
    assert [r[1:] for r in ours[2]] == [r[1:] for r in theirs[2]] == [
        ("(4, 8)", "48"), ("(4, 2)", "18")]


def test_subclassed_summary_after_build_shows_shapes_with_any_batch():
    # Keras 3's Model.build(input_shape) of a subclassed model builds nothing and
    # prints "?" and "0 (unbuilt)"; kerlite builds the layers, so it shows them.
    model = _subclassed(kerlite)
    model.build((None, 5))
    assert [r[1:] for r in _summary_rows(model)] == [("(None, 8)", "48"), ("(None, 2)", "18")]


# --- a failed call changes nothing (issue 14) -----------------------------------------

BAD_CALLS = [
    ("Dense", lambda L: L.Dense(3), (4,), (4, 5)),
    ("Conv1D", lambda L: L.Conv1D(2, 3), (4, 8), (4, 8, 3)),
    ("Conv2D", lambda L: L.Conv2D(2, 3), (4, 8, 8), (4, 8, 8, 3)),
    ("LSTM", lambda L: L.LSTM(3), (4, 5), (4, 6, 5)),
    ("BatchNormalization", lambda L: L.BatchNormalization(axis=2), (4, 3), (4, 3, 2)),
]


def _state(layer):
    return (layer.built, len(layer.weights), len(layer._inbound_nodes))


@pytest.mark.parity
@pytest.mark.parametrize("symbolic", [False, True], ids=["eager", "symbolic"])
@pytest.mark.parametrize("name, make, bad, good", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_a_call_on_the_wrong_rank_leaves_the_layer_unbuilt(name, make, bad, good, symbolic):
    outcomes = []
    for lib in _both():
        def data(shape):
            if symbolic:
                return lib.Input(batch_shape=(None,) + shape[1:])
            return np.zeros(shape, "float32")

        layer = make(lib.layers)
        # kerlite says ValueError with the layer's name; Keras's BatchNormalization
        # fails with a bare IndexError on an out-of-range axis.
        with pytest.raises(ValueError if lib is kerlite else Exception):
            layer(data(bad))
        after_failure = _state(layer)
        output = layer(data(good))
        outcomes.append((after_failure, tuple(output.shape)[1:], _state(layer)))
    ours, theirs = outcomes
    assert ours[0] == theirs[0] == (False, 0, 0)
    assert ours[1:] == theirs[1:]


class _FailsInCall(kerlite.layers.Layer):
    """Builds a kernel, then fails in call when asked to."""

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 2))
        self.inner = kerlite.layers.Dense(2)

    def call(self, inputs, explode=False):
        y = self.inner(inputs)
        if explode:
            raise RuntimeError("boom")
        return y + kerlite.ops.matmul(inputs, self.kernel)


@pytest.mark.parametrize("symbolic", [False, True], ids=["eager", "symbolic"])
def test_a_first_call_that_fails_in_call_undoes_its_build(symbolic):
    layer = _FailsInCall()
    x = kerlite.Input(shape=(7,)) if symbolic else np.ones((2, 7), "float32")
    with pytest.raises(RuntimeError, match="boom"):
        layer(x, explode=True)
    assert _state(layer) == (False, 0, 0) and not hasattr(layer, "kernel")
    y = layer(kerlite.Input(shape=(4,)) if symbolic else np.ones((2, 4), "float32"))
    assert tuple(y.shape)[1:] == (2,) and layer.kernel.shape == (4, 2)
    assert len(layer.weights) == 3 and len(layer._inbound_nodes) == int(symbolic)


def test_a_failed_call_of_a_built_layer_keeps_its_weights_and_nodes():
    layer = kerlite.layers.Dense(3)
    y = layer(kerlite.Input(shape=(5,)))
    weights = [w.numpy().copy() for w in layer.weights]
    with pytest.raises(ValueError, match="dense"):
        layer(kerlite.Input(shape=(6,)))
    assert _state(layer) == (True, 2, 1) and layer.output is y
    for before, after in zip(weights, layer.weights):
        np.testing.assert_array_equal(before, after.numpy())


def test_a_model_is_unchanged_after_a_failed_call():
    model = kerlite.Sequential([kerlite.layers.Dense(4), kerlite.layers.Dense(2)])
    with pytest.raises(ValueError):
        model(np.ones((3,), "float32"))  # rank 1: no batch axis
    assert not model.built and all(not layer.built for layer in model.layers)
    assert all(layer.weights == [] for layer in model.layers)
    assert model(np.ones((3, 5), "float32")).shape == (3, 2)
    assert model.count_params() == 5 * 4 + 4 + 4 * 2 + 2


# --- Input sizes (issue 14) -----------------------------------------------------------

@pytest.mark.parity
@pytest.mark.parametrize("shape, words", [
    ((-3,), "Negative dimensions are not allowed"),
    ((3, -1), "Negative dimensions are not allowed"),
    ((2.5,), "Found invalid dimension"),
    (("a",), "Found invalid dimension"),
])
def test_input_refuses_bad_sizes_as_keras_does(shape, words):
    for lib in _both():
        with pytest.raises(ValueError, match=words) as raised:
            lib.Input(shape=shape)
        assert "Cannot convert" in str(raised.value), lib.__name__


def test_input_refuses_a_zero_size_which_keras_accepts():
    with pytest.raises(ValueError, match=r"\(0,\).*size 0 holds no data"):
        kerlite.Input(shape=(0,))
    with pytest.raises(ValueError, match="batch_shape"):
        kerlite.Input(batch_shape=(None, 4, 0))
    assert kerlite.Input(shape=(None, np.int64(3))).shape == (None, None, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert kerlite.Input(784).shape == (None, 784)


def test_a_failed_build_of_a_sequential_leaves_every_layer_unbuilt():
    dense, reshape = kerlite.layers.Dense(4), kerlite.layers.Reshape((3,))
    model = kerlite.Sequential([dense, reshape])
    with pytest.raises(ValueError):
        model.build((None, 5))  # 4 values cannot be reshaped to (3,)
    assert not model.built and not dense.built and dense._inbound_nodes == []
    assert model._layers == [dense, reshape]
    model.pop()
    model.build((None, 5))
    assert model.output_shape == (None, 4) and len(dense._inbound_nodes) == 1


def test_a_failed_build_of_a_subclassed_model_leaves_it_unbuilt():
    class Picky(kerlite.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerlite.layers.Dense(3)

        def call(self, x):
            y = self.dense(x)
            if x.shape[-1] != 4:
                raise ValueError("Picky wants 4 features")
            return y

    model = Picky()
    with pytest.raises(ValueError, match="4 features"):
        model.build((None, 5))
    assert not model.built and not model.dense.built and model.weights == []
    model.build((None, 4))
    assert model.count_params() == 15
