"""Walking nested structures (values in lists, tuples and dicts): kerlite's one walker.

A structure is a list, tuple (namedtuples included) or dict; anything else (a tensor,
an array, a number, ``None``) is a leaf. Every part of kerlite walks structures with
these three functions, so they all agree on the order of the leaves:

* inside kerlite (models, layers, ``fit``'s data, ``GradientTape``) a dict's values
  come in the dict's own (insertion) order, so ``Model(inputs, {"b": ..., "a": ...})``
  keeps its outputs in the order they were written;
* ``keras.tree`` (``kerlite/tree.py``) passes ``sort_keys=True``: Keras 3 walks a
  dict's values in the order of its sorted keys.
"""


def _children(structure, sort_keys):
    """The direct children of a list, tuple or dict, in walking order."""
    if isinstance(structure, dict):
        keys = sorted(structure) if sort_keys else structure
        return [structure[key] for key in keys]
    return structure


def is_nested(structure):
    """True for a list, tuple or dict (something with leaves inside)."""
    return isinstance(structure, (list, tuple, dict))


def flatten(structure, sort_keys=False):
    """The leaves of ``structure`` in order, as a flat list (a leaf gives ``[leaf]``)."""
    if not isinstance(structure, (list, tuple, dict)):
        return [structure]
    leaves = []
    for child in _children(structure, sort_keys):
        if isinstance(child, (list, tuple, dict)):
            leaves.extend(flatten(child, sort_keys))
        else:
            leaves.append(child)
    return leaves


def map_structure(function, structure):
    """Apply ``function`` to each leaf, keeping the nesting (lists stay lists...)."""
    if isinstance(structure, dict):
        return {key: map_structure(function, value) for key, value in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):  # namedtuple
        return type(structure)(*(map_structure(function, item) for item in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)


def pack_like(structure, leaves, sort_keys=False):
    """Rebuild ``structure`` with ``leaves`` (a flat list, in ``flatten`` order).

    A rebuilt dict keeps the key order of ``structure`` whatever order its leaves
    were read in.
    """
    if not isinstance(structure, (list, tuple, dict)):  # a single leaf
        return next(iter(leaves))
    return _rebuild(structure, iter(leaves), sort_keys)


def _rebuild(node, remaining, sort_keys):
    """``node`` with its leaves taken, in walking order, from the iterator ``remaining``."""
    if isinstance(node, dict):
        keys = sorted(node) if sort_keys else node
        rebuilt = {key: _rebuild(node[key], remaining, sort_keys)
                   if isinstance(node[key], (list, tuple, dict)) else next(remaining)
                   for key in keys}
        return {key: rebuilt[key] for key in node}
    items = [_rebuild(child, remaining, sort_keys) if isinstance(child, (list, tuple, dict))
             else next(remaining) for child in node]
    if isinstance(node, tuple) and hasattr(node, "_fields"):  # namedtuple
        return type(node)(*items)
    return type(node)(items)
