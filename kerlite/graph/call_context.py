"""What the layer call in progress knows: its ``training`` flag and how deep it is.

A model called with ``training=True`` runs its sublayers with ``training=True`` without
passing the flag by hand (as Keras's call context does). One module variable, not a
ContextVar, so notebooks never lose it between cells.
"""


class CallContext:
    training = None  # the flag of the outermost call that gave one
    depth = 0  # 0 outside any layer call: the next call is a top-level call
    shape_trial = False  # True during a trial run on zeros (output_spec.py) whose batch
    # size is a stand-in, so a layer built there records its batch axis as None


def resolve_training(training):
    """``training`` if given, else the enclosing call's flag (None at top level)."""
    return CallContext.training if training is None else training
