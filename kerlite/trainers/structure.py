"""Walking nested data (arrays in lists, tuples and dicts) the way ``fit`` needs it."""


def flatten(structure):
    """The leaves of nested lists/tuples/dicts, in order (dicts in key order)."""
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(function, structure):
    """The same nesting with ``function`` applied to each leaf (``None`` stays None)."""
    if isinstance(structure, dict):
        return {key: map_structure(function, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return None if structure is None else function(structure)
