"""Lookup and text layers: StringLookup, IntegerLookup, TextVectorization, CategoryEncoding,
Discretization. Expected values come from the Keras 3 docstring examples (Keras's own
lookup layers need TensorFlow, absent here); CategoryEncoding and Discretization are
also compared with real Keras on JAX."""

import numpy as np
import pytest

from _keras_reference import import_keras
import kerlite as keras
from kerlite import layers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
BAGS = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
INT_VOCAB = [12, 36, 1138, 42]
INT_DATA = np.array([[12, 1138, 42], [42, 1000, 36]])
INT_BAGS = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def values(tensor):
    return np.asarray(tensor.numpy())


# --- StringLookup ------------------------------------------------------------------------
def test_string_lookup_with_a_vocabulary_maps_unknowns_to_zero():
    out = layers.StringLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == "int64" and out.shape == (2, 3)
    np.testing.assert_array_equal(values(out), [[1, 3, 4], [4, 0, 2]])


def test_string_lookup_adapt_orders_by_count_then_reverse_token_order():
    layer = layers.StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["d", "z", "c", "b", "a"]
    assert layer.vocabulary_size() == 6
    np.testing.assert_array_equal(values(layer(DATA)), [[5, 3, 1], [1, 2, 4]])


def test_adapt_accepts_arrays_bytes_and_iterables_of_batches_and_max_tokens():
    def batches():
        yield np.array([b"x", b"y", b"y"])
        yield np.array(["y", "z", "z", "z"])
        yield np.array(["never"])

    layer = layers.StringLookup(max_tokens=3)
    layer.adapt(batches(), steps=2)
    assert layer.get_vocabulary() == ["[UNK]", "z", "y"]
    layer.adapt(np.array(["q", "q", "p"], dtype=object))  # adapt starts again
    assert layer.get_vocabulary() == ["[UNK]", "q", "p"]


def test_string_lookup_encoded_output_modes_match_keras_examples():
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(VOCAB + ["z"])
    np.testing.assert_array_equal(values(one_hot), np.eye(5)[[1, 2, 3, 4, 0]])
    multi = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(BAGS)
    np.testing.assert_array_equal(values(multi), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.StringLookup(vocabulary=VOCAB, output_mode="count")(BAGS)
    np.testing.assert_array_equal(values(count), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    assert count.dtype == "float32"


def test_string_lookup_tf_idf_pads_oov_weight_with_the_mean_or_takes_it():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(values(layer(BAGS)), [[0, .25, 0, .6, .8], [1., 0, .75, 0, .4]])
    layer.set_vocabulary(["[UNK]"] + VOCAB, idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(values(layer(BAGS)), [[0, .25, 0, .6, .8], [1.8, 0, .75, 0, .4]],
                               rtol=1e-6)


def test_tf_idf_adapt_uses_log_one_plus_documents_ratio():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "a"], ["a", "b"], ["c", "b"]])  # a: 2 docs, b: 2, c: 1
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    idf = np.log(1 + 3 / (1 + np.array([2, 2, 1])))
    np.testing.assert_allclose(layer.idf_weights, np.r_[idf.mean(), idf], rtol=1e-6)
    np.testing.assert_allclose(values(layer([["a", "a", "q"]])),
                               [[idf.mean(), 2 * idf[0], 0, 0]], rtol=1e-6)


def test_invert_maps_indices_back_and_round_trips():
    forward = layers.StringLookup(vocabulary=VOCAB)
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    out = values(inverse(forward(DATA)))
    assert out.tolist() == [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"b"]]
    np.testing.assert_array_equal(values(forward(out)), values(forward(DATA)))


def test_mask_token_is_index_zero_in_int_mode_and_dropped_otherwise():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]"] + VOCAB
    np.testing.assert_array_equal(values(layer([["a", "", "q"]])), [[2, 0, 1]])
    multi = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    assert multi.get_vocabulary() == ["[UNK]"] + VOCAB
    np.testing.assert_array_equal(values(multi([["a", "", ""]])), [[0, 1, 0, 0, 0]])


