"""Saving and loading: .keras round trips, weights files, configs, custom objects,
safe mode, and bad files that must fail clearly without losing anything."""

import json
import os
import warnings
import zipfile

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers


def small_model(name="small"):
    inputs = keras.Input(shape=(4,), name="features")
    hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    hidden = layers.BatchNormalization(name="norm")(hidden)
    outputs = layers.Dense(3, activation="softmax", name="probs")(hidden)
    return keras.Model(inputs, outputs, name=name)


def data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = rng.integers(0, 3, size=(n,))
    return x, y


def outputs_equal(a, b, x):
    np.testing.assert_allclose(a.predict(x, verbose=0), b.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


def test_keras_file_round_trip_keeps_predictions_and_layout(tmp_path):
    model = small_model()
    x, _ = data()
    path = tmp_path / "model.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"metadata.json", "config.json",
                                           "model.weights.h5"}
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Functional"
    assert [layer["class_name"] for layer in config["config"]["layers"]] == [
        "InputLayer", "Dense", "BatchNormalization", "Dense"]
    loaded = keras.models.load_model(path)
    assert [layer.name for layer in loaded.layers] == [l.name for l in model.layers]
    outputs_equal(model, loaded, x)


def test_weights_file_uses_the_keras_3_group_layout(tmp_path):
    import h5py

    model = small_model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as h5:
        assert h5["layers/dense/vars/0"].shape == (4, 8)
        assert h5["layers/dense_1/vars/1"].shape == (3,)
        assert len(h5["layers/batch_normalization/vars"]) == 4
        assert h5["layers/dense/vars"].attrs["name"] == "hidden"


def test_training_resumes_exactly_after_save_and_load(tmp_path):
    x, y = data()
    keras.utils.set_random_seed(1)
    model = small_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model.save(tmp_path / "trained.keras")
    resumed = keras.models.load_model(tmp_path / "trained.keras")
    assert int(resumed.optimizer.iterations.numpy()) == 8
    for original, copy in zip(model.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(original), np.asarray(copy))
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    resumed.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    outputs_equal(model, resumed, x)


def test_load_with_compile_false_gives_an_uncompiled_model(tmp_path):
    model = small_model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert loaded.optimizer is None


def test_sequential_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((5,)), layers.Dense(4, activation="tanh"),
                              layers.Dropout(0.5), layers.Dense(1)])
    x = np.ones((3, 5), "float32")
    model.save(tmp_path / "seq.keras")
    loaded = keras.models.load_model(tmp_path / "seq.keras")
    assert type(loaded).__name__ == "Sequential"
    outputs_equal(model, loaded, x)


def test_nested_and_multi_io_models_round_trip(tmp_path):
    encoder_input = keras.Input((6,), name="enc_in")
    encoder = keras.Model(encoder_input, layers.Dense(2, name="code")(encoder_input),
                          name="encoder")
    a = keras.Input((6,), name="a")
    b = keras.Input((3,), name="b")
    merged = layers.concatenate([encoder(a), b])
    out1 = layers.Dense(1, name="score")(merged)
    out2 = layers.Dense(2, activation="softmax", name="kind")(merged)
    model = keras.Model({"a": a, "b": b}, {"score": out1, "kind": out2})
    path = tmp_path / "nested.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    inputs = {"a": np.ones((2, 6), "float32"), "b": np.ones((2, 3), "float32")}
    expected, got = model.predict(inputs, verbose=0), loaded.predict(inputs, verbose=0)
    for key in ("score", "kind"):
        np.testing.assert_allclose(expected[key], got[key], rtol=1e-6)


def test_legacy_path_without_suffix_warns_and_loads(tmp_path):
    model = small_model()
    folder = tmp_path / "saved_model"
    with pytest.warns(DeprecationWarning, match=r"\.keras"):
        model.save(str(folder))
    assert folder.is_dir()
    outputs_equal(model, keras.models.load_model(str(folder)), data()[0])


def test_save_weights_requires_the_keras_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        small_model().save_weights(tmp_path / "w.h5")


def test_json_and_config_round_trips():
    model = small_model()
    clone = keras.models.model_from_json(model.to_json())
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert clone.count_params() == model.count_params()
    rebuilt = keras.Model.from_config(model.get_config())
    assert rebuilt.count_params() == model.count_params()


