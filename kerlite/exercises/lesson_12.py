"""Checks for lesson 12 (preprocessing and attention): Normalization by hand, a raw-text model,
the parameters of MultiHeadAttention."""

import numpy as np

import kerlite as keras
from kerlite import layers, ops
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import require_model
from kerlite.exercises.registry import exercise


@exercise("12.normalization")
def normalization(adapt_by_hand, normalize):
    """``adapt_by_hand(data) -> (mean, variance)`` per column, ``normalize(data, mean, variance)``,
    compared with a Normalization layer adapted on the same table."""
    expect(callable(adapt_by_hand) and callable(normalize), "write two functions")
    table = np.random.default_rng(3).normal([10.0, -2.0, 300.0], [2.0, 0.5, 40.0],
                                            (200, 3)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(table)
    mean, variance = answered(adapt_by_hand(table))
    mean, variance = np.asarray(mean, "float64").ravel(), np.asarray(variance, "float64").ravel()
    true_mean = ops.convert_to_numpy(layer.mean).ravel()
    true_variance = ops.convert_to_numpy(layer.variance).ravel()
    expect(mean.shape == (3,) and variance.shape == (3,),
           "one mean and one variance per column (feature): average over the rows, axis=0")
    expect(np.allclose(mean, true_mean, rtol=1e-4), "the means differ from the layer's")
    expect(not np.allclose(variance, table.var(axis=0, ddof=1), rtol=1e-5)
           or np.allclose(variance, true_variance, rtol=1e-4),
           "the layer's variance divides by n (the number of rows), not by n - 1")
    expect(np.allclose(variance, true_variance, rtol=1e-4),
           "the variances differ from the layer's: the mean of the squared distances to the mean")
    normalized = np.asarray(answered(normalize(table, mean, variance)))
    expect(np.allclose(normalized, ops.convert_to_numpy(layer(table)), atol=1e-4),
           "normalize should subtract the mean and divide by the standard deviation, "
           "the square root of the variance")
    return "your mean, variance and normalize match layers.Normalization column by column"


@exercise("12.text_model")
def text_model(model, vectorizer, classifier):
    """A model from a string input through the adapted ``vectorizer`` and the ``classifier``."""
    require_model(model, "the raw-text keras.Model")
    expect(len(model.inputs) == 1 and str(model.inputs[0].dtype).startswith("str"),
           "the model reads text: keras.Input(shape=(1,), dtype=\"string\")")
    sentences = np.array([["A wonderful, funny film with a great cast!"],
                          ["The plot was dull and the ending awful."]])
    answers = np.asarray(model.predict(sentences, verbose=0))
    expect(answers.shape == (2, 1), f"predict on two sentences gives {answers.shape}, not (2, 1)")
    expected = np.asarray(classifier.predict(ops.convert_to_numpy(vectorizer(sentences)), verbose=0))
    expect(np.allclose(answers, expected, atol=1e-5),
           "the model's answers differ from the classifier's on the vectorized sentences: call "
           "the vectorizer on the input, then the classifier on its result")
    return "raw sentences in, one probability each out: the vocabulary is part of the model"


@exercise("12.mha_params")
def mha_params(count_function):
    """``count_function(features, num_heads, key_dim)``: the parameters of self-attention."""
    expect(callable(count_function), "mha_params must be a function")
    for features, num_heads, key_dim in [(16, 2, 8), (4, 1, 2), (16, 4, 4), (6, 3, 5)]:
        mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
        x = keras.Input(shape=(7, features))
        mha(x, x)
        given = answered(count_function(features, num_heads, key_dim))
        expect(given == mha.count_params(),
               f"mha_params({features}, {num_heads}, {key_dim}) = {given}, the layer has "
               f"{mha.count_params():,}. Count four projections: query, key and value each "
               f"map {features} numbers to num_heads × key_dim (kernel + bias); the output "
               f"projection maps them back to {features} (kernel + bias)")
    return "your count matches MultiHeadAttention.count_params() for four layers"
