"""Custom saving hooks and assets in the Keras 3 layout (issue 15, items 4 and 5).

- ``save_own_variables`` / ``load_own_variables`` and ``save_assets`` / ``load_assets``
  are called for every layer that defines them; assets go to ``assets/<layer path>/``.
- Adapted lookup layers keep their vocabulary in ``assets/.../vocabulary.txt`` (and
  "tf_idf" weights as the dataset ``idf_weights``), as Keras 3 writes them.
- A ``SeedGenerator``'s state is in ``layer.variables`` (not in weights or parameter
  counts, and not in the weights file), as in Keras 3.
"""

import io
import json
import os
import zipfile

import numpy as np
import pytest

import kerlite as keras
from _keras_reference import import_keras
from kerlite import layers


def members(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def h5_datasets(path):
    """{dataset path: shape} of the weights inside a .keras file."""
    import h5py

    found = {}
    with zipfile.ZipFile(path) as archive, h5py.File(
            io.BytesIO(archive.read("model.weights.h5")), "r") as h5:
        h5.visititems(lambda name, obj: found.__setitem__(name, obj.shape)
                      if isinstance(obj, h5py.Dataset) else None)
    return found


def define_table_layer(lib, package):
    """A layer that saves its state its own way: a scaled table in the weights file
    under the name "table" and a note in assets/, for ``lib`` (kerlite or Keras)."""

    @lib.saving.register_keras_serializable(package=package)
    class Table(lib.layers.Layer):
        def __init__(self, size=3, **kwargs):
            super().__init__(**kwargs)
            self.size = size
            self.note = "fresh"

        def build(self, input_shape):
            self.table = self.add_weight(shape=(self.size,), initializer="ones",
                                         name="table")

        def call(self, inputs):
            return inputs * self.table

        def get_config(self):
            return {**super().get_config(), "size": self.size}

        def save_own_variables(self, store):
            store["table"] = np.asarray(self.table) * 10.0

        def load_own_variables(self, store):
            self.table.assign(np.asarray(store["table"]) / 10.0)

        def save_assets(self, dir_path):
            with open(os.path.join(dir_path, "note.txt"), "w") as handle:
                handle.write(self.note)

        def load_assets(self, dir_path):
            with open(os.path.join(dir_path, "note.txt")) as handle:
                self.note = handle.read()

    return Table


def table_model(lib, table_class):
    inputs = lib.Input((3,))
    return lib.Model(inputs, lib.layers.Dense(2)(table_class(name="table")(inputs)))


@pytest.mark.parity
def test_custom_hooks_and_assets_round_trip_kerlite_keras_kerlite(tmp_path):
    keras3 = import_keras()
    ours_class = define_table_layer(keras, "assets_round_trip")
    theirs_class = define_table_layer(keras3, "assets_round_trip")
    model = table_model(keras, ours_class)
    table = model.get_layer("table")
    table.table.assign([1.0, 2.0, 3.0])
    table.note = "written by kerlite"
    x = np.array([[1.0, -1.0, 0.5]], "float32")
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "kerlite.keras")
    assert "assets/layers/table/note.txt" in members(tmp_path / "kerlite.keras")
    assert h5_datasets(tmp_path / "kerlite.keras")["layers/table/vars/table"] == (3,)

    theirs = keras3.saving.load_model(tmp_path / "kerlite.keras")
    their_table = theirs.get_layer("table")
    assert their_table.note == "written by kerlite"
    np.testing.assert_allclose(np.asarray(their_table.table), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), expected,
                               rtol=1e-6)
    their_table.note = "then by Keras"
    theirs.save(tmp_path / "keras.keras")
    assert sorted(members(tmp_path / "keras.keras")) == sorted(
        members(tmp_path / "kerlite.keras"))

    back = keras.models.load_model(tmp_path / "keras.keras")
    assert isinstance(back.get_layer("table"), ours_class)
    assert back.get_layer("table").note == "then by Keras"
    np.testing.assert_allclose(back.get_layer("table").table.numpy(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(back.predict(x, verbose=0), expected, rtol=1e-6)
    assert sorted(members(tmp_path / "keras.keras")) == sorted(
        members(tmp_path / "kerlite.keras"))


def test_default_own_variables_are_numbered_and_can_be_overridden(tmp_path):
    dense = layers.Dense(2)
    dense.build((None, 3))
    store = {}
    dense.save_own_variables(store)
    assert sorted(store) == ["0", "1"]
    other = layers.Dense(2)
    other.build((None, 3))
    other.load_own_variables(store)
    np.testing.assert_array_equal(other.kernel.numpy(), dense.kernel.numpy())
    with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
        other.load_own_variables({"0": store["0"]})


def test_failed_custom_load_leaves_the_model_unchanged(tmp_path):
    table_class = define_table_layer(keras, "assets_failure")
    model = table_model(keras, table_class)
    model.save_weights(tmp_path / "w.weights.h5")
    import h5py

    with h5py.File(tmp_path / "w.weights.h5", "a") as h5:
        del h5["layers/table/vars/table"]  # the custom hook will not find its key
    model.get_layer("dense").kernel.assign(np.full((3, 2), 7.0))
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="table"):
        model.load_weights(tmp_path / "w.weights.h5")
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


# --- lookup layers: the vocabulary in assets/, as Keras 3 writes it ----------------------
STRING_LOOKUP_CONFIG = {
    # what Keras 3.15 (with TensorFlow 2.21) writes for StringLookup(...).adapt(...):
    # the learned vocabulary is not in the config, only its size.
    "name": "string_lookup", "trainable": True,
    "dtype": {"module": "keras", "class_name": "DTypePolicy",
              "config": {"name": "float32"}, "registered_name": None},
    "invert": False, "max_tokens": None, "num_oov_indices": 1, "oov_token": "[UNK]",
    "mask_token": None, "sparse": False, "pad_to_max_tokens": False,
    "idf_weights": None, "vocabulary": None, "vocabulary_size": 4,
    "oov_method": "floormod", "salt": None, "encoding": "utf-8"}


def keras_lookup_file(path, class_name, config, input_dtype, width, vocabulary_text,
                      idf_weights=None):
    """A .keras file laid out byte for byte as Keras 3.15 saves a functional model with
    one adapted lookup layer (checked against real Keras 3.15 + TensorFlow 2.21, which
    Keras's lookup layers need and this test environment does not install)."""
    import h5py

    layer_path = {"StringLookup": "string_lookup", "IntegerLookup": "integer_lookup",
                  "TextVectorization": "text_vectorization"}[class_name]
    model_config = {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "registered_name": "Functional", "config": {
            "name": "functional", "trainable": True, "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "config": {
                    "batch_shape": [None, width], "dtype": input_dtype, "sparse": False,
                    "ragged": False, "name": "input_layer", "optional": False},
                 "registered_name": None, "name": "input_layer", "inbound_nodes": []},
                {"module": "keras.layers", "class_name": class_name, "config": config,
                 "registered_name": None, "build_config": {}, "name": config["name"],
                 "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                     "shape": [None, width], "dtype": input_dtype,
                     "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]}],
            "input_layers": ["input_layer", 0, 0],
            "output_layers": [config["name"], 0, 0]}}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        h5.create_group("layers/input_layer/vars").attrs["name"] = "input_layer"
        groups = [f"layers/{layer_path}/vars"]
        if class_name == "TextVectorization":
            groups.append(f"layers/{layer_path}/_lookup_layer/vars")
        for group_path in groups:
            group = h5.create_group(group_path)
            group.attrs["name"] = config["name"]
            if idf_weights is not None:
                group.create_dataset("idf_weights", data=np.float32(idf_weights))
        h5.create_group("vars").attrs["name"] = "functional"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(model_config))
        archive.writestr("model.weights.h5", buffer.getvalue())
        archive.writestr(f"assets/layers/{layer_path}/vocabulary.txt", vocabulary_text)
        if class_name == "TextVectorization":
            archive.writestr(f"assets/layers/{layer_path}/_lookup_layer/vocabulary.txt",
                             vocabulary_text)


