"""Reverse-mode differentiation over the tensors' recorded parents.

1. Order the recorded tensors so each comes after its parents (an iterative depth-first
   walk: deep graphs never hit Python's recursion limit).
2. Walk that order backwards from the target, calling each tensor's ``_backward`` and
   adding (``+``) the gradients a parent receives from each of its children, so reused
   values such as ``x * x`` or a shared layer get the sum of all paths.
"""

from kerlite.autodiff.tensor import array_of
from kerlite.arrays import get_array_module


def topological_order(root):
    """Recorded tensors reachable from ``root``, every parent before its children."""
    order = []
    visited = {id(root)}
    stack = [(root, iter(root._parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent._backward is not None and id(parent) not in visited:
                visited.add(id(parent))
                stack.append((parent, iter(parent._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def backpropagate(target, sources, output_gradient=None, free_graph=True):
    """Gradients of ``target`` (summed if not scalar) with respect to each source.

    Returns a list aligned with ``sources``; ``None`` where a source does not influence
    the target. With ``free_graph`` the recorded graph is dropped afterwards, so nothing
    of it stays alive.
    """
    if output_gradient is None:
        # d target / d target = 1, as an array of the target's own module (NumPy or CuPy)
        seed = get_array_module(target.data).ones_like(target.data)
    else:
        seed = array_of(output_gradient)
    wanted = {id(source) for source in sources}
    found = {}
    if target._backward is None:
        if id(target) in wanted:
            found[id(target)] = seed
        return [found.get(id(source)) for source in sources]

    order = topological_order(target)
    grads = {id(target): seed}
    for node in reversed(order):
        grad = grads.pop(id(node), None)
        if grad is None:
            continue
        if id(node) in wanted:
            found[id(node)] = grad
        for parent, parent_grad in zip(node._parents, node._backward(grad)):
            if parent_grad is None or not parent._needs_grad:
                continue
            key = id(parent)
            if key in grads:
                grads[key] = grads[key] + parent_grad
            else:
                grads[key] = parent_grad
    found.update((key, grad) for key, grad in grads.items() if key in wanted)
    if free_graph:
        for node in order:
            node._parents = ()
            node._backward = None
    return [found.get(id(source)) for source in sources]
