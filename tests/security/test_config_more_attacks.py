"""More hostile configs beyond issue 14's list: stored code hidden in an argument,
operation templates that point outside their inputs, Keras op nodes with arguments the
op does not take, and registry names that try to reach attributes of a function.

Keras 3.15, for comparison: a ``__lambda__`` anywhere is refused in safe mode (same
here); its op nodes pass their config to the Operation's constructor, which rejects
unknown arguments with a TypeError.
"""

import base64
import marshal

import pytest

import kerlite as keras
from _config_attacks import (functional, input_layer, keras_op_layer, kerlite_op_layer,
                             tensor_ref, write_keras_file)


def _stored_lambda(marker):
    code = compile(f"lambda x: open({str(marker)!r}, 'w').close() or x", "<file>", "eval")
    function = eval(code)  # noqa: S307 (the test's own payload, never run)
    return {"class_name": "__lambda__",
            "config": {"code": base64.b64encode(marshal.dumps(function.__code__)).decode(),
                       "defaults": None, "closure": None}}


def test_stored_code_in_an_activation_is_refused(tmp_path):
    marker = tmp_path / "marker"
    dense = {"module": "keras.layers", "class_name": "Dense", "name": "dense",
             "registered_name": None,
             "config": {"name": "dense", "units": 2, "activation": _stored_lambda(marker)},
             "inbound_nodes": [{"args": [tensor_ref("input_layer")], "kwargs": {}}]}
    path = write_keras_file(tmp_path / "act.keras",
                            functional([input_layer(), dense], ("dense", 0, 0)))
    with pytest.raises(ValueError, match="lambda"):
        keras.saving.load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize("slot", [3, -1, "0"])
def test_operation_template_slots_must_point_at_inputs(tmp_path, slot):
    layers = [input_layer(), kerlite_op_layer("op", "add", [{"__slot__": slot}, 1.0])]
    path = write_keras_file(tmp_path / "slot.keras", functional(layers, ("op", 0, 0)))
    with pytest.raises(ValueError, match="tensor input"):
        keras.saving.load_model(path)


def test_keras_op_node_with_unknown_arguments_is_refused(tmp_path):
    layers = [input_layer(), keras_op_layer(
        "op", "Sum", [tensor_ref("input_layer")], {"axis": 1, "callback": "os.system"})]
    path = write_keras_file(tmp_path / "sum.keras", functional(layers, ("op", 0, 0)))
    with pytest.raises(ValueError, match=r"arguments \['callback'\]"):
        keras.saving.load_model(path)


@pytest.mark.parametrize("name", ["add.__globals__", "add.__call__", "image.resize.__wrapped__",
                                  "image", "saveable_ops", "ADD"])
def test_registry_names_are_exact(tmp_path, name):
    layers = [input_layer(), kerlite_op_layer("op", name, [{"__slot__": 0}, 1.0])]
    path = write_keras_file(tmp_path / "name.keras", functional(layers, ("op", 0, 0)))
    with pytest.raises(ValueError, match="is not one a saved model may use"):
        keras.saving.load_model(path)
