"""A layer's configuration: the arguments that re-create it (``get_config``/``from_config``).

Mixed into ``Layer``. The format is Keras 3's, so kerlite and Keras read each other's
saved models. A user layer that does not write ``get_config`` gets one automatically
from the arguments it was created with (as Keras does).
"""

import inspect


class ConfigMixin:
    """get_config, from_config, get_build_config, build_from_config."""

    def get_config(self):
        """The constructor arguments as a JSON-able dict (subclasses add theirs)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": {"module": "keras", "class_name": "DTypePolicy",
                            "config": {"name": self._dtype}, "registered_name": None}}
        if self.activity_regularizer is not None:
            from kerlite import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if _has_automatic_config(type(self)):
            config.update(_automatic_config(self))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name")
        check_name_and_dtype(cls, config)
        return cls(**config)

    def get_build_config(self):
        if self._build_input_shape is not None:
            return {"input_shape": self._build_input_shape}
        return None

    def build_from_config(self, config):
        if config and "input_shape" in config:
            self.build(config["input_shape"])


# The dtypes a layer config may name: Keras 3's list, plus "str" (older kerlite files
# named text so).
# NumPy would also take "object", "V1073741824", "(1073741824,)f4"... which no model needs.
CONFIG_DTYPES = frozenset({
    "float16", "float32", "float64", "bfloat16", "uint8", "uint16", "uint32", "uint64",
    "int8", "int16", "int32", "int64", "bool", "string", "str", "float8_e4m3fn",
    "float8_e5m2", "complex64", "complex128",
})


def check_name_and_dtype(cls, config):
    """Refuse a config whose layer name or dtype Keras 3 would refuse (a file chose them).

    A name is a string without "/" (it becomes part of weight paths); a dtype is one of
    ``CONFIG_DTYPES``: an object dtype would make weights and outputs arrays of Python objects.
    """
    name, dtype = config.get("name"), config.get("dtype")
    if name is not None and (not isinstance(name, str) or "/" in name):
        raise ValueError(
            f"Invalid config for a {cls.__name__} layer: its `name` must be a string without "
            f"'/'. Received: name={name!r}")
    if dtype is not None and (not isinstance(dtype, str) or dtype not in CONFIG_DTYPES):
        raise ValueError(
            f"Invalid config for the {cls.__name__} layer {name!r}: dtype={dtype!r} is not a "
            f"Keras dtype. Use one of {sorted(CONFIG_DTYPES)}.")


def _has_automatic_config(cls):
    """Whether ``cls`` gets Keras's automatic config: a class that does not write its own
    ``get_config``, unless its own body says ``_base_config_only = True`` (the few
    built-in layers whose arguments are all in the base config: ``Identity``, ``Add``...).
    A user's subclass of those does not inherit the mark, as Keras looks at each class."""
    return (cls.get_config is ConfigMixin.get_config
            and not cls.__dict__.get("_base_config_only", False))


def _automatic_config(layer):
    """Keras's automatic config: the arguments of ``__init__`` the layer was created with,
    defaults included (as Keras 3), except ``name``, which the base config gives."""
    args, kwargs = layer._init_arguments
    signature = inspect.signature(type(layer).__init__)
    try:
        bound = signature.bind(layer, *args, **kwargs)
    except TypeError:
        return {}
    bound.apply_defaults()
    config = {}
    for key, value in list(bound.arguments.items())[1:]:
        parameter = signature.parameters[key]
        if parameter.kind == parameter.VAR_KEYWORD:
            config.update(value)
        elif parameter.kind != parameter.VAR_POSITIONAL:
            config[key] = value
    config.pop("name", None)
    return config
