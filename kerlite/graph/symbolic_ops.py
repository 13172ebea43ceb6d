"""Where an op called on KerasTensors goes: one registered function, set from above.

``x + 1`` (``KerasTensor.__add__``) and ``ops.add(x, 1)`` (``dispatch.symbolic_dispatch``)
both call ``symbolic_op``, which must add a node to the graph. The node's operation is a
small weightless layer (``kerlite/layers/core/operation_layer.py``) and ``graph/`` sits
below ``ops`` and ``layers``, so that module registers itself here when it is imported
(``import kerlite`` does): this package never imports the ones above it.
"""

# The function that turns ``op(*args, **kwargs)`` with KerasTensors into a graph node.
_symbolic_op = None


def register_symbolic_op(apply):
    """Set the function that records an op called on KerasTensors: ``apply(op, *args,
    **kwargs)`` gets the op (a ``kerlite.ops`` function or its public name, ``"add"``)
    and returns the output KerasTensor(s)."""
    global _symbolic_op
    _symbolic_op = apply


def symbolic_op(op, *args, **kwargs):
    """Apply ``op`` (a ``kerlite.ops`` function or its name) to arguments that include
    KerasTensors: a new node in the graph, and its output KerasTensor(s)."""
    if _symbolic_op is None:
        raise RuntimeError(
            "No operation is registered for KerasTensors: `import kerlite` first (it "
            "registers kerlite/layers/core/operation_layer.py).")
    return _symbolic_op(op, *args, **kwargs)