def test_pad_to_max_tokens_and_zero_oov_indices():
    padded = layers.StringLookup(vocabulary=VOCAB, max_tokens=8, pad_to_max_tokens=True,
                                 output_mode="multi_hot")
    assert padded(BAGS).shape == (2, 8)
    strict = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    np.testing.assert_array_equal(values(strict(["a", "d"])), [0, 3])
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        strict(["a", "zz"])


@pytest.mark.parametrize("kwargs, message", [
    ({"sparse": True, "output_mode": "multi_hot"}, "sparse"),
    ({"num_oov_indices": 2}, "FarmHash"),
    ({"invert": True, "output_mode": "count"}, "invert"),
    ({"output_mode": "bag"}, "output_mode"),
    ({"max_tokens": 1}, "max_tokens"),
    ({"pad_to_max_tokens": True}, "max_tokens"),
    ({"idf_weights": [1.0]}, "idf_weights"),
    ({"vocabulary": ["a", "b", "a"]}, "repeated"),
    ({"vocabulary": ["a", "[MASK]"], "mask_token": "[MASK]"}, "reserved mask_token"),
    ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, "max_tokens=3"),
    ({"vocabulary": ["a"], "output_mode": "tf_idf"}, "idf_weights"),
])
def test_string_lookup_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.StringLookup(**kwargs)


def test_usage_errors():
    with pytest.raises(RuntimeError, match="adapt"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.StringLookup(vocabulary=VOCAB).adapt(["a"])
    with pytest.raises(ValueError, match="expects strings"):
        layers.StringLookup(vocabulary=VOCAB)(np.array([1, 2]))
    with pytest.raises(ValueError, match="IDF weights"):
        layers.StringLookup(output_mode="tf_idf", max_tokens=4, pad_to_max_tokens=True)(["a"])
    # A Keras file keeps an adapted vocabulary in its assets: say so, do not return OOVs.
    from_keras = layers.StringLookup.from_config({"vocabulary": None, "vocabulary_size": 5})
    with pytest.raises(ValueError, match="assets"):
        from_keras(["a"])
    with pytest.raises(ValueError, match="same length"):
        layers.StringLookup(vocabulary=VOCAB)([["a"], ["a", "b"]])


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\nd\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]"] + VOCAB
    np.testing.assert_array_equal(values(layer(DATA)), [[1, 3, 4], [4, 0, 2]])


# --- IntegerLookup -----------------------------------------------------------------------
def test_integer_lookup_docstring_examples():
    np.testing.assert_array_equal(values(layers.IntegerLookup(vocabulary=INT_VOCAB)(INT_DATA)),
                                  [[1, 3, 4], [4, 0, 2]])
    layer = layers.IntegerLookup()
    layer.adapt(INT_DATA)
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    np.testing.assert_array_equal(values(layer(INT_DATA)), [[5, 2, 1], [1, 3, 4]])
    two_oov = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(values(two_oov(np.array([[12, 1138, 42], [37, 1000, 36]]))),
                                  [[2, 4, 5], [1, 0, 3]])  # floormod: 37 -> 1, 1000 -> 0
    count = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="count")(INT_BAGS)
    np.testing.assert_array_equal(values(count), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    tf_idf = layers.IntegerLookup(output_mode="tf_idf", vocabulary=[-1] + INT_VOCAB,
                                  idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])(INT_BAGS)
    np.testing.assert_allclose(values(tf_idf), [[0, .25, 0, .6, .8], [1.8, 0, .75, 0, .4]],
                               rtol=1e-6)


def test_integer_lookup_invert_and_mask_zero():
    forward = layers.IntegerLookup(vocabulary=INT_VOCAB)
    inverse = layers.IntegerLookup(vocabulary=forward.get_vocabulary(), invert=True)
    out = inverse(forward(INT_DATA))
    assert out.dtype == "int64"
    np.testing.assert_array_equal(values(out), [[12, 1138, 42], [42, -1, 36]])
    masked = layers.IntegerLookup(vocabulary=[7, 9], mask_token=0)
    assert masked.get_vocabulary() == [0, -1, 7, 9]
    np.testing.assert_array_equal(values(masked(np.array([[7, 0, 5, 9]]))), [[2, 0, 1, 3]])
    with pytest.raises(ValueError, match="farmhash"):
        layers.IntegerLookup(oov_method="farmhash")


