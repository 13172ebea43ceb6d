"""The symbolic graph of the functional API: KerasTensor -> Operation -> Node -> map_graph.

Calling an ``Operation`` (every layer is one, and so is ``x + 1``) on a symbolic
``KerasTensor`` records one ``Node``; every output tensor remembers ``(operation,
node_index, tensor_index)`` in ``_keras_history``. ``Model(inputs, outputs)`` walks those
records back with ``map_graph`` and runs the nodes in order.

This package sits below ``ops`` and ``layers`` and imports neither: ``Layer`` derives
from ``Operation`` (``kerlite/layers/layer.py``), and the op layer made for ``x + 1``
registers itself in ``symbolic_ops.py``.
"""

from kerlite.graph.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor
from kerlite.graph.map_graph import map_graph
from kerlite.graph.node import KerasHistory, Node
from kerlite.graph.operation import Operation
