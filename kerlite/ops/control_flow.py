"""Control flow as ``keras.ops`` spells it: cond, while_loop, fori_loop, vectorized_map.

kerlite runs eagerly, so these are plain Python ``if`` and ``for``: gradients flow
through whatever the chosen branch or each loop step computed.
"""

from kerlite.autodiff.tensor import Tensor
from kerlite.ops.joining import stack


def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` is true, else ``false_fn()``."""
    return true_fn() if _truth(pred) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds.

    ``loop_vars`` is a tuple/list (returned as a tuple) or a single value.
    """
    is_sequence = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if is_sequence else (loop_vars,)
    step = 0
    while maximum_iterations is None or step < maximum_iterations:
        if not _truth(cond(*values)):
            break
        result = body(*values)
        values = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        step += 1
    return values if is_sequence else values[0]


def _truth(value):
    return bool(value.data if isinstance(value, Tensor) else value)


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for i in range(lower, upper); returns the last ``val``."""
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def vectorized_map(function, elements):
    """``function`` applied to each entry along the first axis, results stacked.

    With a list/tuple of tensors, ``function`` receives one entry of each.
    """
    if isinstance(elements, (list, tuple)):
        count = elements[0].shape[0]
        return stack([function([e[i] for e in elements]) for i in range(count)])
    return stack([function(e) for e in elements])
