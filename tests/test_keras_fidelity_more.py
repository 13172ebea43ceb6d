"""More places where real Keras 3 code must run unchanged (issue 15), each checked
against Keras 3 itself: custom losses at load time, names of registered losses,
string Inputs in saved configs, the optimizer's learning-rate Variable and its
iteration counter."""

import numpy as np
import pytest

import kerlite
from tests._keras_reference import import_keras

pytestmark = pytest.mark.parity


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")


def _my_loss_for(lib):
    def my_loss(y_true, y_pred):
        return lib.ops.mean(lib.ops.square(y_true - y_pred), axis=-1)

    return my_loss


def _fitted_model(lib, loss, metrics=()):
    x, y = _data()
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    model.compile(optimizer="adam", loss=loss, metrics=list(metrics))
    model.fit(x, y, epochs=1, verbose=0)
    return model


# --- 1. custom losses and metrics in the compile config at load time -----------------
@pytest.mark.parametrize("how", ["custom_objects", "scope"])
def test_load_model_finds_a_custom_loss_of_the_compile_config(tmp_path, how):
    keras = import_keras()
    for lib in (keras, kerlite):
        my_loss = _my_loss_for(lib)
        path = tmp_path / f"{lib.__name__}.keras"
        _fitted_model(lib, my_loss).save(path)
        if how == "custom_objects":
            loaded = lib.saving.load_model(path, custom_objects={"my_loss": my_loss})
        else:
            with lib.saving.custom_object_scope({"my_loss": my_loss}):
                loaded = lib.saving.load_model(path)
        assert loaded.loss is my_loss, lib.__name__
        x, y = _data()
        assert np.isfinite(loaded.evaluate(x, y, verbose=0))


def test_keras_loads_a_kerlite_model_compiled_with_a_custom_loss_and_back(tmp_path):
    keras = import_keras()
    kerlite_loss, keras_loss = _my_loss_for(kerlite), _my_loss_for(keras)
    path = tmp_path / "from_kerlite.keras"
    original = _fitted_model(kerlite, kerlite_loss)
    original.save(path)
    in_keras = keras.saving.load_model(path, custom_objects={"my_loss": keras_loss})
    assert in_keras.loss is keras_loss
    back = tmp_path / "back.keras"
    in_keras.save(back)
    again = kerlite.saving.load_model(back, custom_objects={"my_loss": kerlite_loss})
    assert again.loss is kerlite_loss
    x, _ = _data()
    np.testing.assert_allclose(again.predict(x, verbose=0), original.predict(x, verbose=0),
                               rtol=1e-6)


def test_registered_loss_and_metric_come_back_at_load(tmp_path):
    keras = import_keras()
    for lib in (keras, kerlite):
        package = f"fidelity_more_{lib.__name__}"

        @lib.saving.register_keras_serializable(package=package)
        def reg_loss(y_true, y_pred):
            return lib.ops.mean(lib.ops.abs(y_true - y_pred), axis=-1)

        @lib.saving.register_keras_serializable(package=package)
        def reg_metric(y_true, y_pred):
            return lib.ops.mean(lib.ops.square(y_true - y_pred), axis=-1)

        path = tmp_path / f"{lib.__name__}.keras"
        _fitted_model(lib, reg_loss, [reg_metric]).save(path)
        loaded = lib.saving.load_model(path)
        assert loaded.loss is reg_loss, lib.__name__
        x, y = _data()
        results = loaded.evaluate(x, y, verbose=0, return_dict=True)
        assert set(results) == {"loss", "reg_metric"}, (lib.__name__, results)


# --- 2. a registered loss is not a name compile knows --------------------------------
@pytest.mark.parametrize("name", ["reg_name_loss", "fm_names>reg_name_loss"])
def test_compile_does_not_resolve_registered_names(name):
    """Keras 3.15's losses.get / metrics.get read only their own modules' names, not
    the custom-objects registry: a registered function is passed as the function."""
    keras = import_keras()
    for lib in (keras, kerlite):
        @lib.saving.register_keras_serializable(package="fm_names")
        def reg_name_loss(y_true, y_pred):
            return lib.ops.mean(lib.ops.abs(y_true - y_pred), axis=-1)

        with pytest.raises(ValueError, match="Could not interpret loss identifier"):
            lib.losses.get(name)
        with pytest.raises(ValueError, match="Could not interpret metric identifier"):
            lib.metrics.get(name.replace("loss", "metric"))
        x, y = _data()
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
        with pytest.raises(ValueError, match="Could not interpret loss identifier"):
            model.compile(optimizer="sgd", loss=name)
            model.fit(x, y, verbose=0)


