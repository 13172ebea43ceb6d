"""The rules that replaced switches on ``__module__`` names, each an explicit registry.

- ``kerlite.ops`` wraps every public callable of its namespace as an op: so that
  namespace must hold nothing else;
- the fused recurrent ops take kerlite's own activation functions (found by name in
  ``kerlite.activations`` and the same object), never a user's function of that name;
- a function is saved by its bare name when that name loads it back; kerlite's model
  classes are saved under Keras's names when ``kerlite.models`` exports them.
"""

import inspect

import numpy as np

import kerlite as keras
from kerlite import layers, ops
from kerlite.ops import saveable_ops
from kerlite.serialization import serialization_lib


def test_every_public_callable_of_ops_is_an_op_written_in_kerlite_ops():
    for name, value in vars(ops).items():
        if callable(value) and not name.startswith("_"):
            assert not inspect.isclass(value), name
            assert value.__module__.startswith("kerlite.ops"), (name, value.__module__)


def test_saveable_op_registry_holds_only_kerlite_ops():
    for name in saveable_ops.SAVEABLE_OP_NAMES:
        function = saveable_ops.saveable_op(name)
        assert function is not None, name
        assert function.__module__.startswith("kerlite.ops"), name
    assert saveable_ops.saveable_op("__import__") is None
    assert saveable_ops.saveable_op("cond") is None


def test_recurrent_layers_fuse_only_kerlite_activations():
    def tanh(x):  # a user's function named like a built-in one
        return ops.tanh(x) * 2.0

    builtin = layers.SimpleRNN(2)
    builtin.build((1, 3, 2))
    assert builtin.cell._fused_activation_names() == ["tanh"]
    own = layers.SimpleRNN(2, activation=tanh)
    own.build((1, 3, 2))
    assert own.cell._fused_activation_names() is None
    x = np.ones((1, 3, 2), "float32")
    own.set_weights(builtin.get_weights())
    # the user's function really runs (twice the built-in's first step, at least)
    assert not np.allclose(own(x).numpy(), builtin(x).numpy())


def test_functions_are_saved_by_name_only_when_the_name_loads_them_back():
    assert serialization_lib.serialize_keras_object(keras.activations.relu) == "relu"
    assert serialization_lib.serialize_keras_object(
        keras.losses.mean_squared_error) == "mean_squared_error"

    def relu(x):
        return ops.relu(x)

    saved = serialization_lib.serialize_keras_object(relu)
    assert isinstance(saved, dict) and saved["class_name"] == "function"


def test_model_classes_are_saved_under_keras_names():
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, layers.Dense(2)(inputs))
    sequential = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    assert serialization_lib.serialize_keras_object(functional)["module"] == \
        "keras.src.models.functional"
    assert serialization_lib.serialize_keras_object(sequential)["module"] == "keras"

    class Functional(keras.Model):  # a user's class with kerlite's name is the user's
        pass

    assert serialization_lib._public_module(Functional) is None


def test_public_functions_of_the_modeling_packages_are_modeling_functions():
    """A file may name any public function of these packages: each must be one of
    kerlite's activations, losses, metrics, initializers... (no helper leaks in)."""
    import importlib

    from kerlite.serialization.name_resolution import _FUNCTION_PACKAGES

    modeling = tuple(_FUNCTION_PACKAGES.values())
    for package in modeling:
        for name, value in vars(importlib.import_module(package)).items():
            if inspect.isfunction(value) and not name.startswith("_"):
                assert value.__module__.startswith(modeling), (package, name)
