"""Names Keras 3 code reaches for outside the layers: top-level classes, keras.config,
keras.utils and keras.backend helpers, keras.saving functions, keras.preprocessing."""

import logging
import warnings

import numpy as np
import pytest

import kerlite as keras
from kerlite import config
from _keras_reference import import_keras


@pytest.fixture
def restore_config():
    saved = dict(config._settings)
    yield
    config._settings.clear()
    config._settings.update(saved)
    keras.safe_loading.disable_unsafe_deserialization()  # per-thread, not in _settings


def _tiny_model():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_top_level_base_classes_are_the_packages_own():
    assert keras.Loss is keras.losses.Loss
    assert keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer


def test_a_loss_subclassed_from_the_top_level_name_trains():
    class HalfSquared(keras.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(0.5 * keras.ops.square(y_pred - y_true), axis=-1)

    model = _tiny_model()
    model.compile(optimizer="sgd", loss=HalfSquared())
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


def test_config_reexports_the_backend_settings():
    assert config.floatx is keras.backend.floatx
    assert config.set_epsilon is keras.backend.set_epsilon
    assert config.image_data_format() == "channels_last"
    assert config.backend() == keras.backend.backend()


def test_max_epochs_caps_fit_with_a_warning(restore_config):
    config.set_max_epochs(2)
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        history = _tiny_model().fit(np.ones((8, 3)), np.ones((8, 1)), epochs=5, verbose=0)
    assert history.epoch == [0, 1]
    with pytest.raises(ValueError, match="max_epochs"):
        config.set_max_epochs(0)


def test_max_steps_per_epoch_caps_every_loop(restore_config):
    config.set_max_steps_per_epoch(3)
    steps = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(b))
    model = _tiny_model()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.fit(np.ones((80, 3)), np.ones((80, 1)), batch_size=8, callbacks=[counter],
                  verbose=0)
    assert steps == [0, 1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert model.predict(np.ones((80, 3)), batch_size=8, verbose=0).shape == (24, 1)


def test_unsafe_deserialization_lets_a_lambda_load(tmp_path, restore_config):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 3.0)(inputs))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="safe mode"):
        keras.saving.load_model(path)
    config.enable_unsafe_deserialization()
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[3.0, 3.0]])


def test_disabled_interactive_logging_sends_progress_and_summary_to_the_logger(
        capsys, caplog, restore_config):
    config.disable_interactive_logging()
    assert not config.is_interactive_logging_enabled()
    model = _tiny_model()
    with caplog.at_level(logging.INFO, logger="kerlite"):
        model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=1, verbose=1)
        model.summary()
    assert capsys.readouterr().out == ""
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "1/1" in logged and "loss:" in logged
    assert "Trainable params: 4" in logged
    config.enable_interactive_logging()
    model.summary()
    assert "Trainable params: 4" in capsys.readouterr().out


def test_utils_offers_the_saving_names_and_graph_helpers():
    assert keras.utils.register_keras_serializable is keras.saving.register_keras_serializable
    assert keras.utils.get_custom_objects is keras.saving.get_custom_objects
    assert keras.utils.serialize_keras_object is keras.saving.serialize_keras_object
    assert keras.utils.clear_session is keras.backend.clear_session
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    merged = keras.layers.Dense(2)(keras.layers.add([b, keras.layers.Dense(2)(a)]))
    assert keras.utils.get_source_inputs(merged) == [b, a]
    assert keras.utils.is_keras_tensor(merged) and not keras.utils.is_keras_tensor(np.ones(2))
    with pytest.raises(ValueError, match="symbolic tensor"):
        keras.utils.get_source_inputs(np.ones(2))
    assert "register_keras_serializable" in dir(keras.utils)


def test_pack_and_unpack_x_y_sample_weight():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert keras.utils.pack_x_y_sample_weight(x) is x
    assert keras.utils.pack_x_y_sample_weight((x, x)) == ((x, x),)
    assert keras.utils.pack_x_y_sample_weight(x, y) == (x, y)
    assert keras.utils.pack_x_y_sample_weight(x, y, w) == (x, y, w)
    assert keras.utils.unpack_x_y_sample_weight((x, y)) == (x, y, None)
    assert keras.utils.unpack_x_y_sample_weight(x) == (x, None, None)