@keras.saving.register_keras_serializable(package="Lessons")
class ScaledDense(layers.Layer):
    """The seed's CustomDense, plus a constant scale stored in its config."""

    def __init__(self, units=4, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return (keras.ops.matmul(inputs, self.w) + self.b) * self.scale

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


class UnregisteredDense(ScaledDense):
    pass


def custom_model(layer_class):
    inputs = keras.Input((3,))
    return keras.Model(inputs, layer_class(units=2, scale=0.5)(inputs))


def test_registered_custom_layer_round_trip(tmp_path):
    model = custom_model(ScaledDense)
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    assert isinstance(loaded.layers[1], ScaledDense) and loaded.layers[1].scale == 0.5
    outputs_equal(model, loaded, np.ones((2, 3), "float32"))


def test_custom_layer_needs_custom_objects_and_says_so(tmp_path):
    model = custom_model(UnregisteredDense)
    model.save(tmp_path / "c.keras")
    with pytest.raises(TypeError, match="UnregisteredDense.*custom_objects"):
        keras.models.load_model(tmp_path / "c.keras")
    loaded = keras.models.load_model(
        tmp_path / "c.keras", custom_objects={"UnregisteredDense": UnregisteredDense})
    outputs_equal(model, loaded, np.ones((2, 3), "float32"))
    with keras.saving.custom_object_scope({"UnregisteredDense": UnregisteredDense}):
        keras.models.load_model(tmp_path / "c.keras")


def test_lambda_layer_is_refused_in_safe_mode(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Lambda(lambda t: t * 2.0)(inputs))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(tmp_path / "lam.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "lam.keras")
    loaded = keras.models.load_model(tmp_path / "lam.keras", safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 3), "float32"), verbose=0), 2.0)


# --- bad files: a clear error, nothing changed, nothing lost ----------------------------

def test_truncated_file_fails_clearly(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a valid .keras file|corrupted"):
        keras.models.load_model(path)


def test_non_zip_file_fails_clearly(tmp_path):
    path = tmp_path / "notes.keras"
    path.write_text("hello")
    with pytest.raises(ValueError, match="not a zip"):
        keras.models.load_model(path)


def rewrite_archive(path, **replacements):
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    for name, value in replacements.items():
        name = name.replace("_", ".", 1) if name != "model_weights_h5" else "model.weights.h5"
        if value is None:
            contents.pop(name)
        else:
            contents[name] = value
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in contents.items():
            archive.writestr(name, value)


def test_wrong_json_fails_clearly(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    rewrite_archive(path, config_json=b"{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        keras.models.load_model(path)


def test_missing_weights_fails_clearly(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    rewrite_archive(path, model_weights_h5=None)
    with pytest.raises(ValueError, match="model.weights.h5"):
        keras.models.load_model(path)


def test_unknown_class_is_named(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["class_name"] = "FancyAttention"
    rewrite_archive(path, config_json=json.dumps(config).encode())
    with pytest.raises(TypeError, match="FancyAttention"):
        keras.models.load_model(path)


def test_shape_mismatch_leaves_the_model_untouched(tmp_path):
    small_model().save_weights(tmp_path / "w.weights.h5")
    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    hidden = layers.BatchNormalization()(hidden)
    other = keras.Model(inputs, layers.Dense(5)(hidden))  # 5 outputs, not 3
    before = [w.copy() for w in other.get_weights()]
    with pytest.raises(ValueError, match=r"shape \(8, 5\).*\(8, 3\)|nothing was loaded"):
        other.load_weights(tmp_path / "w.weights.h5")
    for old, new in zip(before, other.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_failed_save_keeps_the_existing_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    small_model().save(path)
    original = path.read_bytes()
    from kerlite.saving import saving_lib

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving_lib, "_weights_bytes", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        small_model().save(path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]  # no temp file left


def test_clone_model_has_fresh_weights_and_same_structure():
    model = small_model()
    clone = keras.models.clone_model(model)
    assert clone.count_params() == model.count_params()
    assert clone.layers[1] is not model.layers[1]
