"""Objects <-> plain JSON-able dicts, in the format Keras 3 writes.

An object becomes ``{"module", "class_name", "config", "registered_name"}`` (plus
``build_config`` / ``compile_config`` for layers and models). kerlite writes the
``keras.*`` module names, so Keras 3 can read what kerlite saves, and reads Keras 3's
files by looking each class name up among kerlite's own classes.
"""

import inspect
import types

import numpy

from kerlite import config as config_module
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
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
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


_SAFE_MODE = [True]  # the innermost load's safe_mode, for nested from_config calls


def in_safe_mode():
    """Whether the load in progress refuses stored code (True outside any load)."""
    return _SAFE_MODE[-1]


class UnsafeLoadError(ValueError):
    """Raised when a file asks to run stored Python code while safe_mode is on."""


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuild the object that ``serialize_keras_object`` described.

    Unknown classes raise a TypeError naming the class and how to provide it
    (``custom_objects=`` or ``@register_keras_serializable``). Stored Python code
    (lambdas) is refused unless ``safe_mode=False``.
    """
    module_objects = kwargs.pop("module_objects", None)
    if config_module.unsafe_deserialization_enabled():
        safe_mode = False
    _SAFE_MODE.append(bool(safe_mode) and _SAFE_MODE[-1] if len(_SAFE_MODE) > 1
                      else bool(safe_mode))
    try:
        return _deserialize(config, custom_objects, _SAFE_MODE[-1], module_objects)
    finally:
        _SAFE_MODE.pop()


def _deserialize(config, custom_objects, safe_mode, module_objects):
    if config is None or isinstance(config, PLAIN_TYPES) and not isinstance(config, str):
        return config
    if isinstance(config, str):
        return _lookup_function_or_class(config, custom_objects, module_objects)
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects, safe_mode)
                if isinstance(value, (dict, list)) else value
                for key, value in config.items()}

    class_name, inner = config["class_name"], config["config"]
    if class_name == "__numpy__":
        return numpy.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name in ("__tensor__",):
        from kerlite import ops

        return ops.convert_to_tensor(numpy.array(inner["value"], dtype=inner["dtype"]))
    if class_name == "__lambda__":
        if safe_mode:
            raise UnsafeLoadError(
                "Requested the deserialization of a Python lambda (its bytecode is "
                "stored in the file). Running code from a file is unsafe, so it is "
                "refused in safe mode. If you trust the file, load it with "
                "`safe_mode=False`; better, replace the lambda with a named function "
                "registered with @keras.saving.register_keras_serializable()."
            )
        return _load_function(inner)
    if class_name == "function":
        name = config.get("registered_name") or inner
        return _lookup_function_or_class(name, custom_objects, module_objects,
                                         fallback=inner)

    cls = _lookup_class(config, custom_objects, module_objects)
    inner = _clean_inner_config(inner, class_name)
    if hasattr(cls, "from_config"):
        with object_registration.custom_object_scope(custom_objects or {}):
            parameters = inspect.signature(cls.from_config).parameters
            if "custom_objects" in parameters:
                instance = cls.from_config(inner, custom_objects=custom_objects)
            else:
                instance = cls.from_config(inner)
    else:
        instance = cls(**inner)
    build_config = config.get("build_config")
    if build_config and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(instance, "compile_from_config"):
        instance.compile_from_config(compile_config)
    return instance


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

    Calling it applies the kerlite op of the same name to KerasTensors, which adds an
    operation node to the graph; ``_inbound_nodes`` lists those nodes so that later
    calls can find their outputs, as with a layer.
    """

    def __init__(self, op_name):
        from kerlite import ops

        if not hasattr(ops, op_name):
            raise TypeError(
                f"This file uses the Keras operation '{op_name}', which kerlite.ops does "
                "not have."
            )
        self.function = getattr(ops, op_name)
        self._inbound_nodes = []

    @classmethod
    def for_class(cls, class_name):
        from kerlite.utils.naming import to_snake_case

        return cls(to_snake_case(class_name))

    def __call__(self, *args, **kwargs):
        output = self.function(*args, **kwargs)
        layer, node_index, _ = output._keras_history
        self._inbound_nodes.append(layer._inbound_nodes[node_index])
        return output


def _lookup_class(config, custom_objects, module_objects):
    class_name = config["class_name"]
    registered = config.get("registered_name")
    if str(config.get("module", "")).startswith("keras.src.ops."):
        return _KerasOperationFactory(class_name)
    for name in (registered, class_name):
        if name:
            found = object_registration.get_registered_object(
                name, custom_objects, module_objects)
            if found is not None:
                return found
    found = builtin_objects(config.get("module")).get(class_name)
    if found is not None and inspect.isclass(found):
        return found
    raise TypeError(
        f"Could not locate class '{class_name}' (module {config.get('module')!r}). "
        "kerlite has no built-in class of that name. If it is your own class, pass "
        f"custom_objects={{'{class_name}': {class_name}}} to the loading function, or "
        "decorate the class with @keras.saving.register_keras_serializable()."
    )


class _KerasOperationFactory:
    """What ``from_config`` needs: a Keras op config rebuilds a _KerasOperationCall."""

    def __init__(self, class_name):
        self.class_name = class_name

    def from_config(self, config):
        return _KerasOperationCall.for_class(self.class_name)


def _lookup_function_or_class(name, custom_objects, module_objects, fallback=None):
    found = object_registration.get_registered_object(name, custom_objects, module_objects)
    if found is None:
        found = builtin_objects().get(name)
    if found is None and fallback is not None and fallback != name:
        found = builtin_objects().get(fallback)
    if found is None:
        raise TypeError(
            f"Could not locate function '{name}'. If it is your own function, pass "
            f"custom_objects={{'{name}': {name}}} to the loading function, or decorate "
            "it with @keras.saving.register_keras_serializable()."
        )
    return found


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
    """Public kerlite classes and functions by name; ``module`` (as Keras writes it,
    e.g. ``"keras.metrics"``) is searched first, so a metric and a loss of the same
    name are told apart."""
    found = {}
    preferred = [kerlite for kerlite, public in _PUBLIC_MODULES if public == module]
    for package in preferred + list(_PACKAGES):
        for name, value in _package_objects(package).items():
            found.setdefault(name, value)
    from kerlite.random import SeedGenerator

    found.setdefault("SeedGenerator", SeedGenerator)
    return found
