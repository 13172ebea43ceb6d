"""Lion, Ftrl, Lamb and Adafactor: three updates equal Keras 3's, slot variables named
and shaped as Keras makes them, config round trips, string lookup, training and resuming."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import optimizers
from kerlite.optimizers import schedules
from _keras_reference import import_keras

rng = np.random.default_rng(5)
# A matrix, a vector, a 3-D array (Adafactor factors its last two axes) and a scalar.
SHAPES = [(4, 3), (3,), (2, 3, 5), ()]
START = [rng.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [[rng.normal(size=w.shape).astype("float32") for w in START] for _ in range(3)]

CASES = [
    ("Lion", {}),
    ("Lion", {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.1}),
    ("Ftrl", {}),
    ("Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.3,
              "l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1,
              "l2_shrinkage_regularization_strength": 0.01, "beta": 0.2}),
    ("Lamb", {}),
    ("Lamb", {"learning_rate": 0.01, "weight_decay": 0.1, "global_clipnorm": 1.0}),
    ("Adafactor", {}),
    ("Adafactor", {"learning_rate": 0.1, "clip_threshold": 0.5}),
    ("Adafactor", {"learning_rate": 2.0, "relative_step": False, "epsilon_2": 0.1}),
]


def run_steps(module, variable_class, name, kwargs, start=START, grads=GRADS):
    variables = [variable_class(w.copy()) for w in start]
    optimizer = getattr(module.optimizers, name)(**kwargs)
    for step_grads in grads:
        optimizer.apply_gradients(zip(step_grads, variables))
    return [np.asarray(v.numpy()) for v in variables], optimizer


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs", CASES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_three_updates_match_keras(name, kwargs):
    reference = import_keras()
    expected, theirs = run_steps(reference, reference.Variable, name, kwargs)
    ours, optimizer = run_steps(keras, keras.Variable, name, kwargs)
    for mine, want in zip(ours, expected):
        np.testing.assert_allclose(mine, want, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == 3
    # Same state variables, in the same order and shapes (saved files line up).
    assert ([tuple(v.shape) for v in optimizer.variables]
            == [tuple(v.shape) for v in theirs.variables])
    for mine, want in zip(optimizer.variables[2:], theirs.variables[2:]):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(want), rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Lion", "Adafactor"])
def test_updates_with_a_learning_rate_schedule_match_keras(name):
    reference = import_keras()

    def kwargs(module):
        return {"learning_rate": module.optimizers.schedules.ExponentialDecay(
            0.05, decay_steps=1, decay_rate=0.5)}

    expected, _ = run_steps(reference, reference.Variable, name, kwargs(reference))
    ours, _ = run_steps(keras, keras.Variable, name, kwargs(keras))
    for mine, want in zip(ours, expected):
        np.testing.assert_allclose(mine, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_many_small_variables_updated_together_match_keras():
    # Lion and Ftrl update small variables as one flat array; Lamb and Adafactor
    # must not (their rules use per-variable norms). All four still match Keras.
    reference = import_keras()
    local = np.random.default_rng(9)
    start = [local.normal(size=(3, 2)).astype("float32") for _ in range(4)]
    start[2] *= 10.0  # different norms per variable: a shared norm would show
    grads = [[local.normal(size=w.shape).astype("float32") for w in start]
             for _ in range(3)]
    for name in ("Lion", "Ftrl", "Lamb", "Adafactor"):
        expected, _ = run_steps(reference, reference.Variable, name, {}, start, grads)
        ours, optimizer = run_steps(keras, keras.Variable, name, {}, start, grads)
        assert bool(optimizer._groups) == (name in ("Lion", "Ftrl"))
        for mine, want in zip(ours, expected):
            np.testing.assert_allclose(mine, want, rtol=1e-5, atol=1e-6, err_msg=name)


def test_lion_steps_by_exactly_the_learning_rate():
    variable = keras.Variable(np.zeros(4, "float32"))
    optimizers.Lion(learning_rate=0.1).apply(
        [np.array([3.0, -0.01, 0.0, 100.0], "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), [-0.1, 0.1, 0.0, -0.1])


def test_ftrl_l1_sets_small_weights_to_exactly_zero():
    variable = keras.Variable(np.ones(3, "float32"))
    optimizer = optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=10.0)
    optimizer.apply([np.array([0.1, -0.1, 0.2], "float32")], [variable])
    assert np.all(variable.numpy() == 0.0)


SLOT_NAMES = {
    "Lion": ["kernel_momentum", "bias_momentum"],
    "Ftrl": ["kernel_accumulator", "kernel_linear", "bias_accumulator", "bias_linear"],
    "Lamb": ["kernel_momentum", "kernel_velocity", "bias_momentum", "bias_velocity"],
    # Adafactor's row and column means are named after the variable itself, and a
    # vector gets two scalar placeholders instead (as in Keras).
    "Adafactor": ["kernel", "kernel", "kernel_velocity", "bias", "bias", "bias_velocity"],
}


@pytest.mark.parametrize("name", sorted(SLOT_NAMES))
def test_slot_variables_are_named_like_keras(name):
    kernel = keras.Variable(np.ones((4, 3), "float32"), name="kernel")
    bias = keras.Variable(np.ones(3, "float32"), name="bias")
    optimizer = getattr(optimizers, name)()
    optimizer.apply([np.ones((4, 3), "float32"), np.ones(3, "float32")], [kernel, bias])
    names = [v.path.split("/")[-1] for v in optimizer.variables]
    assert names == ["iteration", "learning_rate"] + SLOT_NAMES[name]
    placeholders = {"bias"} if name == "Adafactor" else set()  # Keras: outside its scope
    assert all(v.path.startswith(f"{optimizer.name}/") for v in optimizer.variables
               if v.path not in placeholders)


DEFAULTS = {
    "Lion": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.99),
    "Ftrl": dict(learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0),
    "Lamb": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    "Adafactor": dict(learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                      epsilon_2=1e-3, clip_threshold=1.0, relative_step=True),
}


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_defaults_and_config_round_trip(name):
    cls = getattr(optimizers, name)
    config = cls().get_config()
    for key, value in DEFAULTS[name].items():
        assert config[key] == pytest.approx(value), key
    assert config["weight_decay"] is None and config["use_ema"] is False
    rebuilt = optimizers.deserialize(optimizers.serialize(cls(name="mine")))
    assert type(rebuilt) is cls and rebuilt.get_config() == {**config, "name": "mine"}
    scheduled = cls(learning_rate=schedules.CosineDecay(0.1, 100))
    again = cls.from_config(scheduled.get_config())
    assert again.learning_rate == pytest.approx(0.1)


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_config_keys_and_defaults_equal_keras(name):
    reference = import_keras()
    theirs = getattr(reference.optimizers, name)().get_config()
    ours = getattr(optimizers, name)().get_config()
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        if key != "name":
            assert ours[key] == pytest.approx(value) if isinstance(value, float) \
                else ours[key] == value, key


def test_string_lookup_and_compile():
    for name in ("lion", "ftrl", "lamb", "adafactor", "Lion", "Adafactor"):
        assert type(optimizers.get(name)).__name__.lower() == name.lower()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="lion", loss="mse")
    assert isinstance(model.optimizer, optimizers.Lion)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="initial_accumulator_value"):
        optimizers.Ftrl(initial_accumulator_value=-0.1)


@pytest.mark.parametrize("name", ["lion", "ftrl", "lamb", "adafactor"])
def test_training_lowers_the_loss_and_resumes_exactly(name, tmp_path):
    local = np.random.default_rng(0)
    x = local.normal(size=(64, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32")).astype("float32")
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    learning_rate = {"ftrl": 0.5, "adafactor": 0.05}.get(name, 0.01)
    model.compile(optimizer=optimizers.get({"class_name": name, "config": {
        "learning_rate": learning_rate}}), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
    model.save(tmp_path / "model.keras")
    resumed = keras.models.load_model(tmp_path / "model.keras")
    assert type(resumed.optimizer) is type(model.optimizer)
    for original, copy in zip(model.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(original), np.asarray(copy))
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    resumed.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), resumed.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)
