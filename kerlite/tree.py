"""``keras.tree``: walk nested structures (lists, tuples, dicts) of tensors.

As in Keras 3, a dict's values come in the order of its sorted keys; every other object
(a tensor, a number, None) is a leaf.
"""


def is_nested(structure):
    """True for a list, tuple or dict (something with leaves inside)."""
    return isinstance(structure, (list, tuple, dict))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[key] for key in sorted(structure)]
    return list(structure)


def flatten(structure):
    """The leaves of ``structure``, in order, as a flat list."""
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        leaves.extend(flatten(child))
    return leaves


def pack_sequence_as(structure, flat_sequence):
    """``structure`` rebuilt with the leaves of ``flat_sequence`` (in ``flatten`` order)."""
    leaves = iter(flat_sequence)

    def rebuild(node):
        if not is_nested(node):
            return next(leaves)
        if isinstance(node, dict):
            rebuilt = {key: rebuild(node[key]) for key in sorted(node)}
            return {key: rebuilt[key] for key in node}
        items = [rebuild(child) for child in node]
        if isinstance(node, tuple) and hasattr(node, "_fields"):  # a namedtuple
            return type(node)(*items)
        return type(node)(items)

    return rebuild(structure)


def map_structure(func, *structures):
    """``func`` applied leaf by leaf to structures of the same shape, in that shape."""
    flat = [flatten(structure) for structure in structures]
    if any(len(leaves) != len(flat[0]) for leaves in flat):
        raise ValueError("map_structure needs structures with the same number of leaves; "
                         f"got {[len(leaves) for leaves in flat]}.")
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flat)])
