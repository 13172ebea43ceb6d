"""Walking nested structures (tensors in lists, tuples and dicts) in a fixed order."""


def flatten(structure):
    """The leaves of ``structure`` in order: dict values by key order, lists in order."""
    if isinstance(structure, dict):
        leaves = []
        for key in structure:
            leaves.extend(flatten(structure[key]))
        return leaves
    if isinstance(structure, (list, tuple)):
        leaves = []
        for item in structure:
            leaves.extend(flatten(item))
        return leaves
    return [structure]


def map_structure(function, structure):
    """Apply ``function`` to each leaf, keeping the nesting (lists stay lists...)."""
    if isinstance(structure, dict):
        return {key: map_structure(function, value) for key, value in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):  # namedtuple
        return type(structure)(*(map_structure(function, item) for item in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)


def pack_like(structure, leaves):
    """Rebuild ``structure`` with ``leaves`` (a flat list, in ``flatten`` order)."""
    if not isinstance(structure, (list, tuple, dict)):  # a single leaf
        return leaves[0]
    iterator = iter(leaves)
    return map_structure(lambda _: next(iterator), structure)
