"""Saving and loading the state of a model: weights in HDF5, files in ``assets/``.

Laid out exactly as Keras 3 lays out ``model.weights.h5``: each object with state gets
a group ``<path>/vars``, filled by its ``save_own_variables(store)`` (by default its own
variables as datasets ``"0"``, ``"1"``, ..., trainable ones first). Paths follow the
object tree: a Functional or Sequential model stores its layers under
``layers/<class_name>`` (``dense``, ``dense_1``, ... numbered per class, not by the
layers' own names, so two builds of the same architecture match), the optimizer under
``optimizer``. An object with ``save_assets(dir_path)`` also gets ``assets/<path>/``.

Loading compares every dataset's shape and dtype with the variable it fills *before*
reading it, and changes nothing unless all of them match (see ``load_state``).
"""

import warnings

from kerlite.saving import h5_store
from kerlite.common.naming import to_snake_case


def own_variables(obj):
    """The variables ``obj`` created itself (not its sublayers'), trainable first."""
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
    """Functional and Sequential models (and their subclasses) store ``layers/...``:
    the models that keep a graph of layer calls (``_nodes``, or ``_functional`` inside a
    Sequential)."""
    return hasattr(obj, "_nodes") or hasattr(obj, "_functional")


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


def save_state(obj, h5_file=None, assets=None):
    """Write the state of ``obj`` and everything inside it.

    ``h5_file``: an open, writable h5py File for the variables (or None);
    ``assets``: an ``AssetsFolder`` for ``save_assets`` (or None, as for weights files).
    """
    for path, saveable in walk(obj):
        if h5_file is not None:
            store = h5_store.WeightsWriter(h5_file, _join(path, "vars"),
                                           getattr(saveable, "name", None))
            if hasattr(saveable, "save_own_variables"):
                saveable.save_own_variables(store)
            else:
                for index, variable in enumerate(own_variables(saveable)):
                    store[str(index)] = variable
        if assets is not None and hasattr(saveable, "save_assets"):
            saveable.save_assets(assets.make(path))


def load_state(obj, h5_file=None, assets=None, skip_mismatch=False, rollback=True):
    """Read the state of ``obj`` back, checked first, all or nothing.

    1. Every object that loads its variables the default way is compared with the file
       (count, and each dataset's shape and dtype, from the file's metadata only). Any
       mismatch raises a ValueError listing them all, before anything is read; with
       ``skip_mismatch=True`` such an object keeps its values instead, with a warning.
    2. Then each object's ``load_own_variables(store)`` and ``load_assets(dir_path)`` run,
       in the order Keras 3 uses. If one fails, every variable gets its earlier value
       back (``rollback``; a freshly built model being loaded does not need it).
    """
    plan = list(walk(obj))
    readers, skipped, problems = {}, set(), []
    for path, saveable in plan:
        key = _join(path, "vars")
        group = None if h5_file is None else h5_store.group_at(h5_file, key)
        readers[id(saveable)] = h5_store.WeightsReader(group, key)
        if h5_file is None or not _loads_the_default_way(saveable):
            continue
        found = _mismatches(saveable, path, readers[id(saveable)])
        if not found:
            continue
        if _is_optimizer(saveable) or skip_mismatch:
            skipped.add(id(saveable))
            if not _is_optimizer(saveable) or readers[id(saveable)].group is not None:
                warnings.warn(f"Skipping the weights of {_describe(saveable, path)}: "
                              + "; ".join(found), stacklevel=3)
        else:
            problems.extend(found)
    if problems:
        raise ValueError(
            "The weights file does not match this model, so nothing was loaded:\n- "
            + "\n- ".join(problems)
            + "\nBuild the model with the same architecture as the one that was saved.")
    saved = _snapshot(plan) if rollback else None
    try:
        for path, saveable in plan:
            if h5_file is not None and id(saveable) not in skipped:
                _load_own(saveable, readers[id(saveable)])
            if assets is not None and hasattr(saveable, "load_assets"):
                saveable.load_assets(assets.get(path))
    except Exception as error:
        if saved is not None:
            _restore(saved)
        raise ValueError(
            f"Loading the saved state failed ({type(error).__name__}: {error}); "
            + ("the model keeps its earlier weights." if saved is not None else
               "no model was made.")) from error


def _loads_the_default_way(saveable):
    """Whether ``saveable`` reads ``own_variables`` in order (so the file can be checked
    against them before any read)."""
    from kerlite.layers import Layer

    if _is_optimizer(saveable):
        return not hasattr(saveable, "load_own_variables")
    method = getattr(type(saveable), "load_own_variables", None)
    return method is None or method is getattr(Layer, "load_own_variables", None)


def _load_own(saveable, store):
    if hasattr(saveable, "load_own_variables"):
        saveable.load_own_variables(store)
        return
    for index, variable in enumerate(own_variables(saveable)):
        variable.assign(store[str(index)])


def _mismatches(saveable, path, store):
    """What does not match between ``saveable``'s variables and its group in the file."""
    variables = own_variables(saveable)
    where = _describe(saveable, path)
    if not variables:
        return []
    if store.group is None:
        return [f"no weights stored for {where} (expected group '{store.path}')"]
    expected = {str(index) for index in range(len(variables))}
    if set(store.keys()) != expected:
        return [f"{where} expects {len(variables)} variables but the file holds "
                f"{len(store)} at '{store.path}'"]
    found = []
    for index, variable in enumerate(variables):
        dataset = store.dataset(str(index))
        shape, dtype = tuple(dataset.shape), dataset.dtype
        if shape != tuple(variable.shape):
            found.append(f"{where}: variable {index} ({variable.name}) has shape "
                         f"{tuple(variable.shape)} but the file holds shape {shape}")
        elif not _castable(dtype, variable):
            found.append(f"{where}: variable {index} ({variable.name}) is "
                         f"{variable.dtype} but the file holds {dtype}")
    return found


def _castable(dtype, variable):
    """Floats take any number; integer and bool variables take no floats."""
    kind = str(getattr(variable.data, "dtype", "float32"))
    return dtype.kind != "f" or kind.startswith(("float", "bfloat", "complex"))


def _snapshot(plan):
    return [(variable, variable.data.copy())
            for _, saveable in plan for variable in own_variables(saveable)]


def _restore(saved):
    for variable, value in saved:
        variable.data[...] = value


def _describe(saveable, path):
    name = getattr(saveable, "name", type(saveable).__name__)
    return f"{type(saveable).__name__} '{name}' (at '{path or '/'}')"