def test_integer_lookup_in_a_functional_model():
    inputs = keras.Input(shape=(3,), dtype="int64")
    ids = layers.IntegerLookup(vocabulary=INT_VOCAB)(inputs)
    hot = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="multi_hot")(inputs)
    assert ids.shape == (None, 3) and ids.dtype == "int64"
    assert hot.shape == (None, 5) and hot.dtype == "float32"
    model = keras.Model(inputs, [ids, hot])
    out_ids, out_hot = model(INT_DATA)
    np.testing.assert_array_equal(values(out_ids), [[1, 3, 4], [4, 0, 2]])
    np.testing.assert_array_equal(values(out_hot), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])


# --- TextVectorization -------------------------------------------------------------------
def test_text_vectorization_adapt_pad_and_oov():
    layer = layers.TextVectorization(max_tokens=5000, output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer([["foo qux bar"], ["qux baz"]])
    assert out.dtype == "int64"
    np.testing.assert_array_equal(values(out), [[4, 1, 3, 0], [1, 2, 0, 0]])
    given = layers.TextVectorization(vocabulary=["earth", "wind", "and", "fire"])
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]
    # Without output_sequence_length: padded to the longest row; with it: cut.
    np.testing.assert_array_equal(values(given(["Earth, wind!", "fire and  earth  wind"])),
                                  [[2, 3, 0, 0], [5, 4, 2, 3]])
    short = layers.TextVectorization(vocabulary=["a"], output_sequence_length=2)
    np.testing.assert_array_equal(values(short(["a a x a"])), [[2, 2]])


def test_standardize_matches_keras_ascii_rules():
    layer = layers.TextVectorization(split=None, output_mode="int",
                                     vocabulary=["hÉllo wörld", "éa"])
    # Only ASCII letters are lowercased and only ASCII punctuation is removed.
    np.testing.assert_array_equal(values(layer(["HÉLLO, WöRLD!", "Éa", "éa¿", "É.A"])),
                                  [2, 1, 1, 1])
    np.testing.assert_array_equal(values(layer(["éA!", "(éa)"])), [3, 3])
    np.testing.assert_array_equal(
        values(layers.TextVectorization(standardize="lower", split=None,
                                        vocabulary=["a.b"])(["A.B", "ab"])), [2, 1])
    # "whitespace" is ASCII whitespace only: a no-break space stays inside the token.
    spaces = layers.TextVectorization(vocabulary=["a\u00a0b", "c"])
    np.testing.assert_array_equal(values(spaces(["a\u00a0b\t\nc\x0b\x0cc\r "])), [[2, 3, 3]])
    strip = layers.TextVectorization(standardize="strip_punctuation", vocabulary=["Ab", "c"])
    np.testing.assert_array_equal(values(strip(["A-b (c) ab"])), [[2, 3, 1]])


def test_split_modes_ngrams_and_callables():
    chars = layers.TextVectorization(split="character", vocabulary=["a", "b"])
    np.testing.assert_array_equal(values(chars(["aba", "b"])), [[2, 3, 2], [3, 0, 0]])
    grams = layers.TextVectorization(ngrams=2)
    grams.adapt(["a b c", "a b"])
    assert grams.get_vocabulary() == ["", "[UNK]", "b", "a b", "a", "c", "b c"]
    np.testing.assert_array_equal(values(grams(["a b c"])), [[4, 2, 5, 3, 6]])
    widths = layers.TextVectorization(ngrams=(2,), vocabulary=["a b"])
    np.testing.assert_array_equal(values(widths(["a b a"])), [[2, 1]])

    def shout(texts):
        return np.char.upper(texts)

    def on_commas(texts):
        return [text.split(",") for text in texts]

    custom = layers.TextVectorization(standardize=shout, split=on_commas,
                                      vocabulary=["A B", "C"])
    np.testing.assert_array_equal(values(custom(["a b,c", "c"])), [[2, 3], [3, 0]])


