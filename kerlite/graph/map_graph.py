"""map_graph: from a model's inputs and outputs, the nodes to run, in order.

The walk starts at the outputs and follows each tensor's ``_keras_history`` back to the
node that made it, stopping at the model's inputs (an iterative depth-first walk, so deep
models never hit Python's recursion limit). It checks that every tensor can be computed
from the inputs ("Graph disconnected" otherwise), that there is no cycle, and that layer
names are unique. Depths follow Keras: outputs' nodes have depth 0, a parent is deeper
than all its children; layers are listed deepest first (inputs first).
"""

from kerlite.graph.keras_tensor import KerasTensor


def _producer(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _check_tensors(tensors, role):
    for tensor in tensors:
        if not isinstance(tensor, KerasTensor):
            raise ValueError(
                f"All model {role} must be KerasTensors (made by keras.Input or by "
                f"calling a layer on one). Received: {tensor!r} of type "
                f"{type(tensor).__name__}"
            )
        if tensor._keras_history is None:
            raise ValueError(
                f"Model {role[:-1]} {tensor!r} was not made by keras.Input or by a "
                "layer, so the model cannot find where it comes from."
            )


def _disconnected(tensor, user, inputs):
    layer = tensor._keras_history.operation
    needed_by = f'layer "{user.name}"' if user is not None else "the model outputs"
    known = ", ".join(f'"{t._keras_history.operation.name}"' for t in inputs)
    return ValueError(
        f"Graph disconnected: cannot find parent for tensor {tensor!r} at layer "
        f'"{layer.name}", needed by {needed_by}. That tensor comes from an Input '
        f"that is not among the model's inputs (layers {known}). Pass every Input the "
        "outputs depend on in `inputs=`, e.g. keras.Model(inputs=[a, b], outputs=...)."
    )


def _walk(inputs, outputs):
    """Nodes in post-order (parents first) and layers in first-seen order."""
    input_ids = {id(t) for t in inputs}
    ordered_nodes, layer_order = [], {}
    finished, on_stack = set(), set()

    def reach_input(tensor):  # an Input's node joins the graph; the walk stops there
        node = _producer(tensor)
        layer_order.setdefault(node.layer, len(layer_order))
        if node.is_input and id(node) not in finished:
            finished.add(id(node))
            ordered_nodes.append(node)

    for output in outputs:
        if id(output) in input_ids:
            reach_input(output)
            continue
        if _producer(output).is_input:
            raise _disconnected(output, None, inputs)
        stack = [(_producer(output), None)]
        while stack:
            node, pending = stack[-1]
            if pending is None:  # first visit
                if id(node) in finished:
                    stack.pop()
                    continue
                on_stack.add(id(node))
                layer_order.setdefault(node.layer, len(layer_order))
                pending = iter(node.input_tensors)
                stack[-1] = (node, pending)
            for tensor in pending:
                if id(tensor) in input_ids:
                    reach_input(tensor)
                    continue
                parent = _producer(tensor)
                if id(parent) in on_stack:
                    raise ValueError(
                        f'The graph has a cycle through layer "{parent.layer.name}": '
                        "a layer's output is used to compute its own input."
                    )
                if id(parent) in finished:
                    continue
                if parent.is_input:
                    raise _disconnected(tensor, node.layer, inputs)
                stack.append((parent, None))
                break
            else:
                stack.pop()
                on_stack.discard(id(node))
                finished.add(id(node))
                ordered_nodes.append(node)
    return ordered_nodes, layer_order


def _depths(ordered_nodes):
    """Keras's depth rule: walk children before parents, a parent sits below them all."""
    node_depth, layer_depth = {}, {}
    for node in reversed(ordered_nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    return node_depth, layer_depth


def map_graph(inputs, outputs):
    """Order the graph between ``inputs`` and ``outputs`` (flat lists of KerasTensors).

    Returns ``(nodes, nodes_by_depth, layers, layers_by_depth)``: ``nodes`` in the order
    to run them (every node after its parents), the input layers' nodes included.
    """
    _check_tensors(inputs, "inputs")
    _check_tensors(outputs, "outputs")
    ordered_nodes, layer_order = _walk(inputs, outputs)
    for tensor in inputs:  # an Input no output depends on still belongs to the model
        node = _producer(tensor)
        if node.is_input and node not in ordered_nodes:
            ordered_nodes.insert(0, node)
            layer_order.setdefault(node.layer, -1)  # first among its depth, as in Keras
    node_depth, layer_depth = _depths(ordered_nodes)

    nodes_by_depth, layers_by_depth = {}, {}
    for node in ordered_nodes:
        nodes_by_depth.setdefault(node_depth[id(node)], []).append(node)
    for layer, depth in layer_depth.items():
        layers_by_depth.setdefault(depth, []).append(layer)
    layers = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers_by_depth[depth].sort(key=lambda layer: layer_order[layer])
        layers.extend(layers_by_depth[depth])

    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(
                f'The name "{name}" is used {names.count(name)} times in the model. '
                "All layer names should be unique: give each layer its own `name=` "
                "(or leave `name` out and kerlite picks unique names)."
            )
    return ordered_nodes, nodes_by_depth, layers, layers_by_depth
