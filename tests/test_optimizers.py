"""Optimizers: each update equals Keras 3's formula; schedules, clipping, config, errors."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import optimizers
from kerlite.optimizers import schedules
from _keras_reference import import_keras

rng = np.random.default_rng(2)
START = [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")]
GRADS = [[rng.normal(size=w.shape).astype("float32") for w in START] for _ in range(3)]

CASES = [
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}), ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adam", {}), ("Adam", {"amsgrad": True}), ("AdamW", {}), ("Adagrad", {}),
    ("Adadelta", {"learning_rate": 1.0}), ("Adamax", {}), ("Nadam", {}),
    ("SGD", {"clipnorm": 0.5}), ("Adam", {"global_clipnorm": 0.5}),
    ("RMSprop", {"clipvalue": 0.1}), ("SGD", {"weight_decay": 0.1}),
]


def run_steps(module, variable_class, name, kwargs):
    variables = [variable_class(w.copy()) for w in START]
    optimizer = getattr(module.optimizers, name)(**kwargs)
    for grads in GRADS:
        optimizer.apply_gradients(zip(grads, variables))
    return [np.asarray(v.numpy()) for v in variables], optimizer


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in
                                                     enumerate(CASES)])
def test_three_updates_match_keras(name, kwargs):
    reference = import_keras()
    expected, _ = run_steps(reference, reference.Variable, name, kwargs)
    ours, optimizer = run_steps(keras, keras.Variable, name, kwargs)
    for mine, theirs in zip(ours, expected):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == 3


@pytest.mark.parity
def test_schedules_match_keras():
    reference = import_keras()
    pairs = [
        ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10,
                                  decay_rate=0.5)),
        ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10,
                                  decay_rate=0.5, staircase=True)),
        ("PiecewiseConstantDecay", dict(boundaries=[5, 10], values=[1.0, 0.5, 0.1])),
        ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=20, alpha=0.1)),
        ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=20,
                             warmup_target=0.1, warmup_steps=5)),
    ]
    for name, kwargs in pairs:
        theirs = getattr(reference.optimizers.schedules, name)(**kwargs)
        ours = getattr(schedules, name)(**kwargs)
        for step in (0, 3, 5, 7, 10, 15, 30):
            assert ours(step) == pytest.approx(float(theirs(step)), rel=1e-5, abs=1e-7)


def test_schedule_drives_the_learning_rate():
    optimizer = optimizers.SGD(learning_rate=schedules.ExponentialDecay(1.0, 1, 0.5))
    variable = keras.Variable(np.zeros(1, "float32"))
    for _ in range(3):
        optimizer.apply([np.ones(1, "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), [-(1 + 0.5 + 0.25)])
    assert optimizer.learning_rate == pytest.approx(0.125)
    with pytest.raises(TypeError, match="schedule"):
        optimizer.learning_rate = 0.1


def test_learning_rate_can_be_set_and_variables_are_named_like_keras():
    optimizer = optimizers.Adam(learning_rate=0.01)
    kernel = keras.Variable(np.ones((2, 2), "float32"), name="kernel")
    optimizer.apply([np.ones((2, 2), "float32")], [kernel])
    optimizer.learning_rate = 0.5
    assert optimizer.learning_rate == pytest.approx(0.5)
    names = [v.path.split("/")[1] for v in optimizer.variables]
    assert names == ["iteration", "learning_rate", "kernel_momentum", "kernel_velocity"]


def test_get_and_config_round_trip():
    assert isinstance(optimizers.get("rmsprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("Adam"), optimizers.Adam)
    adam = optimizers.Adam(learning_rate=0.02, beta_1=0.8, amsgrad=True)
    config = adam.get_config()
    assert config["learning_rate"] == pytest.approx(0.02)
    assert config["beta_1"] == 0.8 and config["amsgrad"] is True
    rebuilt = optimizers.deserialize(optimizers.serialize(adam))
    assert isinstance(rebuilt, optimizers.Adam)
    assert rebuilt.get_config()["beta_1"] == 0.8
    scheduled = optimizers.SGD(learning_rate=schedules.CosineDecay(0.1, 100))
    again = optimizers.SGD.from_config(scheduled.get_config())
    assert again.learning_rate == pytest.approx(0.1)
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        optimizers.get("adamm")


def test_defaults_are_keras_defaults():
    assert optimizers.RMSprop().get_config()["rho"] == 0.9
    assert optimizers.RMSprop().learning_rate == pytest.approx(1e-3)
    assert optimizers.SGD().learning_rate == pytest.approx(0.01)
    assert optimizers.AdamW().weight_decay == 0.004
    assert optimizers.Adam().epsilon == 1e-7


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)


def test_missing_gradients_are_skipped_with_a_warning():
    optimizer = optimizers.SGD(learning_rate=1.0)
    a, b = keras.Variable(np.ones(2, "f")), keras.Variable(np.ones(2, "f"), name="b")
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizer.apply([np.ones(2, "float32"), None], [a, b])
    np.testing.assert_allclose(a.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(b.numpy(), [1.0, 1.0])


def test_updates_keep_float32_and_work_in_place():
    variable = keras.Variable(np.ones((3,), "float32"))
    before = variable.data
    optimizers.Nadam().apply([np.ones(3, "float32")], [variable])
    assert variable.data is before and variable.data.dtype == np.float32


def test_a_subclass_update_step_sees_each_variable_whole():
    # kerlite's own optimizers update small variables together as one flat array; an
    # update_step written by a user (here: scaled by the variable's own norm) must
    # still receive the model's variables themselves, one at a time.
    class NormScaledSGD(optimizers.SGD):
        seen = []

        def update_step(self, gradient, variable, learning_rate):
            self.seen.append(variable)
            norm = np.sqrt((variable.data ** 2).sum())
            variable.data -= learning_rate * norm * gradient

    weights = [keras.Variable(np.full((2, 2), 2.0, "f")), keras.Variable(np.ones(3, "f"))]
    NormScaledSGD(learning_rate=0.1).apply(
        [np.ones((2, 2), "f"), np.ones(3, "f")], weights)
    assert NormScaledSGD.seen == weights
    np.testing.assert_allclose(weights[0].numpy(), 2.0 - 0.1 * 4.0, rtol=1e-6)
    np.testing.assert_allclose(weights[1].numpy(), 1.0 - 0.1 * np.sqrt(3), rtol=1e-6)


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta",
                                  "Adamax", "Nadam", "Lion", "Ftrl", "Lamb", "Adafactor"])
def test_a_lone_scalar_variable_updates_like_a_one_element_vector(name):
    # A custom layer may own a single scalar weight (add_weight(shape=())): NumPy turns
    # arithmetic on 0-d arrays into scalars, which must not break the in-place update.
    scalar, vector = keras.Variable(np.array(2.0, "f")), keras.Variable(np.array([2.0], "f"))
    for variable, grad in ((scalar, np.array(0.5, "f")), (vector, np.array([0.5], "f"))):
        optimizer = getattr(optimizers, name)()
        for _ in range(2):
            optimizer.apply([grad], [variable])
    assert scalar.data.shape == ()
    np.testing.assert_allclose(scalar.numpy(), vector.numpy()[0], rtol=1e-6)
    assert scalar.numpy() != 2.0