def test_keras_saved_adapted_lookup_layers_load(tmp_path):
    """Each expected output is what Keras 3.15 computes on its own file."""
    strings = np.array([["a", "q"], ["c", "b"]])
    keras_lookup_file(tmp_path / "sl.keras", "StringLookup", STRING_LOOKUP_CONFIG,
                      "string", 2, "[UNK]\nb\nc\na")
    loaded = keras.models.load_model(tmp_path / "sl.keras")
    assert loaded.layers[-1].get_vocabulary() == ["[UNK]", "b", "c", "a"]
    np.testing.assert_array_equal(loaded.layers[-1](strings).numpy(), [[3, 0], [2, 1]])

    idf = [0.6323733329772949, 0.5108256340026855, 0.6931471824645996, 0.6931471824645996]
    keras_lookup_file(tmp_path / "tfidf.keras", "StringLookup",
                      {**STRING_LOOKUP_CONFIG, "output_mode": "tf_idf"}, "string", 2,
                      "[UNK]\nb\nc\na", idf_weights=idf)
    loaded = keras.models.load_model(tmp_path / "tfidf.keras")
    np.testing.assert_allclose(loaded.layers[-1](strings).numpy(),
                               [[idf[0], 0, 0, idf[3]], [0, idf[1], idf[2], 0]], rtol=1e-6)

    integer_config = {**STRING_LOOKUP_CONFIG, "name": "integer_lookup", "oov_token": -1,
                      "output_mode": "count", "vocabulary_dtype": "int64"}
    del integer_config["encoding"]
    keras_lookup_file(tmp_path / "il.keras", "IntegerLookup", integer_config, "int64", 3,
                      "-1\n9\n5\n3")
    loaded = keras.models.load_model(tmp_path / "il.keras")
    np.testing.assert_array_equal(loaded(np.array([[5, 7, 9], [3, 3, 3]])).numpy(),
                                  [[1, 1, 1, 0], [0, 0, 0, 3]])

    text_config = {
        "name": "text_vectorization", "trainable": True,
        "dtype": STRING_LOOKUP_CONFIG["dtype"], "max_tokens": None,
        "standardize": "lower_and_strip_punctuation", "split": "whitespace",
        "ngrams": None, "output_mode": "int", "output_sequence_length": 4,
        "pad_to_max_tokens": False, "sparse": False, "ragged": False, "vocabulary": None,
        "idf_weights": None, "encoding": "utf-8", "vocabulary_size": 5}
    keras_lookup_file(tmp_path / "tv.keras", "TextVectorization", text_config, "string", 1,
                      "\n[UNK]\nred\nfox\ndog")
    loaded = keras.models.load_model(tmp_path / "tv.keras")
    texts = np.array([["red cat"], ["dog fox red"]])
    np.testing.assert_array_equal(loaded.layers[-1](texts).numpy(),
                                  [[2, 1, 0, 0], [4, 3, 2, 0]])


