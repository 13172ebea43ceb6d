"""symbolic_dispatch: let a ``kerlite.ops`` function accept KerasTensors, as Keras 3 does.

``ops.add(x, y)`` on two KerasTensors of a functional model then adds a node to the
graph instead of failing. On concrete tensors the wrapper only checks the arguments and
calls the op. This module imports nothing heavy, so ``kerlite.ops`` can wrap its
functions with it at import time::

    for name in __all__:  # at the end of kerlite/ops/__init__.py
        globals()[name] = symbolic_dispatch(globals()[name])

Which operation a node records is decided above ``graph/``: the op layer
(``kerlite/layers/core/operation_layer.py``) registers itself here when it is imported
(``register_symbolic_op``), so this low layer never imports ``ops`` or ``layers``.
"""

import functools

from kerlite.graph.keras_tensor import KerasTensor, any_symbolic

_CONTAINERS = (list, tuple, dict)

# The function that turns ``op(*args, **kwargs)`` with KerasTensors into a graph node:
# set once, by kerlite/layers/core/operation_layer.py, when kerlite is imported.
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


def _has_symbolic(args, kwargs):
    """A fast scan: ops are called millions of times with plain Tensors."""
    for arg in args:
        if isinstance(arg, KerasTensor):
            return True
        if type(arg) in _CONTAINERS and any_symbolic(arg):
            return True
    return bool(kwargs) and any_symbolic(kwargs)


def symbolic_dispatch(function):
    """Wrap an op: called with a KerasTensor anywhere in its arguments, it adds a node."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _has_symbolic(args, kwargs):
            return symbolic_op(function, *args, **kwargs)
        return function(*args, **kwargs)

    return wrapper
