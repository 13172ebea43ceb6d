"""``get_source_inputs``: the ``keras.Input`` tensors a symbolic tensor was computed from."""

from kerlite.graph.keras_tensor import KerasTensor


def get_source_inputs(tensor):
    """The Input KerasTensors that ``tensor`` depends on, in the order first reached.

    Walks the graph backwards from ``tensor`` through each layer call that made it.
    """
    if not isinstance(tensor, KerasTensor) or tensor._keras_history is None:
        raise ValueError(
            "get_source_inputs expects a symbolic tensor made by keras.Input or by "
            f"calling layers on one. Received: {tensor!r}")
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        layer, node_index, _ = current._keras_history
        node = layer._inbound_nodes[node_index]
        if node.is_input:
            if id(current) not in seen:
                seen.add(id(current))
                found.append(current)
            continue
        for parent in reversed(node.input_tensors):
            if parent._keras_history is not None:
                stack.append(parent)
    return found
