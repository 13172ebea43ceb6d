"""Where the names in a saved config are resolved, and only here.

A config names classes (``"Dense"``), functions (``{"class_name": "function", "config":
"relu"}``) and Keras 3 operations (``{"module": "keras.src.ops.numpy", "class_name":
"Add"}``). Each resolves through a fixed list, never by importing a module named in the
file or walking attributes:

1. ``custom_objects=``, active ``custom_object_scope``s and ``@register_keras_serializable``;
2. the public *classes* of kerlite's modeling packages (layers, models, losses, metrics,
   optimizers, initializers, regularizers, constraints, activations);
3. for functions, the public functions of activations, losses, metrics, initializers,
   regularizers, constraints and optimizers; saving, loading and I/O functions never;
4. for operations, the registry ``kerlite.ops.saveable_ops``.
"""

import inspect

from kerlite.serialization import object_registration

# kerlite package -> the Keras module name written into configs.
PUBLIC_MODULES = (
    ("kerlite.layers", "keras.layers"),
    ("kerlite.initializers", "keras.initializers"),
    ("kerlite.regularizers", "keras.regularizers"),
    ("kerlite.constraints", "keras.constraints"),
    ("kerlite.optimizers.schedules", "keras.optimizers.schedules"),
    ("kerlite.optimizers", "keras.optimizers"),
    ("kerlite.losses", "keras.losses"),
    ("kerlite.metrics", "keras.metrics"),
    ("kerlite.activations", "keras.activations"),
    ("kerlite.random", "keras.random"),
)


# Public Keras functions that save, load, download or change settings: a file naming one
# is refused (as Keras 3 does), whatever registry it would otherwise be found in.
NON_MODELING_FUNCTIONS = frozenset({
    "load_model", "save_model", "model_from_json", "load_weights", "save_weights",
    "deserialize_keras_object", "serialize_keras_object", "register_keras_serializable",
    "enable_unsafe_deserialization", "set_load_limits", "clear_session", "get_file",
    "load_img", "save_img", "image_dataset_from_directory", "text_dataset_from_directory",
    "audio_dataset_from_directory", "timeseries_dataset_from_array",
})


def preview(value, length=80):
    text = repr(value)
    return text if len(text) <= length else text[:length] + "..."


def custom_object(name, custom_objects, module_objects):
    if not isinstance(name, str):
        return None
    return object_registration.get_registered_object(name, custom_objects, module_objects)


class _KerasOperationCall:
    """Stands for an operation node of a Keras 3 file (``NotEqual``, ``Add``... from
    ``keras.src.ops``, e.g. the mask Keras computes after ``Embedding(mask_zero=True)``).

    The op is found in kerlite's registry of saveable ops (``kerlite.ops.saveable_ops``)
    and nowhere else. Calling it applies the op, with the arguments Keras stored in the
    node's config (``Sum``'s ``axis``), to KerasTensors, which adds an operation node to
    the graph; ``_inbound_nodes`` lists those nodes so that later calls can find their
    outputs, as with a layer.
    """

    def __init__(self, op_name, config=None):
        from kerlite.ops.saveable_ops import saveable_op

        self.function = saveable_op(op_name)
        if self.function is None:
            raise ValueError(
                f"This file uses the Keras operation '{op_name}', which kerlite does not "
                "load from files (only the pure tensor operations of "
                "kerlite.ops.saveable_ops.SAVEABLE_OP_NAMES; never control flow, loops, "
                "I/O or functions of functions).")
        self.op_name = op_name
        self.arguments = {key: value for key, value in (config or {}).items()
                          if key != "name"}
        parameters = inspect.signature(self.function).parameters
        unknown = sorted(set(self.arguments) - set(parameters))
        if unknown:
            raise ValueError(f"The Keras operation '{op_name}' in this file has arguments "
                             f"{unknown} that kerlite's ops.{op_name} does not take.")
        self._inbound_nodes = []

    @classmethod
    def for_class(cls, module, class_name, config=None):
        from kerlite.ops.saveable_ops import op_name_for_keras

        return cls(op_name_for_keras(module, class_name), config)

    def __call__(self, *args, **kwargs):
        arguments = dict(self.arguments)
        if self.op_name == "get_item" and len(args) == 2 and isinstance(args[1], list):
            args = (args[0], tuple(args[1]))  # JSON has no tuples; Keras's GetItem does this
        if self.op_name == "einsum" and "subscripts" in arguments:
            args = (arguments.pop("subscripts"), *args)  # Keras keeps it in the config
        output = self.function(*args, **{**arguments, **kwargs})
        layer, node_index, _ = output._keras_history
        self._inbound_nodes.append(layer._inbound_nodes[node_index])
        return output


