"""A layer's view of its nodes: ``input``, ``output``, shapes, and the per-node forms.

Mixed into ``Layer``. A layer called once has one node; a layer called twice (a shared
layer) has two, and ``layer.input``/``layer.output`` are those of the *first* call, as in
Keras 3 (Keras 2 refused them). ``get_output_at`` and friends, and
``input_shape``/``output_shape``, are Keras 2 names the seeds use; kerlite keeps them with
a DeprecationWarning naming the Keras 3 form.
"""

import warnings


def _deprecated(old, new):
    warnings.warn(
        f"`{old}` is Keras 2 API, not in Keras 3; use `{new}` instead.",
        DeprecationWarning, stacklevel=3,
    )


def _unwrap(tensors):
    return tensors[0] if len(tensors) == 1 else list(tensors)


def _shape_of(tensors):
    return tensors.shape if not isinstance(tensors, list) else [t.shape for t in tensors]


class NodeAccessorsMixin:
    """Properties that read ``self._inbound_nodes``."""

    def _first_node(self, attribute):
        if not self._inbound_nodes:
            raise AttributeError(
                f'Layer "{self.name}" is not connected, no {attribute} to return: it has '
                "never been called on a symbolic input. Call it first, e.g. "
                f"`y = {self.name}(keras.Input(shape=...))`."
            )
        return self._inbound_nodes[0]

    def _node_at(self, node_index, attribute):
        if not 0 <= node_index < len(self._inbound_nodes):
            raise ValueError(
                f'Asked to get the {attribute} at node {node_index} of layer '
                f'"{self.name}", but the layer has only {len(self._inbound_nodes)} '
                "inbound node(s)."
            )
        return self._inbound_nodes[node_index]

    @property
    def input(self):
        """The symbolic input(s) of this layer's first call."""
        node = self._first_node("input")
        return node.call_args[0] if node.call_args else _unwrap(node.input_tensors)

    @property
    def output(self):
        """The symbolic output(s) of this layer's first call."""
        return _unwrap(self._first_node("output").outputs)

    def _shapes_of_all_nodes(self, attribute, read):
        if not self._inbound_nodes:
            raise AttributeError(
                f'The layer "{self.name}" has never been called and thus has no '
                f"defined {attribute}."
            )
        shapes = {repr(read(node)) for node in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes with different '
                f"{attribute}s, hence the notion of \"{attribute}\" is ill-defined. "
                f"Use `get_{attribute}_at(node_index)` instead."
            )
        return read(self._inbound_nodes[0])

    @property
    def input_shape(self):
        """Keras 2: the input shape (ambiguous only if the calls had different shapes)."""
        _deprecated("layer.input_shape", "layer.input.shape")
        return self._shapes_of_all_nodes("input_shape", lambda n: n.input_shapes)

    @property
    def output_shape(self):
        """Keras 2: the output shape (ambiguous only if the calls had different shapes)."""
        _deprecated("layer.output_shape", "layer.output.shape")
        return self._shapes_of_all_nodes("output_shape", lambda n: n.output_shapes)

    def get_input_at(self, node_index):
        _deprecated("layer.get_input_at(i)", "layer._inbound_nodes[i].input_tensors")
        return _unwrap(self._node_at(node_index, "input").input_tensors)

    def get_output_at(self, node_index):
        _deprecated("layer.get_output_at(i)", "layer._inbound_nodes[i].outputs")
        return _unwrap(self._node_at(node_index, "output").outputs)

    def get_input_shape_at(self, node_index):
        _deprecated("layer.get_input_shape_at(i)",
                    "layer._inbound_nodes[i].input_tensors[0].shape")
        return _shape_of(_unwrap(self._node_at(node_index, "input").input_tensors))

    def get_output_shape_at(self, node_index):
        _deprecated("layer.get_output_shape_at(i)",
                    "layer._inbound_nodes[i].outputs[0].shape")
        return _shape_of(_unwrap(self._node_at(node_index, "output").outputs))
