"""A user's optimizer written the way Keras 3 documents it runs unchanged.

Keras's own optimizers, and its docs, subclass ``keras.optimizers.Optimizer``: ``build``
calls ``super().build(variables)`` and makes state with ``add_variable_from_reference``
and ``add_variable``; ``update_step`` finds a weight's state with
``self._get_variable_index(variable)`` and writes with ``self.assign`` /
``self.assign_add``. The state's paths follow Keras (``{optimizer}/{layer}_{weight}_{name}``).
"""

import numpy as np
import pytest

import kerlite as keras
from _keras_reference import import_keras


def momentum_sgd_class(library):
    """SGD with momentum, written as a Keras user writes it, against ``library``."""
    ops = library.ops

    class MomentumSGD(library.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, momentum=0.9, name="momentum_sgd", **kwargs):
            super().__init__(learning_rate=learning_rate, name=name, **kwargs)
            self.momentum = momentum

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self.momentums = [
                self.add_variable_from_reference(reference_variable=variable, name="momentum")
                for variable in variables]
            self.steps_seen = self.add_variable(shape=(), initializer="zeros",
                                                dtype="float32", name="steps_seen")

        def update_step(self, gradient, variable, learning_rate):
            learning_rate = ops.cast(learning_rate, variable.dtype)
            gradient = ops.cast(gradient, variable.dtype)
            m = self.momentums[self._get_variable_index(variable)]
            self.assign(m, ops.subtract(ops.multiply(m, self.momentum),
                                        ops.multiply(gradient, learning_rate)))
            self.assign_add(variable, m)
            self.assign_add(self.steps_seen, 1.0)

        def get_config(self):
            config = super().get_config()
            config["momentum"] = self.momentum
            return config

    return MomentumSGD


def _data():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(32, 4)).astype("float32"),
            rng.normal(size=(32, 1)).astype("float32"))


def _train(library, epochs=3):
    x, y = _data()
    inputs = library.Input((4,))
    outputs = library.layers.Dense(1, kernel_initializer="ones", name="d")(inputs)
    model = library.Model(inputs, outputs)
    optimizer = momentum_sgd_class(library)(learning_rate=0.01, momentum=0.9)
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0)
    return model, optimizer, history.history["loss"]


def test_a_keras_style_optimizer_follows_its_formula():
    """m = momentum * m - lr * g;  w = w + m, checked against NumPy on the same batches."""
    x, y = _data()
    model, optimizer, _ = _train(keras, epochs=1)
    w, b = np.ones((4, 1), "float32"), np.zeros(1, "float32")
    mw, mb = np.zeros_like(w), np.zeros_like(b)
    for start in range(0, 32, 8):
        xb, yb = x[start:start + 8], y[start:start + 8]
        error = xb @ w + b - yb
        gw, gb = 2 * xb.T @ error / error.size, 2 * error.sum(axis=0) / error.size
        mw, mb = 0.9 * mw - 0.01 * gw, 0.9 * mb - 0.01 * gb
        w, b = w + mw, b + mb
    np.testing.assert_allclose(model.get_layer("d").kernel.numpy(), w, rtol=1e-5)
    np.testing.assert_allclose(model.get_layer("d").bias.numpy(), b, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(optimizer.momentums[0].numpy(), mw, rtol=1e-5)
    assert float(optimizer.steps_seen.numpy()) == 4 * 2  # two weights, four batches
    assert int(optimizer.iterations.numpy()) == 4


def test_a_keras_style_optimizer_matches_keras():
    real_keras = import_keras()
    model, optimizer, losses = _train(keras)
    their_model, theirs, their_losses = _train(real_keras)
    np.testing.assert_allclose(losses, their_losses, rtol=1e-5)
    for mine, their in zip(model.get_weights(), their_model.get_weights()):
        np.testing.assert_allclose(mine, their, rtol=1e-5, atol=1e-6)
    assert [v.path for v in optimizer.variables] == [v.path for v in theirs.variables] == [
        "momentum_sgd/iteration", "momentum_sgd/learning_rate",
        "momentum_sgd/d_kernel_momentum", "momentum_sgd/d_bias_momentum",
        "momentum_sgd/steps_seen"]


def test_add_variable_takes_keras_initializers_and_dtypes():
    optimizer = keras.optimizers.SGD(name="opt")
    ones = optimizer.add_variable((2, 3), initializer="ones", name="ones")
    constant = optimizer.add_variable((2,), keras.initializers.Constant(0.5), dtype="float64",
                                      name="half")
    unnamed = optimizer.add_variable((1,))
    np.testing.assert_array_equal(ones.numpy(), np.ones((2, 3)))
    assert ones.dtype == "float32" and not ones.trainable and ones.path == "opt/ones"
    np.testing.assert_array_equal(constant.numpy(), [0.5, 0.5])
    assert constant.dtype == "float64"
    assert unnamed.path == "opt/variable"
    assert optimizer.variables[-3:] == [ones, constant, unnamed]


def test_add_variable_from_reference_is_named_after_the_weight_path():
    layer = keras.layers.Dense(2, name="dense_7")
    layer.build((None, 3))
    optimizer = keras.optimizers.SGD(name="opt")
    slot = optimizer.add_variable_from_reference(layer.kernel)
    filled = optimizer.add_variable_from_reference(layer.bias, "fill", initializer="ones")
    assert slot.path == "opt/dense_7_kernel_var" and slot.shape == (3, 2)
    assert filled.path == "opt/dense_7_bias_fill"
    np.testing.assert_array_equal(filled.numpy(), [1.0, 1.0])


@pytest.mark.parametrize("name", ["Adam", "RMSprop", "Adafactor"])
def test_builtin_optimizer_state_paths_match_keras(name):
    real_keras = import_keras()
    paths = []
    for library in (keras, real_keras):
        inputs = library.Input((3,))
        model = library.Model(inputs, library.layers.Dense(2, name="head")(inputs))
        optimizer = getattr(library.optimizers, name)(name="opt")
        optimizer.build(model.trainable_variables)
        paths.append([v.path for v in optimizer.variables])
    assert paths[0] == paths[1]
