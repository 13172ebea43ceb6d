"""Where custom classes and functions are found when a saved config is loaded.

Three places, searched in this order: the ``custom_objects=`` passed to the loader,
any active ``custom_object_scope``, and the global registry filled by
``@register_keras_serializable``.
"""

import inspect

_GLOBAL_CUSTOM_OBJECTS = {}  # registered name ("Custom>MyLayer") -> class or function
_GLOBAL_CUSTOM_NAMES = {}  # class or function -> registered name
_SCOPE_STACK = []  # dicts pushed by custom_object_scope


class CustomObjectScope:
    """``with custom_object_scope({"MyLayer": MyLayer}):`` makes names loadable inside."""

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _SCOPE_STACK.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _SCOPE_STACK.remove(self.custom_objects)
        return False


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """The global registry (a live dict: adding to it registers an object)."""
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Class/function decorator that registers ``package>name`` for loading.

    Example::

        @keras.saving.register_keras_serializable(package="MyLayers")
        class CustomDense(keras.layers.Layer):
            ...
    """

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError(
                f"Cannot register {arg.__name__}: a class must define get_config() "
                "to be serializable."
            )
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj):
    """The name under which ``obj`` was registered, else its ``__name__``."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Find ``name`` in custom_objects, the active scopes, the registry, then module_objects."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_SCOPE_STACK):
        if name in scope:
            return scope[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
