"""Packing a batch as Keras does: ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

Handy in a custom ``PyDataset`` or ``train_step``: ``pack_x_y_sample_weight`` leaves out
the parts that are None, and ``unpack_x_y_sample_weight`` always gives three values.
"""

from kerlite.trainers.data_adapter import unpack


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """``x`` alone (as a 1-tuple if x is itself a tuple), ``(x, y)`` or ``(x, y, sw)``."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch, with None for the missing parts."""
    return unpack(data)
