"""Weights in HDF5, laid out exactly as Keras 3 lays out ``model.weights.h5``.

Each object with state gets a group ``<path>/vars`` holding its own variables as
datasets ``"0"``, ``"1"``, ... (trainable ones first). Paths follow the object tree:
a Functional or Sequential model stores its layers under ``layers/<class_name>``
(``dense``, ``dense_1``, ... numbered per class, not by the layers' own names, so two
builds of the same architecture match), the optimizer under ``optimizer``.
"""

from kerlite.utils.naming import to_snake_case


def own_variables(obj):
    """The variables ``obj`` created itself (not its sublayers'), trainable first."""
    if hasattr(obj, "_saveable_own_variables"):
        return list(obj._saveable_own_variables())
    if _is_optimizer(obj):
        return list(obj.variables)  # iteration, learning rate, then the slots
    trainable = list(getattr(obj, "_trainable_variables", []))
    non_trainable = list(getattr(obj, "_non_trainable_variables", []))
    return trainable + non_trainable


def _is_optimizer(obj):
    from kerlite.optimizers import Optimizer

    return isinstance(obj, Optimizer)


def _is_saveable(obj):
    from kerlite.layers import Layer

    return isinstance(obj, Layer) or _is_optimizer(obj)


def _name_key(name):
    """Public attributes first, then private ones (as Keras orders them)."""
    return f"~{name}" if name.startswith("_") else name


_SKIPPED_ATTRIBUTES = {"_inbound_nodes", "_outbound_nodes", "layers", "_layers",
                       "_tracked_layers", "_operations", "_self_layers", "input",
                       "output", "inputs", "outputs", "_keras_history"}


def walk(obj, path=""):
    """Yield ``(path, object)`` for ``obj`` and every saveable object inside it."""
    visited = set()
    stack = [(path, obj)]
    while stack:
        current_path, current = stack.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        yield current_path, current
        children = []
        if _is_model_with_layer_list(current):
            children.extend(_container_children(current.layers, _join(current_path, "layers")))
        for attribute in sorted(_attribute_names(current), key=_name_key):
            try:
                value = getattr(current, attribute)
            except Exception:
                continue
            child_path = _join(current_path, attribute)
            if _is_saveable(value):
                children.append((child_path, value))
            elif isinstance(value, (list, tuple)) and any(_is_saveable(v) for v in value):
                children.extend(_container_children(value, child_path))
        stack.extend(reversed(children))


def _is_model_with_layer_list(obj):
    """Functional and Sequential models (and their subclasses) store ``layers/...``."""
    from kerlite.models import Functional, Sequential

    return isinstance(obj, (Functional, Sequential))


def _attribute_names(obj):
    names = list(getattr(obj, "__dict__", {}))
    return [n for n in names if not n.startswith("__") and n not in _SKIPPED_ATTRIBUTES]


def _container_children(items, path):
    used = {}
    children = []
    for item in items:
        if not _is_saveable(item):
            continue
        base = to_snake_case(type(item).__name__)
        count = used.get(base, -1) + 1
        used[base] = count
        children.append((_join(path, base if count == 0 else f"{base}_{count}"), item))
    return children


def _join(path, name):
    return f"{path}/{name}" if path else name


def save_weights_to_h5(obj, h5_file):
    """Write every variable of ``obj`` (model, and optimizer if built) into ``h5_file``."""
    import numpy

    for path, saveable in walk(obj):
        group = h5_file.require_group(_join(path, "vars"))
        name = getattr(saveable, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        for index, variable in enumerate(own_variables(saveable)):
            group.create_dataset(str(index), data=numpy.asarray(variable))


def read_weights_from_h5(obj, h5_file, skip_mismatch=False):
    """Read the values for every variable of ``obj``, checking names and shapes first.

    Returns ``[(variable, array), ...]`` without assigning anything, so the caller can
    apply all of them or none (a bad file never leaves a half-loaded model).
    """
    import numpy

    updates, problems = [], []
    for path, saveable in walk(obj):
        variables = own_variables(saveable)
        key = _join(path, "vars")
        if not variables:
            continue
        if _is_optimizer(saveable) and (
                key not in h5_file or len(h5_file[key]) != len(variables)):
            # Optimizer state is optional: without it training restarts its moments.
            continue
        if key not in h5_file:
            problems.append(f"no weights stored for {_describe(saveable, path)} "
                            f"(expected group '{key}')")
            continue
        group = h5_file[key]
        if len(group) != len(variables):
            problems.append(
                f"{_describe(saveable, path)} expects {len(variables)} variables but "
                f"the file holds {len(group)} at '{key}'")
            continue
        for index, variable in enumerate(variables):
            value = numpy.asarray(group[str(index)])
            if tuple(value.shape) != tuple(variable.shape):
                message = (f"{_describe(saveable, path)}: variable {index} "
                           f"({variable.name}) has shape {tuple(variable.shape)} but the "
                           f"file holds shape {tuple(value.shape)}")
                if skip_mismatch:
                    continue
                problems.append(message)
                continue
            updates.append((variable, value))
    if problems:
        raise ValueError(
            "The weights file does not match this model, so nothing was loaded:\n- "
            + "\n- ".join(problems)
            + "\nBuild the model with the same architecture as the one that was saved."
        )
    return updates


def _describe(saveable, path):
    name = getattr(saveable, "name", type(saveable).__name__)
    return f"{type(saveable).__name__} '{name}' (at '{path or '/'}')"
