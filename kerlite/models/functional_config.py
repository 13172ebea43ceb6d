"""A Functional model <-> its config, in the format Keras 3 writes into ``.keras`` files.

The config lists every layer with its own config and its ``inbound_nodes``: for each call
inside this model, the arguments with each KerasTensor written as ``{"class_name":
"__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer name, node
index, tensor index]}}``. Loading creates the layers, then replays the calls in order.
Node indices count only the calls that belong to this model, from 0 (Keras 3.15 does the
same, nested models included). On loading, index i is the i-th call replayed here.
"""

from kerlite import safe_loading
from kerlite.common import nest
from kerlite.graph.keras_tensor import KerasTensor


def _own_node_indices(model):
    """{(id(layer), original node index): index among this model's nodes of it}."""
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
    from kerlite.serialization.serialization_lib import serialize_keras_object

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


def _check_layer_list(config):
    """The ``layers`` list of a functional config, checked: dicts with unique names."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError("Invalid Functional model configuration: 'layers' must be a list.")
    names = set()
    for index, layer_data in enumerate(config["layers"]):
        name = layer_data.get("name") if isinstance(layer_data, dict) else None
        if not isinstance(name, str):
            raise ValueError("Invalid Functional model configuration: layer entry "
                             f"{index} is not a layer config with a 'name'.")
        if name in names:
            raise ValueError("Invalid Functional model configuration: two layers are "
                             f"named {name!r}.")
        if not isinstance(layer_data.get("inbound_nodes", []), list):
            raise ValueError(f"Invalid Functional model configuration: the inbound_nodes "
                             f"of layer {name!r} must be a list.")
        names.add(name)
    return config["layers"]


def functional_from_config(cls, config, custom_objects=None):
    """Rebuild the model; a config is untrusted input, so outside a load this runs as a
    safe load does (Keras 3's Lambda, too, refuses stored code outside a load)."""
    if safe_loading.loading_in_progress():
        return _functional_from_config(cls, config, custom_objects)
    with safe_loading.safe_mode_scope(True):
        return _functional_from_config(cls, config, custom_objects)


def _functional_from_config(cls, config, custom_objects):
    from kerlite.serialization.serialization_lib import deserialize_keras_object

    created, pending = {}, []
    first_replayed = {}  # layer name -> how many nodes the layer had before the replay
    declared = {}  # layer name -> how many nodes the config gives it
    layer_list = _check_layer_list(config)

    def tensor(name, node_index, tensor_index, where="the model's inputs/outputs"):
        if name not in created:
            raise ValueError(
                f"Invalid Functional model configuration: {where} refers to the unknown "
                f"layer {name!r}. Missing layer: {name}")
        if not 0 <= node_index < declared[name]:
            raise ValueError(
                f"Invalid Functional model configuration: {where} refers to node "
                f"{node_index} of layer {name!r}, which has {declared[name]} node(s).")
        layer = created[name]
        node_index += first_replayed[name]
        if node_index >= len(layer._inbound_nodes):
            raise _NotYet()
        outputs = layer._inbound_nodes[node_index].outputs
        if not 0 <= tensor_index < len(outputs):
            raise ValueError(
                f"Invalid Functional model configuration: {where} refers to output "
                f"{tensor_index} of layer {name!r} (node {node_index}), which has "
                f"{len(outputs)} output(s).")
        return outputs[tensor_index]

    def reference(history, where):
        if not _is_reference(history) or isinstance(history[1], bool) or not isinstance(
                history[2], int) or isinstance(history[2], bool):
            raise ValueError(
                f"Invalid Functional model configuration: {where} has the tensor "
                f"reference {history!r}; expected [layer name, node index, tensor index].")
        return tensor(*history, where=where)

    def read(value, where):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            inner = value.get("config")
            history = inner.get("keras_history") if isinstance(inner, dict) else None
            return reference(history, where)
        if isinstance(value, dict) and "class_name" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {key: read(item, where) for key, item in value.items()}
        if isinstance(value, list):
            return [read(item, where) for item in value]
        return value

    for layer_data in layer_list:
        layer = deserialize_keras_object(layer_data, custom_objects=custom_objects)
        name = layer_data["name"]
        created[name] = layer
        nodes = layer_data.get("inbound_nodes", [])
        # An InputLayer's node 0 exists already; other layers' nodes come from replay.
        first_replayed[name] = len(layer._inbound_nodes) if nodes else 0
        declared[name] = len(nodes) if nodes else len(layer._inbound_nodes)
        pending.extend((layer, name, index, node) for index, node in enumerate(nodes))

    while pending:  # replay the calls; a call waits until its inputs exist
        remaining = []
        for layer, name, index, node in pending:
            if remaining and remaining[-1][0] is layer:
                remaining.append((layer, name, index, node))  # keep one layer's calls in order
                continue
            where = f"node {index} of layer {name!r}"
            try:
                args, kwargs = _node_arguments(
                    node, lambda value, where=where: read(value, where), where)
            except _NotYet:
                remaining.append((layer, name, index, node))
                continue
            layer(*args, **kwargs)
        if len(remaining) == len(pending):
            raise ValueError(
                "Invalid Functional model configuration: the graph has loops or "
                f"disconnected nodes; these calls cannot be resolved: "
                f"{[(name, index) for _, name, index, _ in remaining]}")
        pending = remaining

    def tensors(structure, where):
        if _is_reference(structure):
            return reference(structure, where)
        if isinstance(structure, dict):
            return {key: tensors(item, where) for key, item in structure.items()}
        if isinstance(structure, list):
            return [tensors(item, where) for item in structure]
        raise ValueError(f"Invalid Functional model configuration: {where} must list "
                         f"tensor references. Received: {structure!r}")

    return cls(inputs=tensors(config.get("input_layers"), "input_layers"),
               outputs=tensors(config.get("output_layers"), "output_layers"),
               name=config.get("name"), trainable=config.get("trainable", True))


def _node_arguments(node, read, where):
    """The (args, kwargs) of one saved call, its tensor references resolved by ``read``."""
    if (isinstance(node, list) and node
            and all(isinstance(entry, list) and len(entry) >= 3 for entry in node)):
        # Keras 2 style: [[layer, node, tensor, kwargs], ...]
        inputs = [read({"class_name": "__keras_tensor__",
                        "config": {"keras_history": entry[:3]}}) for entry in node]
        kwargs = node[0][3] if len(node[0]) > 3 and isinstance(node[0][3], dict) else {}
        return [inputs[0] if len(inputs) == 1 else inputs], read(kwargs)
    if not isinstance(node, dict) or not isinstance(node.get("args", []), list) \
            or not isinstance(node.get("kwargs", {}), dict):
        raise ValueError(f"Invalid Functional model configuration: {where} is not "
                         "{'args': [...], 'kwargs': {...}}. Received: " + repr(node)[:200])
    return read(node.get("args", [])), read(node.get("kwargs", {}))