def test_kerlite_saves_adapted_lookups_in_the_keras_layout(tmp_path):
    """The layout Keras 3.15 writes for the same layers (and reads: checked with real
    Keras + TensorFlow, which this environment lacks)."""
    lookup = layers.StringLookup(output_mode="tf_idf")
    lookup.adapt(np.array([["a", "b"], ["b", "c"]]))
    text = layers.TextVectorization(output_sequence_length=4)
    text.adapt(["red fox", "red dog"])
    for layer, path in ((lookup, "string_lookup"), (text, "text_vectorization")):
        model = keras.Sequential([layer])
        model.save(tmp_path / f"{path}.keras")
        with zipfile.ZipFile(tmp_path / f"{path}.keras") as archive:
            config = json.loads(archive.read("config.json"))["config"]["layers"][0]
            vocabulary = archive.read(f"assets/layers/{path}/vocabulary.txt").decode()
        assert config["config"]["vocabulary"] is None
        assert config["config"]["vocabulary_size"] == layer.vocabulary_size()
        assert vocabulary == "\n".join(layer.get_vocabulary())
        restored = keras.models.load_model(tmp_path / f"{path}.keras").layers[0]
        assert restored.get_vocabulary() == layer.get_vocabulary()
    assert "\n".join(lookup.get_vocabulary()) == "[UNK]\nb\nc\na"
    datasets = h5_datasets(tmp_path / "string_lookup.keras")
    assert datasets == {"layers/string_lookup/vars/idf_weights": (4,)}
    assert "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt" in members(
        tmp_path / "text_vectorization.keras")
    again = keras.models.load_model(tmp_path / "string_lookup.keras").layers[0]
    again.adapt(np.array([["z"]]))  # a learned vocabulary can be learned again
    assert again.get_vocabulary() == ["[UNK]", "z"]


