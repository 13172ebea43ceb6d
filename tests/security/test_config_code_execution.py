"""Attacks that try to run code or call library functions from a model config (issue 14,
items 1 and 2). Each test writes its own hostile ``.keras`` file or JSON and checks that
loading refuses it, with a ValueError/TypeError that names the problem, and that the
marker file the payload would create never appears.

Keras 3.15, for comparison: its op nodes resolve only through its exported API names
(``api_export.get_symbol_from_name``), and ``NON_MODELING_APIS`` refuses load_model,
save_model, model_from_json...; but it does deserialize control-flow ops such as
``keras.src.ops.core.WhileLoop`` classes when a file names them. kerlite has one explicit
registry of pure tensor ops (kerlite.ops.saveable_ops) and refuses control flow outright.
"""

import json

import pytest

import kerlite as keras
from _config_attacks import (functional, input_layer, keras_op_layer, kerlite_op_layer,
                             tensor_ref, write_keras_file)


def _marker_code(marker):
    return f"open({str(marker)!r}, 'w').write('pwned')"


@pytest.mark.parametrize("dotted_name", [
    "indexing.builtins.exec",  # kerlite.ops.indexing imports builtins: reached exec()
    "core.backend.os.system",
    "saveable_ops.numpy.save",
    "__class__",
])
def test_op_name_cannot_walk_to_other_modules(tmp_path, dotted_name):
    marker = tmp_path / "marker"
    layers = [input_layer(),
              kerlite_op_layer("evil", dotted_name, [_marker_code(marker)])]
    path = write_keras_file(tmp_path / "evil.keras", functional(layers, ("evil", 0, 0)))
    with pytest.raises(ValueError, match="is not one a saved model may use"):
        keras.saving.load_model(path)
    assert not marker.exists()


def test_model_from_json_walk_is_refused_too(tmp_path):
    marker = tmp_path / "marker"
    layers = [input_layer(), kerlite_op_layer("evil", "indexing.builtins.exec",
                                              [_marker_code(marker)])]
    with pytest.raises(ValueError, match="indexing.builtins.exec"):
        keras.models.model_from_json(json.dumps(functional(layers, ("evil", 0, 0))))
    assert not marker.exists()


@pytest.mark.parametrize("module, class_name", [
    ("keras.src.ops.core", "WhileLoop"),
    ("keras.src.ops.core", "ForiLoop"),
    ("keras.src.ops.core", "Scan"),
    ("keras.src.ops.core", "Map"),
    ("keras.src.ops.core", "Switch"),
    ("keras.src.ops.core", "Cond"),
    ("keras.src.ops.core", "VectorizedMap"),
    ("keras.src.ops.core", "ConvertToNumpy"),
    ("keras.src.ops.numpy", "Builtins"),
])
def test_keras_op_nodes_outside_the_registry_are_refused(tmp_path, module, class_name):
    layers = [input_layer(),
              keras_op_layer("node", class_name, [tensor_ref("input_layer")], module=module)]
    path = write_keras_file(tmp_path / "ops.keras", functional(layers, ("node", 0, 0)))
    with pytest.raises(ValueError, match="kerlite does not load from files"):
        keras.saving.load_model(path)


@pytest.mark.parametrize("function_name, module", [
    ("load_model", "keras.models"), ("save_model", "keras.saving"),
    ("model_from_json", "keras.models"), ("load_weights", "keras.saving"),
    ("get_file", "keras.utils"), ("enable_unsafe_deserialization", "keras.config"),
])
def test_io_functions_are_never_deserialized(function_name, module):
    reference = {"module": module, "class_name": "function", "config": function_name,
                 "registered_name": function_name}
    with pytest.raises(ValueError, match="not a modeling function"):
        keras.saving.deserialize_keras_object(reference)


def test_function_argument_of_an_op_node_cannot_be_load_model(tmp_path):
    """The attack of issue 14 item 2: ``Map(load_model, [path...])`` through an op node;
    a nested load of another file with safe mode off, and overwriting it."""
    marker = tmp_path / "marker"
    load = {"module": "keras.models", "class_name": "function", "config": "load_model",
            "registered_name": "load_model"}
    for class_name in ("Map", "Add"):
        layers = [input_layer(), keras_op_layer(
            "node", class_name, [load, [str(marker)]], module="keras.src.ops.core")]
        path = write_keras_file(tmp_path / "f.keras", functional(layers, ("node", 0, 0)))
        with pytest.raises(ValueError):
            keras.saving.load_model(path)
    assert not marker.exists()


def test_unregistered_functions_come_back_unresolved_not_imported():
    """``{"class_name": "function", "module": "os", "config": "system"}``: the module of a
    file is never imported; only registered or built-in modeling functions resolve."""
    for module, name in (("os", "system"), ("builtins", "eval"), ("subprocess", "run"),
                         ("kerlite.saving", "load_model")):
        with pytest.raises((TypeError, ValueError)):
            keras.saving.deserialize_keras_object(
                {"module": module, "class_name": "function", "config": name,
                 "registered_name": name})


def test_a_class_from_an_unlisted_package_is_not_imported():
    """Keras-style ``module`` names are never imported: callbacks (which write files) and
    other packages are not reachable as classes of a config."""
    for module, class_name in (("keras.callbacks", "ModelCheckpoint"),
                               ("keras.callbacks", "CSVLogger"), ("os", "system")):
        with pytest.raises(TypeError, match="Could not locate class"):
            keras.saving.deserialize_keras_object(
                {"module": module, "class_name": class_name,
                 "config": {"filepath": "/tmp/x"}, "registered_name": None})


def test_registry_holds_only_kerlite_tensor_functions():
    from kerlite.ops.saveable_ops import SAVEABLE_OP_NAMES, saveable_op

    for name in SAVEABLE_OP_NAMES:
        function = saveable_op(name)
        assert callable(function) and function.__module__.startswith("kerlite.ops"), name
    for forbidden in ("cond", "scan", "map", "switch", "while_loop", "fori_loop",
                      "vectorized_map", "custom_gradient", "associative_scan",
                      "convert_to_numpy", "vectorize", "indexing.builtins.exec"):
        assert saveable_op(forbidden) is None


def test_saving_a_model_with_an_unsaveable_op_fails_at_save(tmp_path):
    inputs = keras.Input((3,))
    outputs = keras.ops.kron(inputs, inputs)
    model = keras.Model(inputs, outputs)
    with pytest.raises(ValueError, match="'kron' is not one a saved model may use"):
        model.save(tmp_path / "kron.keras")
    assert not (tmp_path / "kron.keras").exists()


def test_ops_saved_by_kerlite_still_load(tmp_path):
    """Files kerlite wrote before the registry (op names like "add", "image.resize",
    "get_item") load as before."""
    import numpy as np

    inputs = keras.Input((4, 4, 1))
    x = keras.ops.image.resize(inputs * 2.0 + 1.0, (8, 8))
    x = keras.ops.matmul(keras.ops.reshape(x[:, :, :, 0], (-1, 8, 8)),
                         keras.ops.ones_like(x[:, :, :, 0]))
    model = keras.Model(inputs, keras.ops.sum(x, axis=1))
    path = tmp_path / "ops.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    data = np.random.default_rng(0).normal(size=(2, 4, 4, 1)).astype("float32")
    np.testing.assert_allclose(loaded.predict(data, verbose=0),
                               model.predict(data, verbose=0), rtol=1e-6)
