"""``deserialize_keras_object`` on a plain string returns it unchanged, as Keras 3 does
(issue 15, item 3), unless the string names a custom or registered object; so custom
compile configs that store ``"SGD"`` load again. Safer too: a string in a config is
never turned into an arbitrary library function.
"""

import numpy as np
import pytest

import kerlite as keras

STRINGS = ["SGD", "adam", "relu", "accuracy", "mse", "glorot_uniform", "load_model",
           "not_a_keras_name", "keras.models.load_model", ""]


@pytest.mark.parametrize("text", STRINGS)
def test_plain_strings_come_back_unchanged(text):
    assert keras.saving.deserialize_keras_object(text) == text


@pytest.mark.parity
def test_plain_strings_match_keras():
    from _keras_reference import import_keras

    keras3 = import_keras()
    for text in STRINGS:
        assert (keras.saving.deserialize_keras_object(text)
                == keras3.saving.deserialize_keras_object(text)), text


def test_strings_naming_custom_or_registered_objects_resolve():
    def scaled(x):
        return x * 2

    assert keras.saving.deserialize_keras_object(
        "scaled", custom_objects={"scaled": scaled}) is scaled
    with keras.saving.custom_object_scope({"scaled": scaled}):
        assert keras.saving.deserialize_keras_object("scaled") is scaled
    registered = keras.saving.register_keras_serializable(package="StringTest")(scaled)
    assert keras.saving.deserialize_keras_object("StringTest>scaled") is registered


def test_identifiers_still_resolve_through_get():
    assert isinstance(keras.optimizers.get("SGD"), keras.optimizers.SGD)
    assert callable(keras.activations.get("relu"))
    assert keras.losses.get("mse") is not None and keras.metrics.get("accuracy") is not None


def test_custom_compile_config_storing_a_string_loads(tmp_path):
    @keras.saving.register_keras_serializable(package="StringTest")
    class CompiledByName(keras.Model):
        def get_compile_config(self):
            return {"optimizer": "SGD", "loss": "mse"}

        def compile_from_config(self, config):
            optimizer = keras.saving.deserialize_keras_object(config["optimizer"])
            loss = keras.saving.deserialize_keras_object(config["loss"])
            assert optimizer == "SGD" and loss == "mse"
            self.compile(optimizer=optimizer, loss=loss)

    inputs = keras.Input((3,))
    model = CompiledByName(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    path = tmp_path / "by_name.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.optimizer, keras.optimizers.SGD)
    loaded.fit(np.ones((4, 3)), np.ones((4, 1)), epochs=1, verbose=0)


def test_default_compile_config_round_trips(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="relu")(inputs))
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.optimizer, keras.optimizers.Adam)
    loaded.fit(np.ones((4, 3)), np.ones((4, 2)), epochs=1, verbose=0)
