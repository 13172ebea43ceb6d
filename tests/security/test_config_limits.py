"""Limits on what a config may ask for (issue 14, items 2 and 5): allocations chosen by
a few bytes of JSON, deep nesting, stored arrays with hostile dtypes, configs that are
not models, and functional configs whose tensor references point nowhere.

The allocation attacks run in a child process with a 3 GiB address-space limit and a
timeout (see _config_attacks.run_load_in_subprocess): without the limits they would
try to allocate 40 GB or more, and fail the test as "killed" instead of hanging.

Keras 3.15, for comparison: it allocates what the file asks (``ops.ones`` of any shape,
a Dense layer of any size, ``__numpy__`` with any NumPy dtype string, including
sub-array dtypes) and lets deep JSON raise a bare RecursionError; ``load_model`` returns
whatever the config decodes to. kerlite refuses each with a ValueError naming the limit.
"""

import json

import pytest

import kerlite as keras
from kerlite import safe_loading
from _config_attacks import (functional, input_layer, keras_op_layer, kerlite_op_layer,
                             run_load_in_subprocess, tensor_ref, write_keras_file)

HUGE = 200_000  # 200_000 x 200_000 float32 = 160 GB


def _dense(name, units, source="input_layer"):
    return {"module": "keras.layers", "class_name": "Dense", "name": name,
            "registered_name": None,
            "config": {"name": name, "units": units, "activation": "linear"},
            "inbound_nodes": [{"args": [tensor_ref(source)], "kwargs": {}}]}


ALLOCATION_ATTACKS = {
    "ones": lambda: [input_layer(), kerlite_op_layer("big", "ones", [[HUGE, HUGE]])],
    "zeros_dtype": lambda: [input_layer(), kerlite_op_layer(
        "big", "zeros", [[HUGE, HUGE]], {"dtype": "float64"})],
    "eye": lambda: [input_layer(), kerlite_op_layer("big", "eye", [HUGE])],
    "arange": lambda: [input_layer(), kerlite_op_layer("big", "arange", [10**12])],
    "tile": lambda: [input_layer(), kerlite_op_layer(
        "big", "tile", [{"__slot__": 0}, [HUGE, HUGE]])],
    "repeat": lambda: [input_layer(), kerlite_op_layer(
        "big", "repeat", [{"__slot__": 0}, 10**11])],
    "broadcast_to": lambda: [input_layer(), kerlite_op_layer(
        "big", "broadcast_to", [{"__slot__": 0}, [HUGE, HUGE, 4]])],
    "pad": lambda: [input_layer(), kerlite_op_layer(
        "big", "pad", [{"__slot__": 0}, [[0, HUGE], [0, HUGE]]])],
    "one_hot": lambda: [input_layer(), kerlite_op_layer(
        "big", "one_hot", [{"__slot__": 0}, 10**11])],
    "keras_tile_node": lambda: [input_layer(), keras_op_layer(
        "big", "Tile", [tensor_ref("input_layer"), [HUGE, HUGE]])],
    "keras_broadcast_node": lambda: [input_layer(), keras_op_layer(
        "big", "BroadcastTo", [tensor_ref("input_layer")], {"shape": [HUGE, HUGE]})],
    "huge_input": lambda: [input_layer(shape=(HUGE, HUGE)), kerlite_op_layer(
        "big", "add", [{"__slot__": 0}, 1.0])],
    "huge_weight": lambda: [input_layer(shape=(HUGE,)), _dense("big", HUGE)],
}


@pytest.mark.parametrize("attack", sorted(ALLOCATION_ATTACKS))
def test_allocations_chosen_by_the_file_are_bounded(tmp_path, attack):
    layers = ALLOCATION_ATTACKS[attack]()
    output = ("big", 0, 0)
    path = write_keras_file(tmp_path / f"{attack}.keras", functional(layers, output))
    outcome, message = run_load_in_subprocess(path)
    assert outcome == "ValueError", (outcome, message)
    assert "max_array_bytes" in message and "set_load_limits" in message, message


@pytest.mark.parametrize("loader", ["model_from_json", "from_config"])
def test_json_and_from_config_are_bounded_too(tmp_path, loader):
    layers = ALLOCATION_ATTACKS["tile"]()
    path = tmp_path / "tile.json"
    path.write_text(json.dumps(functional(layers, ("big", 0, 0))))
    outcome, message = run_load_in_subprocess(path, loader=loader)
    assert outcome == "ValueError" and "max_array_bytes" in message, (outcome, message)


def _two_input_layers(size):
    return [input_layer("a", shape=(size, size)), input_layer("b", shape=(size, size))]


TIME_ATTACKS = {  # each needs about 10**12 multiply-adds: many minutes of NumPy
    "matmul": lambda: _two_input_layers(8192) + [keras_op_layer(
        "slow", "Matmul", [tensor_ref("a", shape=(None, 8192, 8192)),
                           tensor_ref("b", shape=(None, 8192, 8192))])],
    "einsum": lambda: _two_input_layers(8192) + [keras_op_layer(
        "slow", "Einsum", [tensor_ref("a", shape=(None, 8192, 8192)),
                           tensor_ref("b", shape=(None, 8192, 8192))],
        {"subscripts": "bij,bjk->bik"})],
}


