"""keras-io guide "Save, serialize, and export models" (guides/serialization_and_saving.py),
run on kerlite and Keras 3 (the parts without assets or custom save hooks: those are covered by
the customizing-saving tests elsewhere).

Sections: Saving (model.save / load_model round trip), Custom objects (registered custom
function and layer, saved and loaded without custom_objects), Passing custom objects to
load_model and using a custom object scope, Safe mode (a Lambda refuses to load), Config-only
saving (get_config/from_config for a layer, Sequential and Functional model; to_json /
model_from_json; clone_model), serialize_keras_object / deserialize_keras_object, Saving and
loading only the weights (save_weights / load_weights, transfer between layers).
Data: random arrays as in the guide.
"""

import numpy as np
import pytest

from _guide import assert_close, run_both

pytestmark = pytest.mark.parity

RNG = np.random.default_rng(0)
TEST_INPUT = RNG.random((4, 4)).astype("float32")


def get_model(lib):
    keras = lib.keras
    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss="mean_squared_error")
    return model


def test_how_to_save_and_load_a_model(tmp_path):
    def section(lib):
        keras = lib.keras
        model = get_model(lib)
        test_input = np.random.random((128, 32))
        test_target = np.random.random((128, 1))
        model.fit(test_input, test_target, verbose=0)
        path = str(tmp_path / f"{lib.name}_my_model.keras")
        model.save(path)
        reconstructed_model = keras.models.load_model(path)
        np.testing.assert_allclose(model.predict(test_input, verbose=0),
                                   reconstructed_model.predict(test_input, verbose=0))
        reconstructed_model.fit(test_input, test_target, verbose=0)  # training resumes
        return type(reconstructed_model.optimizer).__name__, reconstructed_model.loss

    mine, theirs = run_both(section)
    assert mine == theirs == ("Adam", "mean_squared_error")


def custom_objects(lib):
    keras = lib.keras

    @keras.saving.register_keras_serializable(package="my_package", name="custom_fn")
    def custom_fn(x):
        return x**2

    @keras.saving.register_keras_serializable(package="MyLayers")
    class CustomLayer(keras.layers.Layer):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

    def build():
        inputs = keras.Input(shape=(4,))
        mid = CustomLayer(0.5)(inputs)
        outputs = keras.layers.Dense(1, activation=custom_fn)(mid)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="rmsprop", loss="mean_squared_error")
        return model

    return custom_fn, CustomLayer, build


def test_custom_objects_registered(tmp_path):
    def section(lib):
        keras = lib.keras
        custom_fn, CustomLayer, build = custom_objects(lib)
        model = build()
        model.fit(np.random.random((4, 4)), np.random.random((4, 1)), verbose=0)
        path = str(tmp_path / f"{lib.name}_custom_model.keras")
        model.save(path)
        reconstructed_model = keras.models.load_model(path)
        np.testing.assert_allclose(model.predict(TEST_INPUT, verbose=0),
                                   reconstructed_model.predict(TEST_INPUT, verbose=0))
        return (model, keras.saving.get_registered_name(CustomLayer),
                keras.saving.get_registered_name(custom_fn),
                type(reconstructed_model.layers[1]).__name__)

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts == ["MyLayers>CustomLayer", "my_package>custom_fn",
                                         "CustomLayer"]
    theirs.set_weights(mine.get_weights())
    assert_close(mine.predict(TEST_INPUT, verbose=0), theirs.predict(TEST_INPUT, verbose=0))


def test_passing_custom_objects_and_custom_object_scope(tmp_path):
    def section(lib):
        keras = lib.keras

        class Unregistered(keras.layers.Layer):
            def call(self, x):
                return x * 3.0

        inputs = keras.Input(shape=(4,))
        model = keras.Model(inputs, Unregistered()(inputs))
        path = str(tmp_path / f"{lib.name}_unregistered.keras")
        model.save(path)
        try:
            keras.models.load_model(path)
            error = None
        except Exception as exc:  # the guide: loading needs the class
            error = type(exc).__name__
        by_argument = keras.models.load_model(path, custom_objects={"Unregistered":
                                                                    Unregistered})
        with keras.saving.custom_object_scope({"Unregistered": Unregistered}):
            by_scope = keras.models.load_model(path)
        return (error, np.asarray(by_argument.predict(TEST_INPUT, verbose=0)),
                np.asarray(by_scope.predict(TEST_INPUT, verbose=0)))

    mine, theirs = run_both(section)
    assert mine[0] == theirs[0] == "TypeError"
    assert_close(mine[1:], theirs[1:])
    assert_close(mine[1], TEST_INPUT * 3.0)


