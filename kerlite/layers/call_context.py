"""What the layer call in progress knows: its ``training`` flag and how deep it is.

A model called with ``training=True`` runs its sublayers with ``training=True`` without
passing the flag by hand (as Keras's call context does). One module variable, not a
ContextVar, so notebooks never lose it between cells.

It also keeps the layers that hold ``add_loss`` values. A top-level call forgets the
losses of its layers (as Keras's does) by walking them, and only when some layer holds
losses, so calls of models without losses pay nothing. A weak set: it keeps no layer
alive, and a layer that is dropped leaves it.
"""

import weakref


class CallContext:
    training = None  # the flag of the outermost call that gave one
    depth = 0  # 0 outside any layer call: the next call is a top-level call
    shape_trial = False  # True during a trial run on zeros (output_spec.py) whose batch
    # size is a stand-in, so a layer built there records its batch axis as None
    layers_with_losses = weakref.WeakSet()  # layers with a non-empty add_loss list


def note_losses(layers):
    """Record, after their ``_losses`` lists were put back, which of ``layers`` hold
    losses (a failed call or a trial run is undone this way)."""
    for layer in layers:
        if layer.__dict__.get("_losses"):
            CallContext.layers_with_losses.add(layer)
        else:
            CallContext.layers_with_losses.discard(layer)


def resolve_training(training):
    """``training`` if given, else the enclosing call's flag (None at top level)."""
    return CallContext.training if training is None else training
