"""GradientTape: record a computation, then ask for its gradients (as tf.GradientTape)."""

from kerlite.autodiff.gradients import backpropagate
from kerlite.common import nest
from kerlite.autodiff.tensor import Tensor, _Recording
from kerlite.autodiff.variable import Variable


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

