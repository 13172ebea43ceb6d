"""Objects <-> plain JSON-able dicts, in the format Keras 3 writes.

An object becomes ``{"module", "class_name", "config", "registered_name"}`` (plus
``build_config`` / ``compile_config`` for layers and models). kerlite writes the
``keras.*`` module names, so Keras 3 can read what kerlite saves, and reads Keras 3's
files by looking each class name up among kerlite's own classes.
"""

import inspect
import json
import types

import numpy

from kerlite import safe_loading
from kerlite.saving import object_registration

PLAIN_TYPES = (str, int, float, bool, type(None))

# kerlite package -> the Keras module name written into configs.
_PUBLIC_MODULES = (
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


def _public_module(cls):
    """``"keras.layers"`` for a kerlite layer class, ``None`` for a user's class."""
    module = cls.__module__
    if cls.__name__ == "Functional" and module.startswith("kerlite."):
        return "keras.src.models.functional"
    if cls.__name__ in ("Sequential", "Model") and module.startswith("kerlite."):
        return "keras"
    for prefix, public in _PUBLIC_MODULES:
        if module.startswith(prefix + ".") or module == prefix:
            return public
    return None


def serialize_keras_object(obj):
    """A JSON-able description of ``obj`` that ``deserialize_keras_object`` turns back."""
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(item) for item in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, numpy.generic):
        return obj.item()
    if isinstance(obj, numpy.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if _is_keras_tensor(obj):
        history = list(obj._keras_history)
        history[0] = history[0].name
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(obj.shape), "dtype": obj.dtype,
                           "keras_history": history}}
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return {"class_name": "__lambda__", "config": _dump_function(obj)}
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    return _serialize_instance(obj)


def _is_keras_tensor(obj):
    return type(obj).__name__ == "KerasTensor" and hasattr(obj, "_keras_history")


def _serialize_function(fn):
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(fn)
    if registered is not None:
        return {"module": fn.__module__, "class_name": "function",
                "config": registered, "registered_name": registered}
    if fn.__module__.startswith("kerlite."):
        # Built-in functions (activations, losses) are saved by name, as Keras does.
        return fn.__name__
    return {"module": fn.__module__, "class_name": "function",
            "config": fn.__name__, "registered_name": fn.__name__}


def _serialize_instance(obj):
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r} of type {type(obj).__name__}: to be "
            "serializable, a class must implement get_config()."
        )
    inner = obj.get_config()
    if not isinstance(inner, dict):
        raise TypeError(
            f"The get_config() method of {type(obj).__name__} should return a dict. "
            f"It returned: {inner!r}"
        )
    cls = type(obj)
    registered = _registered_name_of(cls)
    module = _public_module(cls) if registered is None else cls.__module__
    config = {
        "module": module if module is not None else cls.__module__,
        # a class whose public Keras name differs from its class name says so itself
        "class_name": cls.__dict__.get("_keras_class_name", cls.__name__),
        "config": serialize_keras_object(inner),
        "registered_name": registered if registered or module else cls.__name__,
    }
    if module == "keras.src.models.functional":
        config["registered_name"] = "Functional"
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        config["build_config"] = serialize_keras_object(build_config)
    compile_config = getattr(obj, "get_compile_config", lambda: None)()
    if compile_config is not None:
        config["compile_config"] = serialize_keras_object(compile_config)
    return config


def _registered_name_of(cls):
    """The registered name of ``cls``, or of the class it was made from under the same
    name (a registered Model subclass built with inputs/outputs becomes a Functional
    twin of that name)."""
    for klass in cls.__mro__:
        if klass.__name__ != cls.__name__:
            return None
        if klass in object_registration._GLOBAL_CUSTOM_NAMES:
            return object_registration._GLOBAL_CUSTOM_NAMES[klass]
    return None


def _dump_function(fn):
    """A lambda's bytecode as text (loading it back needs ``safe_mode=False``)."""
    import base64
    import marshal

    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    return {"code": code, "defaults": fn.__defaults__, "closure": None}