@pytest.mark.parity
def test_backend_dtype_helpers_and_uids_match_keras():
    real = import_keras()
    for dtype in ("float16", "bfloat16", "float32", "int8", "uint16", "bool", int, float):
        assert keras.backend.is_float_dtype(dtype) == real.backend.is_float_dtype(dtype)
        assert keras.backend.is_int_dtype(dtype) == real.backend.is_int_dtype(dtype)
    real.backend.clear_session()
    expected = [real.backend.get_uid("dense"), real.backend.get_uid("dense"),
                real.layers.Dense(1).name]
    got = [keras.backend.get_uid("dense"), keras.backend.get_uid("dense"),
           keras.layers.Dense(1).name]
    assert got == expected == [1, 2, "dense_2"]


def test_saving_weights_functions_round_trip(tmp_path):
    model = _tiny_model()
    path = tmp_path / "tiny.weights.h5"
    keras.saving.save_weights(model, path)
    other = _tiny_model()
    keras.saving.load_weights(other, path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="max_shard_size"):
        keras.saving.save_weights(model, path, max_shard_size=1)


def test_timeseries_windows_and_targets_follow_the_keras_documentation():
    # The example of keras.utils.timeseries_dataset_from_array's documentation.
    data = np.arange(100)
    dataset = keras.utils.timeseries_dataset_from_array(data[:-10], data[10:],
                                                        sequence_length=10)
    inputs, targets = next(iter(dataset))
    np.testing.assert_array_equal(inputs[0], data[:10])
    assert targets[0] == data[10]
    assert inputs.shape == (81, 10) and len(dataset) == 1
    # sampling_rate and stride: window k starts at 3k and takes every 2nd step
    strided = keras.utils.timeseries_dataset_from_array(
        data, None, sequence_length=4, sampling_rate=2, sequence_stride=3, batch_size=5,
        start_index=10, end_index=40)
    first = strided[0]
    np.testing.assert_array_equal(first[1], [13, 15, 17, 19])
    assert first.shape == (5, 4)
    assert sum(len(batch) for batch in strided) == len(range(0, 40 - 10 - 6, 3))
    assert keras.preprocessing.timeseries_dataset_from_array is \
        keras.utils.timeseries_dataset_from_array


def test_timeseries_dataset_shuffles_with_its_seed_and_trains_a_model():
    data = np.sin(np.arange(300) / 10.0).astype("float32")[:, None]
    make = lambda: keras.utils.timeseries_dataset_from_array(  # noqa: E731
        data[:-5], data[5:, 0], sequence_length=5, batch_size=32, shuffle=True, seed=3)
    first, again = make(), make()
    np.testing.assert_array_equal(first[0][0], again[0][0])
    assert not np.array_equal(first[0][1], data[5:37, 0])  # shuffled
    inputs = keras.Input((5, 1))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(first, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    with pytest.raises(ValueError, match="sampling_rate"):
        keras.utils.timeseries_dataset_from_array(data, None, 5, sampling_rate=0)
    with pytest.raises(IndexError):
        first[len(first)]


def test_preprocessing_sequence_pads_like_utils():
    np.testing.assert_array_equal(
        keras.preprocessing.sequence.pad_sequences([[1, 2], [3]], maxlen=3),
        [[0, 1, 2], [0, 0, 3]])


@pytest.mark.parity
def test_layers_serialize_writes_what_keras_writes_and_deserialize_rebuilds():
    real = import_keras()
    ours = keras.layers.serialize(keras.layers.Dense(2, name="d"))
    theirs = real.layers.serialize(real.layers.Dense(2, name="d"))
    assert ours["class_name"] == theirs["class_name"] == "Dense"
    assert ours["module"] == theirs["module"] == "keras.layers"
    rebuilt = keras.layers.deserialize(theirs)
    assert isinstance(rebuilt, keras.layers.Dense) and rebuilt.units == 2
    assert real.layers.deserialize(ours).units == 2


@pytest.mark.parity
def test_ops_nn_and_ops_linalg_offer_the_names_keras_gives_them():
    real = import_keras()
    missing_here = {"ctc_decode", "ctc_loss", "polar"}  # not in kerlite (see README)
    for name in dir(real.ops.nn):
        if not name.startswith("_") and name not in missing_here:
            assert getattr(keras.ops.nn, name) is getattr(keras.ops, name), name
    assert keras.ops.linalg.det is keras.ops.det
    x = keras.Input((3,), dtype="float16")
    assert keras.ops.dtype(x) == "float16" and keras.ops.nn.relu(x).shape == (None, 3)