def test_text_vectorization_vector_modes():
    texts = ["the cat sat", "the the dog"]
    count = layers.TextVectorization(output_mode="count")
    count.adapt(texts)
    assert count.get_vocabulary() == ["[UNK]", "the", "sat", "dog", "cat"]
    np.testing.assert_array_equal(values(count(texts + ["bird"])),
                                  [[0, 1, 1, 0, 1], [0, 2, 0, 1, 0], [1, 0, 0, 0, 0]])
    multi = layers.TextVectorization(output_mode="multi_hot", max_tokens=8,
                                     pad_to_max_tokens=True, vocabulary=["the", "dog"])
    np.testing.assert_array_equal(values(multi(texts)), [[1, 1, 0] + [0] * 5,
                                                          [0, 1, 1] + [0] * 5])
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(texts)
    idf = np.log(1 + 2 / (1 + np.array([2, 1, 1, 1])))
    np.testing.assert_allclose(values(tf_idf(["the the cat"])),
                               [[0, 2 * idf[0], 0, 0, idf[3]]], rtol=1e-6)


def test_text_vectorization_symbolic_shapes_match_its_outputs():
    texts = np.array([["the cat"], ["a dog sat"]])
    for kwargs in ({"output_sequence_length": 6}, {"output_mode": "count", "max_tokens": 9,
                                                   "pad_to_max_tokens": True}):
        layer = layers.TextVectorization(**kwargs)
        layer.adapt(texts[:, 0])
        symbolic = layer(keras.Input(shape=(1,), dtype="str"))
        assert symbolic.shape[1:] == layer(texts).shape[1:]


def test_text_vectorization_errors():
    with pytest.raises(RuntimeError, match="adapt"):
        layers.TextVectorization(output_mode="multi_hot")(["a b"])
    with pytest.raises(ValueError, match="last axis of size 1"):
        layers.TextVectorization(vocabulary=["a"])([["a", "b"]])
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="standardize"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="ngrams"):
        layers.TextVectorization(ngrams=[1, 2])
    with pytest.raises(ValueError, match="ragged"):
        layers.TextVectorization(ragged=True)


# --- config and saving -------------------------------------------------------------------
def test_configs_of_adapted_layers_leave_the_vocabulary_to_the_assets():
    """As in Keras 3: a learned vocabulary is not in the config (model files keep it in
    assets/, see tests/test_saving_assets.py), only its size; a given one is."""
    lookup = layers.StringLookup(output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True)
    lookup.adapt([["a", "b"], ["b", "c"]])
    text = layers.TextVectorization(ngrams=(1, 2), output_sequence_length=5)
    text.adapt(["x y", "y z z"])
    for layer, sample in ((lookup, [["a", "c", "q"]]), (text, ["y z w"])):
        config = layer.get_config()
        assert config["vocabulary"] is None and config["idf_weights"] is None
        assert config["vocabulary_size"] == layer.vocabulary_size()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
        with pytest.raises(ValueError, match="assets"):
            clone(sample)
    given = layers.StringLookup(vocabulary=["a", "b"])
    clone = layers.StringLookup.from_config(given.get_config())
    assert clone.get_vocabulary() == given.get_vocabulary()
    assert text.get_config()["ngrams"] == (1, 2)
    adapted_again = type(lookup).from_config(lookup.get_config())
    adapted_again.adapt([["k"]])  # an adapted vocabulary can be re-learned after loading
    assert adapted_again.get_vocabulary() == ["[UNK]", "k"]


def test_keras_file_keeps_the_vocabulary(tmp_path):
    inputs = keras.Input(shape=(4,), dtype="int64")
    lookup = layers.IntegerLookup(output_mode="count")
    lookup.adapt(np.array([[5, 5, 9, 3], [9, 9, 9, 5]]))
    x = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")(
        layers.Discretization(bin_boundaries=[4.0, 6.0, 8.0])(inputs))
    model = keras.Model(inputs, layers.Concatenate()([lookup(inputs), x]))
    data = np.array([[5, 9, 3, 11], [3, 3, 3, 3]])
    path = tmp_path / "lookup.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(values(loaded(data)), values(model(data)))
    restored = [l for l in loaded.layers if isinstance(l, layers.IntegerLookup)][0]
    assert restored.get_vocabulary() == [-1, 9, 5, 3]