def lookup_class(config, custom_objects, module_objects):
    class_name = config["class_name"]
    registered = config.get("registered_name")
    module = config.get("module")
    if isinstance(module, str) and module.startswith("keras.src.ops."):
        return _KerasOperationFactory(module, class_name)
    for name in (registered, class_name):
        found = custom_object(name, custom_objects, module_objects)
        if found is not None:
            return found
    found = builtin_objects(module).get(class_name)
    if found is not None and inspect.isclass(found):
        return found
    raise TypeError(
        f"Could not locate class '{class_name}' (module {module!r}). "
        "kerlite has no built-in class of that name. If it is your own class, pass "
        f"custom_objects={{'{class_name}': {class_name}}} to the loading function, or "
        "decorate the class with @keras.saving.register_keras_serializable()."
    )


class _KerasOperationFactory:
    """What ``from_config`` needs: a Keras op config rebuilds a _KerasOperationCall."""

    def __init__(self, module, class_name):
        self.module, self.class_name = module, class_name

    def from_config(self, config):
        return _KerasOperationCall.for_class(self.module, self.class_name, config)


# The kerlite packages whose public functions a config may name as a "function": the
# same families as Keras's built-in function modules.
_FUNCTION_PACKAGES = {
    "keras.activations": "kerlite.activations", "keras.losses": "kerlite.losses",
    "keras.metrics": "kerlite.metrics", "keras.initializers": "kerlite.initializers",
    "keras.regularizers": "kerlite.regularizers", "keras.constraints": "kerlite.constraints",
    "keras.optimizers": "kerlite.optimizers",
}
# The public functions of these packages are their modeling functions (relu, mse...;
# the metrics also name the loss functions, as in Keras): helpers they use are imported
# under private names (tests/test_no_module_name_switches.py checks it), and these three
# are the packages' own lookup functions, never a model's.
_NOT_FUNCTIONS_OF_MODELS = ("get", "serialize", "deserialize")


def resolve_function_name(name, custom_objects=None):
    """The function a config names by a plain string (kerlite saves its built-in
    functions so: ``"relu"``), found as a ``"function"`` reference is."""
    return lookup_function({"config": name, "registered_name": name, "module": None},
                            custom_objects, None)


def lookup_function(config, custom_objects, module_objects):
    """A ``{"class_name": "function", "config": name}`` reference: a custom or registered
    function, else a public activation/loss/metric/initializer... function. Saving,
    loading and I/O functions are never returned."""
    name, registered, module = config["config"], config.get("registered_name"), \
        config.get("module")
    if not isinstance(name, str):
        raise TypeError(f"Expected 'config' to be a function name (a string) for a "
                        f"function, got {preview(name)}.")
    for candidate in (name, registered):
        found = custom_object(candidate, custom_objects, module_objects)
        if found is not None:
            return found
    if name.rpartition(".")[2] in NON_MODELING_FUNCTIONS:
        raise ValueError(
            f"Cannot deserialize the function `{module}.{name}` because it is not a "
            "modeling function. Saving, loading and I/O functions are never loaded from "
            "a file, for security; a model config may only name operations, layers, "
            "activations, losses, metrics... or registered custom objects and functions.")
    preferred = _FUNCTION_PACKAGES.get(module)
    for package in ([preferred] if preferred else []) + list(_FUNCTION_PACKAGES.values()):
        found = _package_objects(package).get(name)
        if inspect.isfunction(found) and name not in _NOT_FUNCTIONS_OF_MODELS:
            return found
    raise TypeError(
        f"Could not locate function '{name}'. If it is your own function, pass "
        f"custom_objects={{'{name}': {name}}} to the loading function, or decorate "
        "it with @keras.saving.register_keras_serializable().")


_PACKAGES = ("kerlite.layers", "kerlite.models", "kerlite.activations", "kerlite.losses",
             "kerlite.metrics", "kerlite.initializers", "kerlite.regularizers",
             "kerlite.constraints", "kerlite.optimizers", "kerlite.optimizers.schedules")
_BY_PACKAGE = {}


def _package_objects(package):
    """Public classes and functions of one kerlite package, by name (cached)."""
    if package not in _BY_PACKAGE:
        import importlib

        try:
            module = importlib.import_module(package)
        except ImportError:
            return {}
        _BY_PACKAGE[package] = {
            name: value for name, value in vars(module).items()
            if not name.startswith("_") and callable(value)
        }
    return _BY_PACKAGE[package]


def exported_by(package, obj):
    """True if kerlite's ``package`` exports ``obj`` itself under its own name."""
    return _package_objects(package).get(getattr(obj, "__name__", None)) is obj


def builtin_objects(module=None):
    """Public kerlite classes by name; ``module`` (as Keras writes it, e.g.
    ``"keras.metrics"``) is searched first, so a metric and a loss of the same name are
    told apart. Only classes: functions are found by ``_lookup_function``."""
    found = {}
    preferred = [kerlite for kerlite, public in PUBLIC_MODULES if public == module]
    for package in preferred + list(_PACKAGES):
        for name, value in _package_objects(package).items():
            if inspect.isclass(value):
                found.setdefault(name, value)
    from kerlite.random import SeedGenerator

    found.setdefault("SeedGenerator", SeedGenerator)
    return found
