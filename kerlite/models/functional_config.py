"""A Functional model <-> its config, in the format Keras 3 writes into ``.keras`` files.

The config lists every layer with its own config and its ``inbound_nodes``: for each call
inside this model, the arguments with each KerasTensor written as ``{"class_name":
"__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer name, node
index, tensor index]}}``. Loading creates the layers, then replays the calls in order.
Node indices count only the calls that belong to this model, from 0 (Keras 3.15 does the
same, nested models included). On loading, index i is the i-th call replayed here.
"""

from kerlite.graph import nest
from kerlite.graph.keras_tensor import KerasTensor


def _own_node_indices(model):
    """{(id(layer), original node index): index among this model's nodes of it}."""
    from kerlite.models.functional import Functional

    own = {id(node) for node in model._nodes}
    mapping = {}
    for layer in model._operations:
        kept = 0
        for index, node in enumerate(layer._inbound_nodes):
            if id(node) in own:
                mapping[(id(layer), index)] = kept
                kept += 1
    return mapping


def _tensor_reference(tensor, mapping):
    layer, node_index, tensor_index = tensor._keras_history
    return [layer.name, mapping[(id(layer), node_index)], tensor_index]


def functional_config(model):
    from kerlite.saving.serialization_lib import serialize_keras_object

    mapping = _own_node_indices(model)
    own = {id(node) for node in model._nodes}

    def write(value):
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype,
                               "keras_history": _tensor_reference(value, mapping)}}
        return serialize_keras_object(value)

    layers = []
    for layer in model._operations:
        layer_config = serialize_keras_object(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = [
            {"args": nest.map_structure(write, list(node.call_args)),
             "kwargs": nest.map_structure(write, dict(node.call_kwargs))}
            for node in layer._inbound_nodes if id(node) in own and not node.is_input]
        layers.append(layer_config)

    def reference(tensor):
        return _tensor_reference(tensor, mapping)

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": nest.map_structure(reference, model._inputs_struct),
            "output_layers": nest.map_structure(reference, model._outputs_struct)}


class _NotYet(Exception):
    """A call whose input tensors do not exist yet (a layer shared deeper in the graph)."""


def _is_reference(value):
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], int))


def functional_from_config(cls, config, custom_objects=None):
    from kerlite.saving.serialization_lib import deserialize_keras_object

    created, pending = {}, []
    first_replayed = {}  # layer name -> how many nodes the layer had before the replay

    def tensor(name, node_index, tensor_index):
        if name not in created:
            raise ValueError(f"Invalid Functional model configuration. Missing layer: {name}")
        layer = created[name]
        node_index += first_replayed[name]
        if node_index >= len(layer._inbound_nodes):
            raise _NotYet()
        return layer._inbound_nodes[node_index].outputs[tensor_index]

    def read(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return tensor(*value["config"]["keras_history"])
        if isinstance(value, dict) and "class_name" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {key: read(item) for key, item in value.items()}
        if isinstance(value, list):
            return [read(item) for item in value]
        return value

    for layer_data in config["layers"]:
        layer = deserialize_keras_object(layer_data, custom_objects=custom_objects)
        created[layer_data["name"]] = layer
        # An InputLayer's node 0 exists already; other layers' nodes come from replay.
        replayed = bool(layer_data.get("inbound_nodes"))
        first_replayed[layer_data["name"]] = len(layer._inbound_nodes) if replayed else 0
        pending.extend((layer, node) for node in layer_data.get("inbound_nodes", []))

    while pending:  # replay the calls; a call waits until its inputs exist
        remaining = []
        for layer, node in pending:
            if remaining and remaining[-1][0] is layer:
                remaining.append((layer, node))  # keep one layer's calls in order
                continue
            try:
                args, kwargs = _node_arguments(node, read)
            except _NotYet:
                remaining.append((layer, node))
                continue
            layer(*args, **kwargs)
        if len(remaining) == len(pending):
            raise ValueError(
                "Invalid Functional model configuration: the graph has loops or "
                f"disconnected nodes; these calls cannot be resolved: "
                f"{[(layer.name, node) for layer, node in remaining]}")
        pending = remaining

    def tensors(structure):
        if _is_reference(structure):
            return tensor(*structure)
        if isinstance(structure, dict):
            return {key: tensors(item) for key, item in structure.items()}
        return [tensors(item) for item in structure]

    return cls(inputs=tensors(config["input_layers"]),
               outputs=tensors(config["output_layers"]),
               name=config.get("name"), trainable=config.get("trainable", True))


def _node_arguments(node, read):
    if isinstance(node, list):  # Keras 2 style: [[layer, node, tensor, kwargs], ...]
        inputs = [read({"class_name": "__keras_tensor__",
                        "config": {"keras_history": entry[:3]}}) for entry in node]
        kwargs = node[0][3] if node and len(node[0]) > 3 else {}
        return [inputs[0] if len(inputs) == 1 else inputs], kwargs
    return read(node.get("args", [])), read(node.get("kwargs", {}))
