"""Reverse-mode differentiation: the tape, and the walk back over what it recorded.

While a ``GradientTape`` is open, every op's result remembers its parents and a
``backward`` rule (``kerlite.autodiff.tensor.record``). ``gradient`` then:

1. orders the recorded tensors so each comes after its parents (an iterative depth-first
   walk: deep graphs never hit Python's recursion limit);
2. walks that order backwards from the target, calling each tensor's ``_backward`` and
   adding (``+``) the gradients a parent receives from each of its children, so reused
   values such as ``x * x`` or a shared layer get the sum of all paths.

Steps 1 and 2 are ``topological_order`` and ``backpropagate``; ``GradientTape`` (as
``tf.GradientTape``) is the user's side of them: which tensors are watched, one answer
or several, and sources nested as the caller gave them.
"""

from kerlite.arrays import get_array_module
from kerlite.autodiff.tensor import Tensor, _Recording, array_of
from kerlite.autodiff.variable import Variable
from kerlite.common import nest


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


class GradientTape:
    """Records operations on watched tensors so that ``gradient`` can differentiate them.

    Trainable ``Variable``s are watched automatically (unless
    ``watch_accessed_variables=False``: then only what you ``watch`` gets a gradient);
    other tensors need ``watch``::

        with kerlite.GradientTape() as tape:
            loss = ops.mean(ops.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_weights)

    A tape answers one ``gradient`` call unless ``persistent=True``.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._used = False
        self._watched = set()  # ids of the tensors passed to watch()

    def __enter__(self):
        _Recording.depth += 1
        self._recording = True
        return self

    def __exit__(self, *exc_info):
        if self._recording:
            _Recording.depth -= 1
            self._recording = False
        return False

    def watch(self, tensor):
        """Track ``tensor`` (or a list/tuple of tensors) so gradients can reach it."""
        if isinstance(tensor, (list, tuple)):
            for item in tensor:
                self.watch(item)
            return
        if not isinstance(tensor, Tensor):
            raise TypeError(
                "GradientTape.watch expects a kerlite Tensor or Variable, not "
                f"{type(tensor).__name__}. Convert arrays first with "
                "`x = kerlite.ops.convert_to_tensor(x)` and use that `x` in the "
                "computation."
            )
        tensor._needs_grad = True
        self._watched.add(id(tensor))

    def _watches(self, source):
        """Whether this tape gives ``source`` a gradient: a watched tensor, or any
        trainable Variable when ``watch_accessed_variables`` is on."""
        if id(source) in self._watched:
            return True
        return not isinstance(source, Variable) or self.watch_accessed_variables

    def stop_recording(self):
        """Context manager that pauses recording inside the ``with`` block."""
        return _Paused()

    def gradient(self, target, sources, output_gradients=None):
        """d(target)/d(source) for each source, with the same nesting as ``sources``.

        A non-scalar target is summed first (as TensorFlow does). A source that does
        not influence the target gets ``None``.
        """
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Use GradientTape(persistent=True) to call gradient() "
                "several times."
            )
        self._used = True
        if not isinstance(target, Tensor):
            raise TypeError(
                "GradientTape.gradient: the target must be a Tensor computed inside the "
                f"tape's `with` block. Received: target of type {type(target).__name__}"
            )
        single = isinstance(sources, Tensor)
        # The common cases need no structure walk: one tensor, or a flat list of them
        # (``model.trainable_weights``).
        flat_list = type(sources) is list and all(isinstance(s, Tensor) for s in sources)
        if single:
            source_list = [sources]
        else:
            source_list = sources if flat_list else nest.flatten(sources)
        grads = backpropagate(
            target, source_list, output_gradients, free_graph=not self.persistent
        )
        if not self.watch_accessed_variables:
            grads = [g if self._watches(source) else None
                     for g, source in zip(grads, source_list)]
        grads = [None if g is None else Tensor(g) for g in grads]
        if single:
            return grads[0]
        return grads if flat_list else nest.pack_like(sources, grads)


class _Paused:
    def __enter__(self):
        self._depth = _Recording.depth
        _Recording.depth = 0

    def __exit__(self, *exc_info):
        _Recording.depth = self._depth
        return False

