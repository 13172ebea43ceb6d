"""What the layer call in progress knows: its ``training`` flag and how deep it is.

A model called with ``training=True`` runs its sublayers with ``training=True`` without
passing the flag by hand (as Keras's call context does). One module variable, not a
ContextVar, so notebooks never lose it between cells.

It also counts the layers that hold ``add_loss`` values. A top-level call forgets the
losses of its layers (as Keras's does) by walking them, and only when that count is not
zero, so calls of models without losses pay nothing. A count, not a list: it keeps no
layer alive. (A layer dropped while it holds losses leaves the count too high: the calls
then walk their layers every time, as Keras always does; the result is the same.)
"""


class CallContext:
    training = None  # the flag of the outermost call that gave one
    depth = 0  # 0 outside any layer call: the next call is a top-level call
    shape_trial = False  # True during a trial run on zeros (output_spec.py) whose batch
    # size is a stand-in, so a layer built there records its batch axis as None
    layers_with_losses = 0  # how many layers have a non-empty add_loss list (see above)


def resolve_training(training):
    """``training`` if given, else the enclosing call's flag (None at top level)."""
    return CallContext.training if training is None else training
