"""symbolic_dispatch: let a ``kerlite.ops`` function accept KerasTensors, as Keras 3 does.

``ops.add(x, y)`` on two KerasTensors of a functional model then adds a node to the
graph instead of failing. On concrete tensors the wrapper only checks the arguments and
calls the op. This module imports nothing heavy, so ``kerlite.ops`` can wrap its
functions with it at import time::

    for name in __all__:  # at the end of kerlite/ops/__init__.py
        globals()[name] = symbolic_dispatch(globals()[name])

Which operation the node records is decided above ``graph/`` (see ``symbolic_ops.py``).
"""

import functools

from kerlite.graph.keras_tensor import KerasTensor, any_symbolic
from kerlite.graph.symbolic_ops import symbolic_op

_CONTAINERS = (list, tuple, dict)


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
