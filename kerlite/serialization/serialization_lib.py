"""Objects <-> plain JSON-able dicts, in the format Keras 3 writes.

An object becomes ``{"module", "class_name", "config", "registered_name"}`` (plus
``build_config`` / ``compile_config`` for layers and models). kerlite writes the
``keras.*`` module names, so Keras 3 can read what kerlite saves, and reads Keras 3's
files by looking each class name up among kerlite's own classes
(``name_resolution``: the only place a name in a file is resolved).

Loading is safe by default (see SECURITY.md): stored code is refused in safe mode, every
value is checked against the load limits of ``kerlite.safe_loading``.
"""

import inspect
import json
import types

import numpy

from kerlite import safe_loading
from kerlite.serialization import name_resolution, object_registration
from kerlite.serialization.name_resolution import (NON_MODELING_FUNCTIONS,  # noqa: F401 (re-exported)
                                            builtin_objects, resolve_function_name)

PLAIN_TYPES = (str, int, float, bool, type(None))


def _public_module(cls):
    """``"keras.layers"`` for a kerlite layer class, ``None`` for a user's class."""
    module = cls.__module__
    if name_resolution.exported_by("kerlite.models", cls):
        return "keras.src.models.functional" if cls.__name__ == "Functional" else "keras"
    for prefix, public in name_resolution.PUBLIC_MODULES:
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
    if _found_by_name(fn):
        # Built-in functions (activations, losses) are saved by name, as Keras does.
        return fn.__name__
    return {"module": fn.__module__, "class_name": "function",
            "config": fn.__name__, "registered_name": fn.__name__}


def _found_by_name(fn):
    """True if loading the bare name of ``fn`` gives ``fn`` itself back (a kerlite
    activation, loss, metric...): then the name alone is what gets saved."""
    try:
        return resolve_function_name(fn.__name__) is fn
    except (TypeError, ValueError):
        return False


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


def deserialize_model(config, custom_objects=None, safe_mode=True, source="config"):
    """The model a saved config describes, or a ValueError: a config that is not an
    object description, or that rebuilds something other than a model (an object that
    trains and has layers: not a function, a list, a number, a layer...), is refused. ``config`` comes from
    ``parse_config_json``, which has already checked its depth."""
    if (not isinstance(config, dict) or not isinstance(config.get("class_name"), str)
            or not isinstance(config.get("config"), dict)
            or config["class_name"].startswith("__") or config["class_name"] == "function"):
        raise ValueError(
            f"The {source} does not describe a model: expected a dict with 'class_name' "
            f"and a 'config' dict, got {name_resolution.preview(config)}.")
    with safe_loading.safe_mode_scope(safe_mode):
        model = deserialize_keras_object(config, custom_objects=custom_objects)
    if not (callable(getattr(model, "fit", None)) and hasattr(model, "layers")):
        raise ValueError(
            f"The {source} describes a {type(model).__name__} "
            f"({config['class_name']!r}), not a model; load_model and model_from_json "
            "only return models.")
    return model


def _deserialize(config, custom_objects, module_objects):
    """The recursive work of deserialize_keras_object (the safe mode is already set)."""
    if isinstance(config, str):
        found = name_resolution.custom_object(config, custom_objects, module_objects)
        return config if found is None else found
    if config is None or isinstance(config, PLAIN_TYPES):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(c, custom_objects, module_objects) for c in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {name_resolution.preview(config)}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom_objects, module_objects)
                for key, value in config.items()}

    class_name, inner = config["class_name"], config["config"]
    if not isinstance(class_name, str):
        raise TypeError("'class_name' must be a string. Received: "
                        f"{name_resolution.preview(class_name)}")
    special = _SPECIAL_VALUES.get(class_name)
    if special is not None:
        return special(inner if inner is not None else {}, custom_objects, module_objects)
    if class_name == "function":
        return name_resolution.lookup_function(config, custom_objects, module_objects)

    cls = name_resolution.lookup_class(config, custom_objects, module_objects)
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
        # Still inside the scope: a custom loss or metric named in the compile config
        # is found through the same custom_objects as the layers (as in Keras 3).
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
