"""Safe mode cannot be switched off from inside a load, nor from another thread
(issue 14, item 3), and refusing a Lambda names the layer and the way to load it.

The payload is a real lambda that would create a marker file when the model is built;
its bytecode is stored in the file, as ``model.save`` writes a Lambda.

Keras 3.15, for comparison: its safe mode lives in thread-local state that a nested
load's scope overrides in both directions (a nested ``safe_mode=True`` inside an unsafe
load stays unsafe); kerlite lets a nested load make safe mode stricter, never looser.
"""

import threading

import pytest

import kerlite as keras
from kerlite import safe_loading


@pytest.fixture(autouse=True)
def _safe_by_default():
    safe_loading.disable_unsafe_deserialization()
    yield
    safe_loading.disable_unsafe_deserialization()


def _lambda_file(tmp_path, marker, name="lambda_payload.keras"):
    """A model whose Lambda creates ``marker`` when it runs (also when it is rebuilt)."""
    path_text = str(marker)
    inputs = keras.Input((2,))
    outputs = keras.layers.Lambda(
        lambda x, path=path_text: (open(path, "w").close(), x)[1], name="payload")(inputs)
    keras.Model(inputs, outputs).save(tmp_path / name)
    marker.unlink()  # created while building the model above
    return tmp_path / name


def _loader_class(name, action):
    """A registered layer whose from_config runs ``action(config)`` (a nested load)."""

    class NestedLoader(keras.layers.Layer):
        def __init__(self, path="", **kwargs):
            super().__init__(**kwargs)
            self.path = path

        def call(self, x):
            return x

        def get_config(self):
            return {**super().get_config(), "path": self.path}

        @classmethod
        def from_config(cls, config):
            action(config)
            return cls(**config)

    NestedLoader.__name__ = name
    return keras.saving.register_keras_serializable(package="SafeModeTest")(NestedLoader)


def _outer_file(tmp_path, loader_class, nested_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, loader_class(path=str(nested_path))(inputs))
    path = tmp_path / "outer.keras"
    model.save(path)
    return path


def test_lambda_refusal_names_the_layer_and_how_to_load_it(tmp_path):
    marker = tmp_path / "marker"
    path = _lambda_file(tmp_path, marker)
    with pytest.raises(ValueError) as error:
        keras.saving.load_model(path)
    message = str(error.value)
    assert "Lambda" in message and "'payload'" in message
    assert "safe_mode=False" in message and "enable_unsafe_deserialization" in message
    assert not marker.exists()


def test_nested_load_cannot_lower_safe_mode(tmp_path):
    marker = tmp_path / "marker"
    payload = _lambda_file(tmp_path, marker)
    seen = []

    def nested_unsafe_load(config):
        try:
            keras.saving.load_model(config["path"], safe_mode=False)
        except ValueError as error:
            seen.append(str(error))
            raise

    loader = _loader_class("LowerSafeMode", nested_unsafe_load)
    outer = _outer_file(tmp_path, loader, payload)
    with pytest.raises(ValueError, match="Lambda"):
        keras.saving.load_model(outer)  # safe: the nested safe_mode=False is ignored
    assert seen and not marker.exists()


def test_nested_deserialize_cannot_lower_safe_mode(tmp_path):
    marker = tmp_path / "marker"
    payload = _lambda_file(tmp_path, marker)
    lambda_config = keras.saving.load_model(payload, safe_mode=False).layers[1].get_config()
    marker.unlink()

    def nested_unsafe_deserialize(config):
        keras.saving.deserialize_keras_object(
            {"class_name": "Lambda", "module": "keras.layers", "config": lambda_config},
            safe_mode=False)

    loader = _loader_class("LowerDeserialize", nested_unsafe_deserialize)
    outer = _outer_file(tmp_path, loader, payload)
    with pytest.raises(ValueError, match="Refusing to load the Lambda layer 'payload'"):
        keras.saving.load_model(outer)
    assert not marker.exists()


def test_nested_load_can_raise_safe_mode(tmp_path):
    marker = tmp_path / "marker"
    payload = _lambda_file(tmp_path, marker)
    loader = _loader_class(
        "RaiseSafeMode", lambda config: keras.saving.load_model(config["path"]))
    outer = _outer_file(tmp_path, loader, payload)
    with pytest.raises(ValueError, match="Lambda"):
        keras.saving.load_model(outer, safe_mode=False)  # the nested load asks safe
    assert not marker.exists()


def test_an_unsafe_load_in_one_thread_leaves_other_threads_safe(tmp_path):
    marker = tmp_path / "marker"
    payload = _lambda_file(tmp_path, marker)
    inside, release = threading.Event(), threading.Event()

    def hold_open(config):  # keeps thread A inside its unsafe load
        inside.set()
        release.wait(30)

    loader = _loader_class("HoldOpen", hold_open)
    outer = _outer_file(tmp_path, loader, payload)
    errors = []
    thread = threading.Thread(target=lambda: keras.saving.load_model(outer, safe_mode=False))
    thread.start()
    try:
        assert inside.wait(30)
        try:
            keras.saving.load_model(payload)  # this thread's default load
        except ValueError as error:
            errors.append(str(error))
    finally:
        release.set()
        thread.join(30)
    assert errors and "Lambda" in errors[0]
    assert not marker.exists()


def test_enable_unsafe_deserialization_is_per_thread_as_in_keras(tmp_path):
    marker = tmp_path / "marker"
    payload = _lambda_file(tmp_path, marker)
    outcome = {}

    def other_thread():
        try:
            keras.saving.load_model(payload)
            outcome["other"] = "loaded"
        except ValueError:
            outcome["other"] = "refused"

    keras.config.enable_unsafe_deserialization()
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(30)
    assert outcome == {"other": "refused"} and not marker.exists()
    keras.saving.load_model(payload)  # this thread: unsafe, the lambda runs
    assert marker.exists()


@pytest.mark.parity
def test_keras_keeps_enable_unsafe_deserialization_per_thread():
    keras3 = pytest.importorskip("keras")
    from keras.src.saving import serialization_lib

    result = {}
    thread = threading.Thread(
        target=lambda: (keras3.config.enable_unsafe_deserialization(),
                        result.setdefault("inside", serialization_lib.in_safe_mode())))
    thread.start()
    thread.join(30)
    assert result["inside"] is False
    assert serialization_lib.in_safe_mode() is not False  # this thread unaffected
