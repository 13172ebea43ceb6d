"""Node: the record of one call of a layer on symbolic tensors.

``y = dense(x)`` adds a Node to ``dense._inbound_nodes`` (and to the ``_outbound_nodes``
of the layer that made ``x``). Each output KerasTensor gets a ``KerasHistory``
``(layer, node_index, tensor_index)``: which layer made it, in which call, at which
position of that call's outputs. A layer called twice has two nodes (index 0 and 1).
"""

from collections import namedtuple

from kerlite.common import nest
from kerlite.graph.keras_tensor import KerasTensor

KerasHistory = namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class Node:
    """One call ``layer(*call_args, **call_kwargs) -> outputs`` in the graph.

    Attributes:
        layer (alias ``operation``): the layer that was called.
        call_args, call_kwargs: the arguments as given (KerasTensors inside).
        input_tensors: the KerasTensors among the arguments, in order.
        outputs / output_tensors: the KerasTensors the call returned (a flat list).
        parent_nodes: the nodes that produced ``input_tensors``.
    """

    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=()):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.input_tensors = [
            value for value in nest.flatten([self.call_args, self.call_kwargs])
            if isinstance(value, KerasTensor)
        ]
        self.outputs = nest.flatten(outputs)
        only = self.call_args[0] if len(self.call_args) == 1 else None
        self.single_input = only if isinstance(only, KerasTensor) and not call_kwargs else None
        self.output_structure = outputs

        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            if tensor._keras_history is not None:
                tensor._keras_history.operation._outbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(layer, node_index, tensor_index)

    @property
    def operation(self):
        return self.layer

    @property
    def output_tensors(self):
        return self.outputs

    @property
    def is_input(self):
        """True for the node of an InputLayer: it has no inputs."""
        return not self.input_tensors

    @property
    def parent_nodes(self):
        parents = []
        for tensor in self.input_tensors:
            if tensor._keras_history is None:
                continue
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            if node not in parents:
                parents.append(node)
        return parents

    @property
    def input_shapes(self):
        """Shapes of the input tensors: one tuple, or a list for several inputs."""
        shapes = [tensor.shape for tensor in self.input_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shapes(self):
        shapes = [tensor.shape for tensor in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def __repr__(self):
        return f"<Node layer={self.layer.name!r}, inputs={len(self.input_tensors)}>"
