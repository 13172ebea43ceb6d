"""symbolic_dispatch: let a ``kerlite.ops`` function accept KerasTensors, as Keras 3 does.

``ops.add(x, y)`` on two KerasTensors of a functional model then adds a node (an
OperationLayer) instead of failing. On concrete tensors the wrapper only checks the
arguments and calls the op. This module imports nothing heavy, so ``kerlite.ops`` can
wrap its functions with it at import time::

    for name in __all__:  # at the end of kerlite/ops/__init__.py
        globals()[name] = symbolic_dispatch(globals()[name])
"""

import functools

from kerlite.graph.keras_tensor import any_symbolic


def symbolic_dispatch(function):
    """Wrap an op: called with a KerasTensor anywhere in its arguments, it adds a node."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if any_symbolic(args) or (kwargs and any_symbolic(kwargs)):
            from kerlite.graph.symbolic_ops import symbolic_op

            return symbolic_op(function, *args, **kwargs)
        return function(*args, **kwargs)

    return wrapper