@pytest.mark.parametrize("attack", sorted(TIME_ATTACKS))
def test_costly_products_chosen_by_the_file_are_bounded(tmp_path, attack):
    config = functional(TIME_ATTACKS[attack](), ("slow", 0, 0), inputs=("a", 0, 0))
    config["config"]["input_layers"] = [["a", 0, 0], ["b", 0, 0]]
    path = write_keras_file(tmp_path / f"{attack}.keras", config)
    outcome, message = run_load_in_subprocess(path)
    assert outcome == "ValueError", (outcome, message)
    assert "max_operation_flops" in message and "set_load_limits" in message, message


def test_a_trusted_large_file_loads_after_raising_the_limit(tmp_path):
    layers = [input_layer(), kerlite_op_layer("big", "ones", [[300, 1000]])]
    path = write_keras_file(tmp_path / "large.keras", functional(layers, ("big", 0, 0)))
    saved = safe_loading.get_load_limits()
    try:
        keras.config.set_load_limits(max_array_bytes=2**20)
        with pytest.raises(ValueError, match="max_array_bytes=1048576"):
            keras.saving.load_model(path)
        keras.config.set_load_limits(max_array_bytes=2**21)
        assert keras.saving.load_model(path).outputs[0].shape == (300, 1000)
    finally:
        keras.config.set_load_limits(**saved)


@pytest.mark.parametrize("dtype", ["(200000,200000)f8", "O", "V16",
                                   "[('a', '<i4'), ('b', '<f8')]", "U1000000000"])
def test_stored_numpy_values_refuse_hostile_dtypes(dtype):
    value = {"class_name": "__numpy__", "config": {"value": [1, 2], "dtype": dtype}}
    with pytest.raises(ValueError, match="dtype|max_array_bytes"):
        keras.saving.deserialize_keras_object(value)


def test_stored_numpy_values_still_load():
    value = {"class_name": "__numpy__", "config": {"value": [[1, 2]], "dtype": "int16"}}
    array = keras.saving.deserialize_keras_object(value)
    assert array.dtype == "int16" and array.tolist() == [[1, 2]]


def test_subarray_dtype_in_a_file_is_refused_under_a_memory_limit(tmp_path):
    rescaling = {"module": "keras.layers", "class_name": "Rescaling", "name": "scale",
                 "registered_name": None,
                 "config": {"name": "scale", "offset": 0.0, "scale": {
                     "class_name": "__numpy__",
                     "config": {"value": [1.0], "dtype": "(20000,20000)f4"}}},
                 "inbound_nodes": [{"args": [tensor_ref("input_layer")], "kwargs": {}}]}
    path = write_keras_file(tmp_path / "dtype.keras",
                            functional([input_layer(), rescaling], ("scale", 0, 0)))
    outcome, message = run_load_in_subprocess(path)
    assert outcome == "ValueError" and "sub-array" in message, (outcome, message)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deep_json_gives_a_clear_error_not_recursion_error(tmp_path, depth):
    text = "[" * depth + "]" * depth
    with pytest.raises(ValueError, match="max_json_depth"):
        keras.models.model_from_json(text)
    body = '{"class_name": "Functional", "config": {"layers": ' + text + "}}"
    path = write_keras_file(tmp_path / "deep.keras", None, raw_config_text=body)
    with pytest.raises(ValueError, match="max_json_depth"):
        keras.saving.load_model(path)


@pytest.mark.parametrize("config", [
    {"module": "keras.activations", "class_name": "function", "config": "relu",
     "registered_name": "relu"},
    [1, 2, 3],
    42,
    "Sequential",
    {"module": "keras.layers", "class_name": "Dense", "config": {"units": 2},
     "registered_name": None},
])
def test_load_model_returns_a_model_or_raises(tmp_path, config):
    path = write_keras_file(tmp_path / "not_a_model.keras", config)
    with pytest.raises(ValueError, match="not (describe )?a model"):
        keras.saving.load_model(path)
    with pytest.raises(ValueError, match="not (describe )?a model"):
        keras.models.model_from_json(json.dumps(config))


@pytest.mark.parametrize("history, expected", [
    (["input_layer", -1, 0], "node -1 of layer 'input_layer'"),
    (["input_layer", 7, 0], "node 7 of layer 'input_layer'"),
    (["input_layer", 0, -1], "output -1 of layer 'input_layer'"),
    (["input_layer", 0, 5], "output 5 of layer 'input_layer'"),
    (["ghost", 0, 0], "unknown layer 'ghost'"),
    (["input_layer", "0", 0], "expected \\[layer name, node index, tensor index\\]"),
])
def test_functional_configs_with_bad_references_are_refused(history, expected):
    dense = _dense("dense", 2)
    dense["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = history
    config = functional([input_layer(), dense], ("dense", 0, 0))
    with pytest.raises(ValueError, match=expected) as error:
        keras.models.model_from_json(json.dumps(config))
    assert "node 0 of layer 'dense'" in str(error.value)


def test_functional_outputs_with_bad_references_are_refused():
    config = functional([input_layer(), _dense("dense", 2)], ("dense", 3, 0))
    with pytest.raises(ValueError, match="output_layers refers to node 3 of layer 'dense'"):
        keras.models.model_from_json(json.dumps(config))