def test_text_model_file_keeps_vocabulary_and_registered_standardize(tmp_path):
    @keras.saving.register_keras_serializable(package="lookup_tests")
    def keep_letters(texts):
        return np.char.replace(np.char.lower(texts), "1", "")

    text = layers.TextVectorization(standardize=keep_letters, output_sequence_length=4)
    text.adapt(["red1 fox", "red dog", "a1 red cat"])
    inputs = keras.Input(shape=(1,), dtype="str")
    model = keras.Model(inputs, layers.Embedding(8, 2)(text(inputs)))
    model.save(tmp_path / "text.keras")
    loaded = keras.models.load_model(tmp_path / "text.keras")
    restored = loaded.layers[1]
    assert text.get_vocabulary() == ["", "[UNK]", "red", "fox", "dog", "cat", "a"]
    assert restored.get_vocabulary() == text.get_vocabulary()
    assert restored._standardize is keep_letters
    sample = np.array([["RED1 cat"], ["zebra fox"]])
    np.testing.assert_array_equal(values(restored(sample)), [[2, 5, 0, 0], [1, 3, 0, 0]])
    np.testing.assert_allclose(values(loaded(sample)), values(model(sample)))


# --- CategoryEncoding and Discretization ----------------------------------------------------
def test_category_encoding_docstring_examples_and_errors():
    np.testing.assert_array_equal(
        values(layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])),
        np.eye(4)[[3, 2, 0, 1]])
    np.testing.assert_array_equal(
        values(layers.CategoryEncoding(num_tokens=4)([[0, 1], [0, 0], [1, 2], [3, 1]])),
        [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    weights = np.array([[.1, .2], [.1, .1], [.2, .3], [.4, .2]])
    counted = layers.CategoryEncoding(num_tokens=4, output_mode="count")(
        [[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=weights)
    np.testing.assert_allclose(values(counted), [[.1, .2, 0, 0], [.2, 0, 0, 0], [0, .2, .3, 0],
                                                 [0, .2, 0, .4]], rtol=1e-6)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        layers.CategoryEncoding(num_tokens=4)([4])
    with pytest.raises(ValueError, match="count_weights"):
        layers.CategoryEncoding(num_tokens=4)([1], count_weights=[1.0])
    with pytest.raises(ValueError, match="num_tokens"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="rank 1 or 2"):
        layers.CategoryEncoding(num_tokens=4)(np.zeros((2, 2, 2), dtype=int))


def test_discretization_boundaries_adapt_and_errors():
    x = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
    fixed = layers.Discretization(bin_boundaries=[0., 1., 2.])
    out = fixed(x)
    assert out.dtype == "int32"
    np.testing.assert_array_equal(values(out), [[0, 2, 3, 1], [1, 3, 2, 1]])
    learned = layers.Discretization(num_bins=4, epsilon=0.01)
    learned.adapt(x)
    np.testing.assert_array_equal(values(learned(x)), [[0, 2, 3, 2], [1, 3, 3, 1]])
    clone = layers.Discretization.from_config(learned.get_config())
    assert clone.bin_boundaries == learned.bin_boundaries and clone.num_bins == 4
    with pytest.raises(ValueError, match="not both"):
        layers.Discretization(bin_boundaries=[0.], num_bins=2)
    with pytest.raises(ValueError, match="Cannot adapt"):
        fixed.adapt(x)
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(x)


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(6,), (5, 1), (4, 3)])
def test_category_encoding_matches_keras(mode, shape, rng):
    keras_ref = import_keras()
    ids = rng.integers(0, 5, size=shape)
    theirs = keras_ref.layers.CategoryEncoding(num_tokens=5, output_mode=mode)
    ours = layers.CategoryEncoding(num_tokens=5, output_mode=mode)
    np.testing.assert_array_equal(values(ours(ids)), np.asarray(theirs(ids)))
    assert ours.get_config() == theirs.get_config() | {"name": ours.name}
    symbolic = ours(keras.Input(shape=shape[1:], dtype="int32"))
    keras_symbolic = theirs(keras_ref.Input(shape=shape[1:], dtype="int32"))
    assert symbolic.shape == keras_symbolic.shape and symbolic.dtype == keras_symbolic.dtype
    if mode == "count":
        weights = rng.random(shape).astype("float32")
        np.testing.assert_allclose(values(ours(ids, count_weights=weights)),
                                   np.asarray(theirs(ids, count_weights=weights)), rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_adapt_and_outputs_match_keras(mode, rng):
    keras_ref = import_keras()
    batches = [rng.normal(size=(300, 3)).astype("float32"),
               rng.exponential(size=(77, 3)).astype("float32")]
    theirs = keras_ref.layers.Discretization(num_bins=5, epsilon=0.02, output_mode=mode)
    ours = layers.Discretization(num_bins=5, epsilon=0.02, output_mode=mode)
    for batch in batches:  # Keras's adapt needs TensorFlow; its update_state does not
        theirs.update_state(batch)
    theirs.finalize_state()
    ours.adapt(iter(batches))
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    sample = batches[0][:8, :1] if mode == "one_hot" else batches[0][:8]
    out = ours(sample)
    np.testing.assert_array_equal(values(out), np.asarray(theirs(sample)))
    assert out.dtype == str(np.asarray(theirs(sample)).dtype)
    assert ours.get_config() == theirs.get_config() | {"name": ours.name}


def test_outputs_live_on_the_active_backend(xp):
    # Lookups run on the host; their numeric outputs move to the backend (CuPy on a GPU),
    # strings stay in NumPy, and device inputs are brought back to the host.
    ids = layers.IntegerLookup(vocabulary=INT_VOCAB)(xp.asarray(INT_DATA))
    assert isinstance(ids.data, xp.ndarray)
    np.testing.assert_array_equal(values(ids), [[1, 3, 4], [4, 0, 2]])
    hot = layers.CategoryEncoding(num_tokens=5)(ids)
    assert isinstance(hot.data, xp.ndarray) and hot.shape == (2, 5)
    bins = layers.Discretization(bin_boundaries=[2.0])(xp.asarray([[1.0, 3.0]]))
    np.testing.assert_array_equal(values(bins), [[0, 1]])
    words = layers.StringLookup(vocabulary=VOCAB, invert=True)(ids)
    assert isinstance(words.data, np.ndarray) and words.shape == (2, 3)


@pytest.mark.parity
def test_keras_files_with_discretization_and_category_encoding_load_both_ways(tmp_path):
    keras_ref = import_keras()
    inputs = keras_ref.Input((3,))
    bins = keras_ref.layers.Discretization(num_bins=3)
    bins.update_state(np.arange(30.0).reshape(10, 3))
    bins.finalize_state()
    outputs = keras_ref.layers.CategoryEncoding(4, output_mode="count")(bins(inputs))
    theirs = keras_ref.Model(inputs, outputs)
    theirs.save(tmp_path / "keras.keras")
    ours = keras.models.load_model(tmp_path / "keras.keras")
    data = np.array([[1.0, 12.0, 29.0], [3.0, 3.0, 3.0]])
    np.testing.assert_array_equal(values(ours(data)), np.asarray(theirs(data)))
    ours.save(tmp_path / "kerlite.keras")
    back = keras_ref.models.load_model(tmp_path / "kerlite.keras")
    np.testing.assert_array_equal(np.asarray(back(data)), np.asarray(theirs(data)))


def test_a_string_input_declared_the_keras_way_feeds_a_lookup_in_a_model():
    lookup = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    inputs = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(inputs, keras.layers.Embedding(5, 2)(lookup(inputs)))
    out = model.predict(np.array([["a"], ["c"], ["zz"]]), verbose=0)
    assert out.shape == (3, 1, 2)
    np.testing.assert_array_equal(lookup(np.array([["a"], ["c"], ["zz"]])).numpy().ravel(),
                                  [1, 3, 0])
