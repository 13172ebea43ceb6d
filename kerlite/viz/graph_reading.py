"""Reading a model's layer graph: the one place the summary and the plot look at it.

A functional model keeps its layer calls as Nodes (``model._nodes``); each Node knows
its layer, its ``input_tensors`` and its ``outputs``; each tensor's ``_keras_history``
says which layer made it, in which call and at which output position. A Sequential
model keeps the same graph in ``model._functional``.
"""


def is_model(layer):
    """True for any model (functional, sequential or subclassed): it trains and has layers."""
    return callable(getattr(layer, "fit", None)) and hasattr(layer, "layers")


def is_sequential(model):
    """True for a Sequential model: a model that layers can be added to and popped from."""
    return (is_model(model) and callable(getattr(model, "add", None))
            and callable(getattr(model, "pop", None)))


def is_functional(model):
    """True for a functional model: a model that keeps its own graph of layer calls."""
    return is_model(model) and not is_sequential(model) and hasattr(model, "_nodes")


def type_name(layer):
    """The class name shown in brackets (``Dense``, ``Functional``, ``Sequential``)."""
    return type(layer).__name__


def model_nodes(model):
    """The Nodes (layer calls) of ``model``'s own graph; [] for a subclassed model."""
    graph = getattr(model, "_functional", None) if is_sequential(model) else model
    return list(getattr(graph, "_nodes", None) or [])


def top_level_layers(model):
    """What a summary lists: the graph's operations for a functional model, so that
    ``x + 1`` shows as a row (as in Keras 3), otherwise ``model.layers``."""
    if is_functional(model):
        return list(model._operations)
    return list(model.layers)


def format_shape(shape):
    """``(None, 64)``; Keras writes a one-entry shape as ``(None)``."""
    return "(" + ", ".join(str(dim) for dim in shape) + ")"


def output_shape_text(layer):
    """The shape(s) a layer produced at its latest call, or ``"?"`` if never called.

    Several outputs read ``[(None, 32), (None, 32)]``. A layer with no node (inside a
    subclassed model, called eagerly) shows the output shape for the shapes it was
    built with, as Keras 3 does: ``(32, 8)`` after a ``fit`` with batches of 32.
    """
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        shapes = [format_shape(tensor.shape) for tensor in nodes[-1].outputs]
    else:
        shapes = _shapes_from_build(layer)
        if not shapes:
            return "?"
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _shapes_from_build(layer):
    """Formatted output shapes from ``compute_output_shape`` of the build shapes, or
    [] when they are unknown or the layer cannot say."""
    build_args = getattr(layer, "_built_with_shapes", None)
    if not build_args or not getattr(layer, "built", False):
        return []
    try:
        output = layer.compute_output_shape(*build_args)
    except Exception:  # a layer that cannot tell its output shape shows "?", as Keras
        return []
    return [format_shape(shape) for shape in _flat_shapes(output)]


def _flat_shapes(structure):
    """The shapes in a (nested) structure of shapes, in order."""
    from kerlite.layers.output_spec import is_shape

    if is_shape(structure):
        return [tuple(structure)]
    values = structure.values() if isinstance(structure, dict) else structure
    return [shape for item in values for shape in _flat_shapes(item)]


def connections(layer, relevant_nodes):
    """``["dense[0][0]", ...]``: the tensors feeding ``layer`` inside this model."""
    relevant = {id(node) for node in relevant_nodes}
    found = []
    for node in getattr(layer, "_inbound_nodes", []):
        if relevant and id(node) not in relevant:
            continue
        for tensor in node.input_tensors:
            source, node_index, tensor_index = tensor._keras_history
            found.append(f"{source.name}[{node_index}][{tensor_index}]")
    return found


def is_sequential_like(model):
    """True when the graph is one chain: no branches, merges or shared layers.

    Such a model gets the three-column table; any other graph also shows
    "Connected to".
    """
    if not is_functional(model):
        return True
    nodes = model_nodes(model)
    if len(model.inputs) > 1:
        return False
    consumers = {}
    for node in nodes:
        if len(node.input_tensors) > 1:
            return False
        for tensor in node.input_tensors:
            consumers[id(tensor)] = consumers.get(id(tensor), 0) + 1
    if any(count > 1 for count in consumers.values()):
        return False
    layer_ids = [id(node.layer) for node in nodes]
    return len(layer_ids) == len(set(layer_ids))