def test_safe_mode_refuses_a_lambda(tmp_path):
    def section(lib):
        keras = lib.keras
        lambda_model = keras.Sequential([keras.Input(shape=(4,)),
                                         keras.layers.Lambda(lambda x: x * 2)])
        path = str(tmp_path / f"{lib.name}_lambda_model.keras")
        lambda_model.save(path)
        with pytest.raises(ValueError) as refused:
            keras.models.load_model(path)
        loaded = keras.models.load_model(path, safe_mode=False)
        return "safe_mode" in str(refused.value), np.asarray(loaded(TEST_INPUT))

    mine, theirs = run_both(section)
    assert mine[0] and theirs[0]
    assert_close(mine[1], theirs[1])
    assert_close(mine[1], TEST_INPUT * 2)


def without_keras_only_options(config):
    """A layer config without Keras 3's quantization option at its "off" value (None): kerlite
    does not implement quantization, leaves the key out, and loads files that carry it."""
    config = dict(config)
    if config.get("quantization_config", "absent") is None:
        del config["quantization_config"]
    if isinstance(config.get("config"), dict):
        config["config"] = without_keras_only_options(config["config"])
    return config


def test_config_only_saving():
    def section(lib):
        keras = lib.keras
        layer = keras.layers.Dense(3, activation="relu")
        layer_config = layer.get_config()
        new_layer = keras.layers.Dense.from_config(layer_config)

        model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
        config = model.get_config()
        new_sequential = keras.Sequential.from_config(config)

        inputs = keras.Input((32,))
        outputs = keras.layers.Dense(1)(inputs)
        model = keras.Model(inputs, outputs)
        config = model.get_config()
        new_functional = keras.Model.from_config(config)

        json_config = model.to_json()
        from_json = keras.models.model_from_json(json_config)
        clone = keras.models.clone_model(model)
        return (layer_config, new_layer.get_config(), len(new_sequential.layers),
                new_functional.count_params(), from_json.count_params(),
                clone.count_params(), [type(l).__name__ for l in clone.layers])

    mine, theirs = run_both(section)
    assert mine[0] == without_keras_only_options(theirs[0]) and mine[1] == mine[0]
    assert mine[2:] == theirs[2:] == (1, 33, 33, 33, ["InputLayer", "Dense"])


def test_serialize_and_deserialize_keras_object():
    def section(lib):
        keras = lib.keras
        config = keras.saving.serialize_keras_object(keras.layers.Dense(3, name="dense_3"))
        layer = keras.saving.deserialize_keras_object(config)
        return config, type(layer).__name__, layer.units

    mine, theirs = run_both(section)
    assert mine[0] == without_keras_only_options(theirs[0])
    assert mine[1:] == theirs[1:]
    assert mine[0]["class_name"] == "Dense" and mine[0]["module"] == "keras.layers"


def test_saving_and_loading_only_the_weights(tmp_path):
    def section(lib):
        keras = lib.keras
        model = get_model(lib)
        path = str(tmp_path / f"{lib.name}_my.weights.h5")
        model.save_weights(path)
        other = get_model(lib)
        other.load_weights(path)
        x = np.random.random((2, 32))
        same_after_load = np.allclose(model.predict(x, verbose=0), other.predict(x, verbose=0))

        def create_layer():
            layer = keras.layers.Dense(64, activation="relu", name="dense_2")
            layer.build((None, 784))
            return layer

        layer_1 = create_layer()
        layer_2 = create_layer()
        layer_2.set_weights(layer_1.get_weights())
        transferred = all(np.array_equal(a, b) for a, b in zip(layer_1.get_weights(),
                                                               layer_2.get_weights()))
        return model, path, same_after_load, transferred

    (mine, mine_path, *mine_facts), (theirs, their_path, *their_facts) = run_both(section)
    assert mine_facts == their_facts == [True, True]
    # each library reads the other's weights file
    theirs.load_weights(mine_path)
    x = np.random.default_rng(1).random((2, 32)).astype("float32")
    assert_close(mine.predict(x, verbose=0), theirs.predict(x, verbose=0))
