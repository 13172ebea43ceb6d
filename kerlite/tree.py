"""``keras.tree``: walk nested structures (lists, tuples, dicts) of tensors.

The public face of ``kerlite.common.nest``, kerlite's one walker, with Keras 3's order:
a dict's values come in the order of its sorted keys; every other object (a tensor, a
number, None) is a leaf.
"""

from kerlite.common import nest
from kerlite.common.nest import is_nested

__all__ = ["flatten", "is_nested", "map_structure", "pack_sequence_as"]


def flatten(structure):
    """The leaves of ``structure``, in order (dicts by sorted key), as a flat list."""
    return nest.flatten(structure, sort_keys=True)


def pack_sequence_as(structure, flat_sequence):
    """``structure`` rebuilt with the leaves of ``flat_sequence`` (in ``flatten`` order)."""
    return nest.pack_like(structure, flat_sequence, sort_keys=True)


def map_structure(func, *structures):
    """``func`` applied leaf by leaf to structures of the same shape, in that shape."""
    flat = [flatten(structure) for structure in structures]
    if any(len(leaves) != len(flat[0]) for leaves in flat):
        raise ValueError("map_structure needs structures with the same number of leaves; "
                         f"got {[len(leaves) for leaves in flat]}.")
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flat)])