# --- SeedGenerator state ------------------------------------------------------------------
@pytest.mark.parity
def test_seed_generator_state_is_a_variable_but_not_a_weight_as_in_keras(tmp_path):
    keras3 = import_keras()
    keras3.backend.clear_session()  # automatic names start again, as in kerlite's tests
    summaries = {}
    for lib in (keras, keras3):
        inputs = lib.Input((4,))
        x = lib.layers.Dropout(0.5, seed=3)(inputs)
        model = lib.Model(inputs, lib.layers.Dense(2)(x))
        dropout = model.layers[1]
        state = dropout.variables[0]
        summaries[lib.__name__] = (
            [v.path for v in dropout.variables], str(state.dtype), state.trainable,
            np.asarray(state).tolist(), dropout.weights, dropout.non_trainable_weights,
            len(dropout.non_trainable_variables), model.count_params(),
            len(model.variables), len(model.weights))
        model.save(tmp_path / f"{lib.__name__}.keras")
    assert summaries["kerlite"] == summaries["keras"]
    assert summaries["kerlite"][0] == ["seed_generator/seed_generator_state"]
    assert h5_datasets(tmp_path / "kerlite.keras") == h5_datasets(tmp_path / "keras.keras")


def test_seed_generator_state_counts_draws_and_decides_the_next_numbers():
    generator = keras.random.SeedGenerator(5)
    assert generator.state.numpy().tolist() == [5, 0]
    first = keras.random.uniform((3,), seed=generator).numpy()
    assert generator.state.numpy().tolist() == [5, 1]
    generator.state.assign(np.array([5, 0], "uint32"))  # rewind the stream
    np.testing.assert_array_equal(keras.random.uniform((3,), seed=generator).numpy(), first)
    flip = layers.RandomFlip(seed=1)
    assert [v.name for v in flip.variables] == ["seed_generator_state"]
    assert flip.weights == [] and flip.count_params() == 0


def test_unzipped_model_folder_keeps_its_assets(tmp_path):
    """``model.save(folder, zipped=False)`` writes the same files into a folder."""
    lookup = layers.StringLookup()
    lookup.adapt(np.array([["a", "b"], ["b", "c"]]))
    model = keras.Sequential([lookup])
    model.save(tmp_path / "folder", zipped=False)
    assert (tmp_path / "folder" / "assets" / "layers" / "string_lookup" /
            "vocabulary.txt").read_text() == "[UNK]\nb\nc\na"
    model.save(tmp_path / "folder", zipped=False)  # saving again replaces the assets
    restored = keras.models.load_model(tmp_path / "folder").layers[0]
    assert restored.get_vocabulary() == ["[UNK]", "b", "c", "a"]
    assert sorted(os.listdir(tmp_path / "folder")) == [
        "assets", "config.json", "metadata.json", "model.weights.h5"]


def test_files_from_older_kerlite_with_the_vocabulary_in_the_config_still_load(tmp_path):
    """Before assets, kerlite kept a learned vocabulary in the config (with
    ``has_input_vocabulary: False``) and wrote no assets/ folder."""
    lookup = layers.StringLookup()
    lookup.adapt(np.array([["a", "b"], ["b", "c"]]))
    keras.Sequential([lookup]).save(tmp_path / "new.keras")
    with zipfile.ZipFile(tmp_path / "new.keras") as source, \
            zipfile.ZipFile(tmp_path / "old.keras", "w") as old:
        config = json.loads(source.read("config.json"))
        layer_config = config["config"]["layers"][0]["config"]
        layer_config.update(vocabulary=["[UNK]", "b", "c", "a"], has_input_vocabulary=False)
        old.writestr("config.json", json.dumps(config))
        for name in ("metadata.json", "model.weights.h5"):
            old.writestr(name, source.read(name))
    restored = keras.models.load_model(tmp_path / "old.keras").layers[0]
    assert restored.get_vocabulary() == ["[UNK]", "b", "c", "a"]
    restored.adapt(np.array([["z"]]))  # still a learned vocabulary
    assert restored.get_vocabulary() == ["[UNK]", "z"]
