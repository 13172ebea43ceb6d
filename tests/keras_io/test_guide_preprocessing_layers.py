"""keras-io guide "Working with preprocessing layers" (guides/preprocessing_layers.py), run
on kerlite and Keras 3.

Sections: The adapt() method (Normalization), Preprocessing data before the model or inside the
model (Normalization inside a model), Quick recipes: Encoding string categorical features via
one-hot encoding, Encoding integer categorical features via one-hot encoding, Encoding text as
a sequence of token indices, Normalizing numerical features, and StringLookup with a given
vocabulary (the "adapt() or pass a vocabulary" section), CategoryEncoding in multi-hot mode.
Keras 3 needs TensorFlow for StringLookup, IntegerLookup and TextVectorization; it is not
installed here, so those sections check kerlite against the output the guide prints (and
against Keras as well where TensorFlow is importable).
"""

import importlib.util

import numpy as np
import pytest

from _guide import assert_close, library, run_both

pytestmark = pytest.mark.parity

KERAS_HAS_TENSORFLOW = importlib.util.find_spec("tensorflow") is not None


def run_lookup_section(section):
    """kerlite's result, and Keras's where its lookup layers can run (they need TensorFlow)."""
    mine = section(library("kerlite"))
    if KERAS_HAS_TENSORFLOW:
        np.testing.assert_array_equal(mine, section(library("keras")))
    return mine


def test_the_adapt_method():
    data = np.array([[0.1, 0.2, 0.3], [0.8, 0.9, 1.0], [1.5, 1.6, 1.7]])

    def section(lib):
        layer = lib.layers.Normalization()
        layer.adapt(data)
        normalized_data = np.asarray(layer(data))
        return normalized_data, layer.get_config()

    (mine, mine_config), (theirs, their_config) = run_both(section)
    assert "%.2f" % mine.mean() == "0.00" and "%.2f" % mine.std() == "1.00"
    assert_close(mine, theirs)
    assert mine_config == their_config


def test_preprocessing_inside_the_model():
    rng = np.random.default_rng(0)
    x_train = rng.normal(loc=5.0, scale=3.0, size=(64, 8)).astype("float32")
    y_train = rng.integers(0, 2, size=(64, 1))

    def section(lib):
        keras, layers = lib.keras, lib.layers
        normalizer = layers.Normalization()
        normalizer.adapt(x_train)
        inputs = keras.Input(shape=(8,))
        x = normalizer(inputs)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="rmsprop", loss="binary_crossentropy")
        return model

    mine, theirs = run_both(section)
    assert [len(l.weights) for l in mine.layers] == [len(l.weights) for l in theirs.layers]
    assert mine.count_params() == theirs.count_params() == 8 + 8 + 1 + 9
    theirs.set_weights(mine.get_weights())
    assert_close(mine.predict(x_train, verbose=0), theirs.predict(x_train, verbose=0))


def test_normalizing_numerical_features():
    x_train = np.random.default_rng(1).integers(0, 256, size=(50, 8, 8, 3)).astype("float32")

    def section(lib):
        keras, layers = lib.keras, lib.layers
        normalizer = layers.Normalization()
        normalizer.adapt(x_train)
        inputs = keras.Input(shape=x_train.shape[1:])
        x = normalizer(inputs)
        outputs = layers.Dense(10, activation="softmax")(layers.Flatten()(x))
        return normalizer, keras.Model(inputs, outputs)

    (mine_norm, mine), (their_norm, theirs) = run_both(section)
    assert_close(mine_norm.mean, their_norm.mean, rtol=1e-5)
    assert_close(mine_norm.variance, their_norm.variance, rtol=1e-4)
    assert tuple(np.shape(mine_norm.mean)) == (1, 1, 1, 3)
    theirs.set_weights(mine.get_weights())
    assert_close(mine.predict(x_train[:4], verbose=0), theirs.predict(x_train[:4], verbose=0))


def test_string_lookup_with_a_given_vocabulary():
    def section(lib):
        vocab = ["a", "b", "c", "d"]
        data = np.array([["a", "c", "d"], ["d", "z", "b"]])
        layer = lib.layers.StringLookup(vocabulary=vocab)
        return np.asarray(layer(data))

    np.testing.assert_array_equal(run_lookup_section(section), [[1, 3, 4], [4, 0, 2]])


def test_encoding_string_categorical_features_via_one_hot_encoding():
    def section(lib):
        data = np.array([["a"], ["b"], ["c"], ["b"], ["c"], ["a"]])
        lookup = lib.layers.StringLookup(output_mode="one_hot")
        lookup.adapt(data)
        test_data = np.array([["a"], ["b"], ["c"], ["d"], ["e"], [""]])
        return np.asarray(lookup(test_data))

    # As the guide prints: ties in frequency are ordered by token, descending (c, b, a);
    # "d", "e" and "" are out of vocabulary (index 0).
    np.testing.assert_array_equal(run_lookup_section(section), [
        [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]])


def test_encoding_integer_categorical_features_via_one_hot_encoding():
    def section(lib):
        data = np.array([[10], [20], [20], [10], [30], [0]])
        lookup = lib.layers.IntegerLookup(output_mode="one_hot")
        lookup.adapt(data)
        test_data = np.array([[10], [10], [20], [50], [60], [0]])
        return np.asarray(lookup(test_data))

    # vocabulary [-1 (OOV), 20, 10, 30, 0]: by count, ties by value descending
    np.testing.assert_array_equal(run_lookup_section(section), [
        [0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0],
        [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]])


def test_encoding_text_as_a_sequence_of_token_indices():
    adapt_data = ["The Brain is wider than the Sky", "For put them side by side",
                  "The one the other will contain", "With ease and You beside"]

    def section(lib):
        text_vectorizer = lib.layers.TextVectorization(output_mode="int")
        text_vectorizer.adapt(adapt_data)
        return np.asarray(text_vectorizer(["The Brain is deeper than the sea"]))

    np.testing.assert_array_equal(run_lookup_section(section), [[2, 19, 14, 1, 9, 2, 1]])


def test_category_encoding_multi_hot():
    def section(lib):
        layer = lib.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
        return np.asarray(layer(np.array([[0, 1], [0, 0], [1, 2], [3, 1]])))

    mine, theirs = run_both(section)
    np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(mine, [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0],
                                         [0, 1, 0, 1]])