# --- 3. string Inputs ----------------------------------------------------------------
def test_string_input_config_says_string_as_in_keras():
    keras = import_keras()
    ours = kerlite.layers.InputLayer(shape=(1,), dtype="string").get_config()
    theirs = keras.layers.InputLayer(shape=(1,), dtype="string").get_config()
    assert ours["dtype"] == theirs["dtype"] == "string"
    # Each library reads the other's config.
    assert keras.layers.InputLayer.from_config(ours).get_config()["dtype"] == "string"
    assert kerlite.layers.InputLayer.from_config(theirs).get_config()["dtype"] == "string"


def test_string_inputs_and_tensors_are_named_string_as_in_keras():
    keras = import_keras()
    for library in (kerlite, keras):
        assert library.Input(shape=(), dtype="string").dtype == "string"
        assert library.backend.standardize_dtype(str) == "string"
    assert kerlite.ops.convert_to_tensor(np.array(["a", "bc"])).dtype == "string"
    assert kerlite.backend.standardize_dtype(np.array(["a"]).dtype) == "string"
    legacy = kerlite.layers.InputLayer.from_config(  # kerlite files once wrote "str"
        {"batch_shape": (None, 1), "dtype": "str", "name": "text"})
    assert legacy.get_config()["dtype"] == "string"


def test_string_input_model_round_trips_through_a_file(tmp_path):
    inputs = kerlite.Input(shape=(1,), dtype="string")
    outputs = kerlite.layers.StringLookup(vocabulary=["a", "b"])(inputs)
    model = kerlite.Model(inputs, outputs)
    model.save(tmp_path / "text.keras")
    loaded = kerlite.saving.load_model(tmp_path / "text.keras")
    assert loaded.get_config()["layers"][0]["config"]["dtype"] == "string"
    words = np.array([["a"], ["b"], ["c"]])
    np.testing.assert_array_equal(loaded.predict(words, verbose=0), [[1], [2], [0]])


def test_sequential_without_input_keeps_string_data():
    model = kerlite.Sequential([kerlite.layers.StringLookup(vocabulary=["a", "b"])])
    out = model.predict(np.array([["b"], ["a"], ["zzz"]]), verbose=0)
    np.testing.assert_array_equal(out, [[2], [1], [0]])
    assert model.layers[0].input.dtype == "string"


# --- 4. learning_rate is a Variable --------------------------------------------------
def test_learning_rate_is_a_variable_as_in_keras():
    keras = import_keras()
    for lib in (keras, kerlite):
        model = _fitted_model(lib, "mse")
        optimizer = model.optimizer
        lr = optimizer.learning_rate
        assert isinstance(lr, lib.Variable), lib.__name__
        assert lr.dtype == "float32" and tuple(lr.shape) == ()
        assert float(lr) == pytest.approx(0.001)
        np.testing.assert_allclose(lib.ops.convert_to_numpy(lr), 0.001, rtol=1e-6)
        optimizer.learning_rate.assign(0.5)
        assert float(optimizer.learning_rate) == 0.5
        assert optimizer.get_config()["learning_rate"] == 0.5
        optimizer.learning_rate = 0.25
        assert optimizer.learning_rate is lr and float(lr) == 0.25
        assert float(lr * 2) == 0.5


def test_learning_rate_of_a_schedule_is_its_value_and_not_settable():
    keras = import_keras()
    for lib in (keras, kerlite):
        schedule = lib.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
        optimizer = lib.optimizers.SGD(schedule)
        lr = optimizer.learning_rate
        assert not isinstance(lr, lib.Variable)
        assert float(lr) == pytest.approx(0.1)
        assert len(optimizer.variables) == 1  # only the iteration counter
        with pytest.raises(TypeError, match="not settable"):
            optimizer.learning_rate = 0.01


