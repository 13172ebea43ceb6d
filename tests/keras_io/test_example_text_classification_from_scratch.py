"""keras-io example "Text classification from scratch"
(examples/nlp/text_classification_from_scratch.py), run on kerlite and Keras 3.

Sections: Prepare the data (TextVectorization adapted on the text), Build a model, Train the
model, Make an end-to-end model (string input -> vectorizer -> model).
Data: a few made-up reviews instead of the IMDB folder download. The guide's
custom_standardization uses tf.strings; kerlite has no TensorFlow, so the built-in
"lower_and_strip_punctuation" standardization stands in. Keras 3 itself needs TensorFlow for
TextVectorization (absent here): the vectorizer sections run on kerlite only and check what the
guide relies on; the model sections run on both.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, library, run_both

pytestmark = pytest.mark.parity

MAX_FEATURES, EMBEDDING_DIM, SEQUENCE_LENGTH = 20000, 128, 500
REVIEWS = ["A wonderful, moving film. Great acting!", "Terrible plot; I was bored.",
           "Great film, great cast.", "Bored and annoyed: a terrible, terrible film."] * 4
LABELS = np.array([1, 0, 1, 0] * 4)


def build_a_model(lib):
    keras, layers = lib.keras, lib.layers
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(MAX_FEATURES, EMBEDDING_DIM)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    model = keras.Model(inputs, predictions)
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def vectorize_layer_for(lib):
    vectorize_layer = lib.layers.TextVectorization(
        standardize="lower_and_strip_punctuation", max_tokens=MAX_FEATURES,
        output_mode="int", output_sequence_length=SEQUENCE_LENGTH)
    vectorize_layer.adapt(REVIEWS)
    return vectorize_layer


def test_prepare_the_data():
    vectorize_layer = vectorize_layer_for(library("kerlite"))
    vocabulary = vectorize_layer.get_vocabulary()
    assert vocabulary[:4] == ["", "[UNK]", "terrible", "great"]  # by count, then descending
    vectorized = np.asarray(vectorize_layer(np.array(REVIEWS[:2])))
    assert vectorized.shape == (2, SEQUENCE_LENGTH) and vectorized.dtype == np.int64
    assert vectorized[0, 6:].sum() == 0 and (vectorized[0, :6] > 1).all()


def test_build_a_model():
    tokens = np.random.default_rng(0).integers(0, MAX_FEATURES, size=(2, SEQUENCE_LENGTH))
    mine, theirs = run_both(build_a_model)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs) == [
        0, 2560000, 0, 114816, 114816, 0, 16512, 0, 129]
    copy_weights(mine, theirs)
    assert_close(mine.predict(tokens, verbose=0), theirs.predict(tokens, verbose=0),
                 atol=1e-5)


@pytest.mark.slow
def test_train_the_model():
    tokens = np.asarray(vectorize_layer_for(library("kerlite"))(np.array(REVIEWS)))

    def section(lib):
        model = build_a_model(lib)
        history = model.fit(tokens, LABELS, validation_data=(tokens[:4], LABELS[:4]),
                            epochs=2, batch_size=8, verbose=0)
        return sorted(history.history), history.history["loss"]

    mine, theirs = run_both(section)
    assert mine[0] == theirs[0] == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(np.isfinite(mine[1]))


def test_make_an_end_to_end_model():
    lib = library("kerlite")
    keras, layers = lib.keras, lib.layers
    vectorize_layer = vectorize_layer_for(lib)
    model = build_a_model(lib)
    inputs = keras.Input(shape=(1,), dtype="string")
    indices = vectorize_layer(inputs)
    outputs = model(indices)
    end_to_end_model = keras.Model(inputs, outputs)
    end_to_end_model.compile(loss="binary_crossentropy", optimizer="adam",
                             metrics=["accuracy"])
    loss, accuracy = end_to_end_model.evaluate(np.array(REVIEWS)[:, None], LABELS, verbose=0)
    assert np.isfinite(loss) and 0.0 <= accuracy <= 1.0
    direct = model.predict(np.asarray(vectorize_layer(np.array(REVIEWS[:3]))), verbose=0)
    assert_close(end_to_end_model.predict(np.array(REVIEWS[:3])[:, None], verbose=0), direct)
