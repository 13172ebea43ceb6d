"""Operation (kerlite/graph/operation.py) under Layer, the op layer's registration seam,
loss clearing without a global list of layers, and the automatic-config rule."""

import gc
import json
import weakref

import numpy as np
import pytest

import kerlite as keras
from kerlite.graph import symbolic_ops
from kerlite.graph.operation import Operation


def test_layers_and_ops_on_keras_tensors_are_operations():
    inputs = keras.Input((3,))
    dense = keras.layers.Dense(2)
    outputs = dense(inputs) + 1.0
    model = keras.Model(inputs, outputs)
    assert isinstance(dense, Operation)
    op = outputs._keras_history.operation
    assert isinstance(op, Operation) and type(op).__name__ == "Add"
    assert op in model._operations and op not in model.layers
    assert dense._inbound_nodes[0].outputs[0]._keras_history.operation is dense


def test_plain_operation_records_a_node():
    operation = Operation()
    assert operation.name.startswith("operation")
    x = keras.KerasTensor((None, 2))
    y = keras.KerasTensor((None, 2))
    assert operation._record_call((x,), {}, y) is y
    assert y._keras_history == (operation, 0, 0)
    assert len(operation._inbound_nodes) == 1


def test_symbolic_op_without_registered_handler_says_what_to_do(monkeypatch):
    monkeypatch.setattr(symbolic_ops, "_symbolic_op", None)
    with pytest.raises(RuntimeError, match="import kerlite"):
        keras.Input((3,)) + 1


def test_layer_holding_losses_is_freed_when_dropped():
    layer = keras.layers.Dense(2, activity_regularizer="l2")
    layer(np.ones((1, 3), "float32"))
    assert len(layer.losses) == 1
    dropped = weakref.ref(layer)
    del layer
    gc.collect()
    assert dropped() is None  # no global list keeps it alive


def test_top_level_call_forgets_losses_added_by_a_direct_call_of_a_sublayer():
    inner = keras.layers.Dense(2, activity_regularizer="l2")
    model = keras.Sequential([keras.Input((3,)), inner])
    x = np.ones((1, 3), "float32")
    inner(x)  # a call of the sublayer alone adds its loss
    inner.add_loss(5.0)  # and one added outside any call
    assert len(inner.losses) == 2
    model(x)
    assert len(model.losses) == 1  # only the loss of this call
    model(x)
    assert len(model.losses) == 1


def test_model_without_losses_keeps_none():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model(np.ones((1, 3), "float32"))
    assert model.losses == []


def test_saved_op_node_with_the_former_module_name_still_loads():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, inputs * 2.0)
    config = json.loads(model.to_json())
    op_configs = [c for c in config["config"]["layers"] if c["class_name"] == "Multiply"]
    assert op_configs[0]["registered_name"] == "kerlite>OperationLayer"
    op_configs[0]["module"] = "kerlite.graph.symbolic_ops"  # written before the move
    loaded = keras.models.model_from_json(json.dumps(config))
    np.testing.assert_allclose(loaded.predict(np.ones((1, 3)), verbose=0), [[2.0, 2.0, 2.0]])


def test_built_in_layers_marked_base_config_only_write_no_automatic_config():
    config = keras.layers.Add(name="sum", dtype="float64").get_config()
    assert config["dtype"]["config"]["name"] == "float64"  # the policy dict, as Keras
    assert set(config) == {"name", "trainable", "dtype"}


def test_user_subclass_of_a_marked_layer_gets_the_automatic_config():
    class ScaledAdd(keras.layers.Add):
        def __init__(self, scale=2.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

    assert ScaledAdd(scale=3.0).get_config()["scale"] == 3.0
