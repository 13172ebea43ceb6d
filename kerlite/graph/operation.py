"""Operation: what a symbolic graph records calls of (as Keras 3's ``Operation``).

Every layer is an Operation (``Layer(Operation)`` in ``kerlite/layers/layer.py``), and so
is every op written on KerasTensors (``x + 1``, ``ops.add(x, y)``, ``x[:, 0]``). The
graph needs only three things from it: a ``name``, the nodes of its calls
(``_inbound_nodes``), and the nodes that used its outputs (``_outbound_nodes``).
``map_graph`` and the functional model walk nothing else.
"""

from kerlite.common import naming
from kerlite.graph.node import Node


class Operation:
    """Something that can be called on KerasTensors and leave a ``Node`` behind.

    Args:
        name: unique name; by default the snake_case class name (``add``, ``add_1``).
    """

    def __init__(self, name=None):
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self._inbound_nodes = []  # one Node per call on symbolic tensors, in call order
        self._outbound_nodes = []  # the Nodes that took an output of this operation

    def _record_call(self, call_args, call_kwargs, outputs):
        """Record ``self(*call_args, **call_kwargs) -> outputs`` in the graph: a new Node
        in ``_inbound_nodes``, and each output KerasTensor's ``_keras_history``."""
        Node(self, call_args, call_kwargs, outputs)
        return outputs
