"""The symbolic graph of the functional API: KerasTensor -> Node -> map_graph.

Calling a layer on a symbolic ``KerasTensor`` records one ``Node``; every output tensor
remembers ``(layer, node_index, tensor_index)`` in ``_keras_history``. ``Model(inputs,
outputs)`` walks those records back with ``map_graph`` and runs the nodes in order.
"""

from kerlite.graph.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor
from kerlite.graph.map_graph import map_graph
from kerlite.graph.node import KerasHistory, Node