def test_setting_a_schedule_replaces_the_learning_rate_variable():
    keras = import_keras()
    for lib in (keras, kerlite):
        optimizer = lib.optimizers.SGD(0.1)
        assert len(optimizer.variables) == 2
        optimizer.learning_rate = lib.optimizers.schedules.ExponentialDecay(0.2, 10, 0.5)
        assert [v.name for v in optimizer.variables] == ["iteration"]
        assert float(optimizer.learning_rate) == pytest.approx(0.2)


def test_callbacks_change_the_learning_rate_variable():
    x, y = _data()
    model = kerlite.Sequential([kerlite.Input((3,)), kerlite.layers.Dense(1)])
    model.compile(optimizer=kerlite.optimizers.SGD(0.1), loss="mse")
    schedule = kerlite.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=[schedule])
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025])
    assert isinstance(model.optimizer.learning_rate, kerlite.Variable)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.025)


# --- 5. the iteration counter and the summary's optimizer size -----------------------
def test_iterations_dtype_and_optimizer_params_size_match_keras(capsys):
    keras = import_keras()
    lines = {}
    for lib in (keras, kerlite):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(10), lib.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        x, y = _data()
        model.fit(x, y, verbose=0)
        assert model.optimizer.iterations.dtype == "int32", lib.__name__
        capsys.readouterr()
        model.summary()
        text = capsys.readouterr().out
        lines[lib.__name__] = [line.strip() for line in text.splitlines()
                               if "Optimizer params" in line]
    assert lines["kerlite"] == lines["keras"] != []


# --- 6. nested RNN inputs and keras.tree ---------------------------------------------
def test_tree_matches_keras_tree():
    keras = import_keras()
    structure = {"b": [1, (2, 3)], "a": None, "c": {"y": 4, "x": 5}}
    assert kerlite.tree.flatten(structure) == keras.tree.flatten(structure)
    assert kerlite.tree.is_nested([1]) and not kerlite.tree.is_nested(1)
    doubled = kerlite.tree.map_structure(lambda v: None if v is None else v * 2, structure)
    assert doubled == keras.tree.map_structure(
        lambda v: None if v is None else v * 2, structure)
    flat = list(range(6))
    assert (kerlite.tree.pack_sequence_as(structure, flat)
            == keras.tree.pack_sequence_as(structure, flat))


class _TwoInputCell(kerlite.layers.Layer):
    """A cell reading a dict of two inputs, with one (batch, 2, 3) state."""

    state_size = [[2, 3]]
    output_size = 4

    def build(self, input_shapes):
        self.kernel = self.add_weight(shape=(input_shapes["a"][-1] + input_shapes["b"][-1], 4),
                                      initializer="ones", name="kernel")

    def call(self, inputs, states):
        x = kerlite.ops.concatenate([inputs["a"], inputs["b"]], axis=-1)
        state = states[0] + 1.0
        return kerlite.ops.matmul(x, self.kernel), [state]


def test_rnn_with_dict_inputs_masks_and_multi_dim_states():
    a = np.ones((2, 3, 1), "float32")
    b = np.ones((2, 3, 2), "float32")
    mask = np.array([[True, True, False], [True, False, False]])
    rnn = kerlite.layers.RNN(_TwoInputCell(), return_sequences=True, return_state=True)
    outputs, state = rnn({"a": a, "b": b}, mask=mask)
    assert tuple(outputs.shape) == (2, 3, 4) and tuple(state.shape) == (2, 2, 3)
    # Masked steps keep the state: 2 steps counted in row 0, 1 in row 1.
    np.testing.assert_allclose(np.asarray(state)[:, 0, 0], [2.0, 1.0])
    # ...and masked steps repeat the previous output (as Keras 3's loop does).
    outputs = np.asarray(outputs)
    np.testing.assert_allclose(outputs[1, 1:], outputs[1, :1].repeat(2, axis=0))
    np.testing.assert_allclose(outputs[0, 2], outputs[0, 1])
    symbolic = rnn.compute_output_shape({"a": (None, 3, 1), "b": (None, 3, 2)})
    assert symbolic == ((None, 3, 4), (None, 2, 3))
