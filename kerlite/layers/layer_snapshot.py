"""LayerSnapshot: undo what a failed first call did to a layer.

The first call of a layer builds it: ``build`` creates weights, sets ``input_spec`` and
``built``, and may create or build nested layers. If that call then fails (wrong rank,
an error inside ``call``), the layer must be left as it was before, so that the next,
correct call can build it properly. (Keras avoids most such cases by checking the input
spec before ``build``; kerlite sets many specs inside ``build``, so it takes a snapshot.)

A snapshot keeps each layer's attribute dict and a copy of every list in it (weights,
nodes, losses are lists that ``build`` and ``call`` append to). It is taken only for
layers that are not built yet, so the calls of a training step never pay for it.
"""

from kerlite.layers.call_context import note_losses


class LayerSnapshot:
    """The attributes of ``layer`` and of the layers inside it, to restore after a failure."""

    def __init__(self, layer):
        self._saved = [(inner, _state_of(inner)) for inner in layer._flatten_layers()]

    def restore(self):
        """Put every saved layer back as it was: same attributes, same list contents."""
        for inner, (attributes, lists) in self._saved:
            for name, items in lists.items():
                attributes[name][:] = items
            inner.__dict__.clear()
            inner.__dict__.update(attributes)
        note_losses(inner for inner, _ in self._saved)  # the loss lists are back


def _state_of(layer):
    attributes = dict(layer.__dict__)
    lists = {name: list(value) for name, value in attributes.items() if type(value) is list}
    return attributes, lists