def _load_function(config):
    import base64
    import marshal

    code = marshal.loads(base64.b64decode(config["code"]))
    defaults = config.get("defaults")
    return types.FunctionType(code, globals(), None,
                              tuple(defaults) if defaults else None)


def in_safe_mode():
    """Whether the load in progress refuses stored code: True/False inside a load, None
    outside one (then loads default to safe), as Keras's ``in_safe_mode``."""
    return safe_loading.in_safe_mode()


class UnsafeLoadError(ValueError):
    """Raised when a file asks to run stored Python code while safe_mode is on."""


# Public Keras functions that save, load, download or change settings: a file naming one
# is refused (as Keras 3 does), whatever registry it would otherwise be found in.
NON_MODELING_FUNCTIONS = frozenset({
    "load_model", "save_model", "model_from_json", "load_weights", "save_weights",
    "deserialize_keras_object", "serialize_keras_object", "register_keras_serializable",
    "enable_unsafe_deserialization", "set_load_limits", "clear_session", "get_file",
    "load_img", "save_img", "image_dataset_from_directory", "text_dataset_from_directory",
    "audio_dataset_from_directory", "timeseries_dataset_from_array",
})


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuild the object that ``serialize_keras_object`` described.

    As in Keras 3: a plain string comes back unchanged unless it names a custom or
    registered object; unknown classes raise a TypeError naming the class and how to
    provide it (``custom_objects=`` or ``@register_keras_serializable``). Stored Python
    code (lambdas) is refused unless ``safe_mode=False``. Inside a load in progress the
    load's safe mode applies (a nested ``safe_mode=False`` cannot switch it off).
    """
    module_objects = kwargs.pop("module_objects", None)
    if safe_loading.loading_in_progress():
        return _deserialize(config, custom_objects, module_objects)
    safe_loading.check_json_depth(config)
    with safe_loading.safe_mode_scope(safe_mode):
        return _deserialize(config, custom_objects, module_objects)


def parse_config_json(text, source="config"):
    """``json.loads`` with the depth limit: a clear ValueError, never a RecursionError."""
    try:
        config = json.loads(text)
    except RecursionError:
        raise safe_loading.limit_error(
            "max_json_depth", "more than Python can parse",
            f"a {source} nested deeper than Python's recursion limit") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"The {source} is not valid JSON ({error}).") from error
    safe_loading.check_json_depth(config, source)
    return config


def deserialize_model(config, model_class, custom_objects=None, safe_mode=True,
                      source="config"):
    """The model a saved config describes, or a ValueError: a config that is not an
    object description, or that rebuilds something other than a ``model_class``
    (a function, a list, a number, a layer...), is refused."""
    safe_loading.check_json_depth(config, source)
    if (not isinstance(config, dict) or not isinstance(config.get("class_name"), str)
            or not isinstance(config.get("config"), dict)
            or config["class_name"].startswith("__") or config["class_name"] == "function"):
        raise ValueError(
            f"The {source} does not describe a model: expected a dict with 'class_name' "
            f"and a 'config' dict, got {_preview(config)}.")
    with safe_loading.safe_mode_scope(safe_mode):
        model = deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(model, model_class):
        raise ValueError(
            f"The {source} describes a {type(model).__name__} "
            f"({config['class_name']!r}), not a model; load_model and model_from_json "
            "only return models.")
    return model


def _preview(value, length=80):
    text = repr(value)
    return text if len(text) <= length else text[:length] + "..."


def _custom_object(name, custom_objects, module_objects):
    if not isinstance(name, str):
        return None
    return object_registration.get_registered_object(name, custom_objects, module_objects)


def _deserialize(config, custom_objects, module_objects):
    """The recursive work of deserialize_keras_object (the safe mode is already set)."""
    if isinstance(config, str):
        found = _custom_object(config, custom_objects, module_objects)
        return config if found is None else found
    if config is None or isinstance(config, PLAIN_TYPES):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(c, custom_objects, module_objects) for c in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {_preview(config)}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom_objects, module_objects)
                for key, value in config.items()}

    class_name, inner = config["class_name"], config["config"]
    if not isinstance(class_name, str):
        raise TypeError(f"'class_name' must be a string. Received: {_preview(class_name)}")
    special = _SPECIAL_VALUES.get(class_name)
    if special is not None:
        return special(inner if inner is not None else {}, custom_objects, module_objects)
    if class_name == "function":
        return _lookup_function(config, custom_objects, module_objects)

    cls = _lookup_class(config, custom_objects, module_objects)
    if isinstance(cls, types.FunctionType):  # a registered function saved as a class
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Unable to reconstruct an instance of '{class_name}' because the class is "
            "missing a `from_config()` method.")
    inner = _clean_inner_config(inner if inner is not None else {}, class_name)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name}, instead got "
                        f"{type(inner).__name__}.")
    with object_registration.custom_object_scope(custom_objects or {}):
        parameters = inspect.signature(cls.from_config).parameters
        if "custom_objects" in parameters:
            instance = cls.from_config(inner, custom_objects=custom_objects)
        else:
            instance = cls.from_config(inner)
    build_config = config.get("build_config")
    if build_config and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(instance, "compile_from_config"):
        instance.compile_from_config(compile_config)
    return instance


# Plain dtypes a stored array may have: booleans, numbers, fixed-size strings.
_ARRAY_DTYPE_KINDS = frozenset("biufcUS")


def _stored_array(inner, kind):
    """A ``__numpy__`` / ``__tensor__`` value as a NumPy array, checked: a plain dtype (no
    object, sub-array or structured dtype) and at most ``max_array_bytes``."""
    if not isinstance(inner, dict) or not isinstance(inner.get("dtype"), str):
        raise ValueError(f"A stored {kind} value needs a 'value' and a 'dtype' name.")
    try:
        dtype = numpy.dtype(inner["dtype"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"A stored {kind} value has an unknown dtype "
                         f"{inner['dtype']!r} ({error}).") from None
    if dtype.kind not in _ARRAY_DTYPE_KINDS or dtype.subdtype is not None or dtype.names:
        raise ValueError(
            f"A stored {kind} value asks for the dtype {inner['dtype']!r}; only plain "
            "bool, integer, float, complex and string dtypes are loaded (no object, "
            "structured or sub-array dtypes).")
    try:
        raw = numpy.array(inner.get("value"))
    except ValueError as error:
        raise ValueError(f"A stored {kind} value is not a rectangular array ({error}).") \
            from None
    if raw.dtype.kind not in _ARRAY_DTYPE_KINDS:
        raise ValueError(f"A stored {kind} value holds {raw.dtype} data, not numbers or "
                         "strings.")
    safe_loading.check_array_bytes(raw.size * max(dtype.itemsize, 1),
                                   f"a stored {kind} value of {raw.size} x {dtype}")
    return raw.astype(dtype)


def _numpy_value(inner, custom_objects, module_objects):
    return _stored_array(inner, "__numpy__")


def _tensor_value(inner, custom_objects, module_objects):
    from kerlite import ops

    return ops.convert_to_tensor(_stored_array(inner, "__tensor__"))


def _bytes_value(inner, custom_objects, module_objects):
    if not isinstance(inner, dict) or not isinstance(inner.get("value"), str):
        raise ValueError("A stored __bytes__ value needs a 'value' string.")
    return inner["value"].encode("utf-8")


def _slice_value(inner, custom_objects, module_objects):
    parts = [inner.get(key) if isinstance(inner, dict) else None
             for key in ("start", "stop", "step")]
    for part in parts:
        if part is not None and not isinstance(part, int):
            raise ValueError(f"A stored __slice__ needs int or null bounds. Received: {parts}")
    return slice(*parts)


def _ellipsis_value(inner, custom_objects, module_objects):
    return Ellipsis


def _lambda_value(inner, custom_objects, module_objects):
    if safe_loading.in_safe_mode() is not False:
        raise UnsafeLoadError(
            "Requested the deserialization of a Python lambda (its bytecode is stored in "
            "the file). Running code from a file is unsafe, so it is refused in safe "
            "mode. If you trust the file, load it with `safe_mode=False` or call "
            "`keras.config.enable_unsafe_deserialization()`; better, replace the lambda "
            "with a named function registered with "
            "@keras.saving.register_keras_serializable().")
    return _load_function(inner)


_SPECIAL_VALUES = {
    "__numpy__": _numpy_value, "__tensor__": _tensor_value, "__bytes__": _bytes_value,
    "__slice__": _slice_value, "__ellipsis__": _ellipsis_value, "__lambda__": _lambda_value,
}


# Options of Keras 3 that kerlite does not implement, with the value that means "off".
# A file that uses them at that value loads; any other value is refused by name.
_KERAS_ONLY_OPTIONS = {
    "quantization_config": None,
    "synchronized": False,
    "renorm": False,
    "renorm_clipping": None,
    "renorm_momentum": 0.99,
    "ragged": False,
    "optional": False,
    "lora_rank": None,
    "lora_alpha": None,
}


def _clean_inner_config(inner, class_name=""):
    """Adapt a Keras 3 config to kerlite: DTypePolicy dicts become dtype names, and
    Keras-only options at their "off" value are dropped."""
    if not isinstance(inner, dict):
        return inner
    inner = dict(inner)
    dtype = inner.get("dtype")
    if isinstance(dtype, dict) and dtype.get("class_name", "").endswith("DTypePolicy"):
        inner["dtype"] = dtype["config"]["name"]
    for option, off in _KERAS_ONLY_OPTIONS.items():
        if option in inner:
            if inner[option] != off:
                raise ValueError(
                    f"{class_name} uses the Keras option {option}={inner[option]!r}, "
                    "which kerlite does not implement. Save the model without it."
                )
            del inner[option]
    return inner


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


def _lookup_class(config, custom_objects, module_objects):
    class_name = config["class_name"]
    registered = config.get("registered_name")
    module = config.get("module")
    if isinstance(module, str) and module.startswith("keras.src.ops."):
        return _KerasOperationFactory(module, class_name)
    for name in (registered, class_name):
        found = _custom_object(name, custom_objects, module_objects)
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
_NOT_FUNCTIONS_OF_MODELS = ("get", "serialize", "deserialize")


def resolve_function_name(name, custom_objects=None):
    """The function a config names by a plain string (kerlite saves its built-in
    functions so: ``"relu"``), found as a ``"function"`` reference is."""
    return _lookup_function({"config": name, "registered_name": name, "module": None},
                            custom_objects, None)


def _lookup_function(config, custom_objects, module_objects):
    """A ``{"class_name": "function", "config": name}`` reference: a custom or registered
    function, else a public activation/loss/metric/initializer... function. Saving,
    loading and I/O functions are never returned."""
    name, registered, module = config["config"], config.get("registered_name"), \
        config.get("module")
    if not isinstance(name, str):
        raise TypeError(f"Expected 'config' to be a function name (a string) for a "
                        f"function, got {_preview(name)}.")
    for candidate in (name, registered):
        found = _custom_object(candidate, custom_objects, module_objects)
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
        if (inspect.isfunction(found) and found.__module__.startswith(package)
                and name not in _NOT_FUNCTIONS_OF_MODELS):
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


def builtin_objects(module=None):
    """Public kerlite classes by name; ``module`` (as Keras writes it, e.g.
    ``"keras.metrics"``) is searched first, so a metric and a loss of the same name are
    told apart. Only classes: functions are found by ``_lookup_function``."""
    found = {}
    preferred = [kerlite for kerlite, public in _PUBLIC_MODULES if public == module]
    for package in preferred + list(_PACKAGES):
        for name, value in _package_objects(package).items():
            if inspect.isclass(value):
                found.setdefault(name, value)
    from kerlite.random import SeedGenerator

    found.setdefault("SeedGenerator", SeedGenerator)
    return found
