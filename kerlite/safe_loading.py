"""The state of a load in progress: its safe mode and the limits a file must respect.

A model file is untrusted input. While ``load_model`` / ``model_from_json`` /
``deserialize_keras_object`` run, two things hold here:

- **Safe mode**, a per-thread (context-variable) setting. A nested load may make it
  stricter but never looser: a ``load_model(..., safe_mode=False)`` reached from inside a
  safe load stays safe, and one thread loading unsafely changes nothing for the others.
  ``keras.config.enable_unsafe_deserialization()`` switches safe mode off for the
  calling thread only, as in Keras 3 (which keeps it in thread-local state).
- **Limits** on what a file may ask for: JSON nesting depth, the bytes of any one
  array it makes the loader create, and the work of one matrix product. Past a limit
  the load stops with a ValueError that names the limit and says how to raise it for a
  trusted file::

      keras.config.set_load_limits(max_array_bytes=8 * 2**30)

This module imports nothing from kerlite, so every layer of the library may ask it.
"""

import contextlib
import contextvars
import threading

DEFAULT_LOAD_LIMITS = {
    # nesting of lists/dicts in a config.json (a functional model uses about 8 per level
    # of nested model; 200 leaves room for 20 nested models)
    "max_json_depth": 200,
    # bytes of any one array a file makes the loader allocate: a weight, a stored NumPy
    # value, a creation op (ops.ones((10**6, 10**6))), a tiled or resized tensor...
    "max_array_bytes": 2**30,
    # multiply-adds of one matmul/dot/einsum that loading runs on stand-in zeros to learn
    # its output shape (2**34: some seconds of NumPy)
    "max_operation_flops": 2**34,
}
_limits = dict(DEFAULT_LOAD_LIMITS)

_thread_settings = threading.local()  # .unsafe: enable_unsafe_deserialization() was called
_load_safe_mode = contextvars.ContextVar("kerlite_load_safe_mode", default=None)


def enable_unsafe_deserialization():
    """Let loads in this thread run Python code stored in files (lambdas). Trusted files only."""
    _thread_settings.unsafe = True


def disable_unsafe_deserialization():
    """Undo ``enable_unsafe_deserialization()`` for this thread (kerlite only)."""
    _thread_settings.unsafe = False


def unsafe_deserialization_enabled():
    return getattr(_thread_settings, "unsafe", False)


def in_safe_mode():
    """The safe mode of the load in progress in this context, as Keras's ``in_safe_mode``:
    True or False inside a load; outside any load False after
    ``enable_unsafe_deserialization()``, else None (then loads default to safe)."""
    current = _load_safe_mode.get()
    if current is None and unsafe_deserialization_enabled():
        return False
    return current


def loading_in_progress():
    return _load_safe_mode.get() is not None


@contextlib.contextmanager
def safe_mode_scope(safe_mode=True):
    """Run a load with ``safe_mode``: it can make an enclosing load safer, never less safe.

    Outside any load, ``enable_unsafe_deserialization()`` makes every load unsafe (as in
    Keras 3, where it overrides the ``safe_mode`` argument).
    """
    outer = _load_safe_mode.get()
    if outer is None:
        effective = bool(safe_mode) and not unsafe_deserialization_enabled()
    else:
        effective = outer or bool(safe_mode)
    token = _load_safe_mode.set(effective)
    try:
        yield effective
    finally:
        _load_safe_mode.reset(token)


def load_limit(name):
    return _limits[name]


def set_load_limits(**limits):
    """Raise (or lower) the limits on what a loaded file may ask for (None: the default).

    ``max_json_depth``: nesting depth of a config.json; ``max_array_bytes``: bytes of
    any one array a file makes the loader create; ``max_operation_flops``: multiply-adds
    of one matmul/dot/einsum run while loading. Raise them only for files you trust.
    """
    for name, value in limits.items():
        if name not in DEFAULT_LOAD_LIMITS:
            raise ValueError(f"Unknown load limit {name!r}. Known: {sorted(DEFAULT_LOAD_LIMITS)}.")
        if value is None:
            value = DEFAULT_LOAD_LIMITS[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")
    for name, value in limits.items():
        _limits[name] = DEFAULT_LOAD_LIMITS[name] if value is None else value


def get_load_limits():
    """The current limits, as a dict (a copy)."""
    return dict(_limits)


def limit_error(name, requested, what):
    """The ValueError for ``what`` asking ``requested`` past the limit ``name``."""
    suggestion = requested * 2 if isinstance(requested, int) else _limits[name] * 10
    return ValueError(
        f"The file asks for {what}, beyond the load limit {name}={_limits[name]} "
        f"(requested: {requested}). This protects against hostile files that exhaust "
        "memory, time or the stack. If you trust the file, raise the limit before loading, "
        f"e.g. `keras.config.set_load_limits({name}={suggestion})`.")


def check_array_bytes(n_bytes, what):
    """Refuse one array of ``n_bytes`` bytes past ``max_array_bytes``."""
    if n_bytes > _limits["max_array_bytes"]:
        raise limit_error("max_array_bytes", int(n_bytes), what)


def check_operation_flops(flops, what):
    """Refuse one operation of ``flops`` multiply-adds past ``max_operation_flops``."""
    if flops > _limits["max_operation_flops"]:
        raise limit_error("max_operation_flops", int(flops), what)


def check_json_depth(structure, what="config"):
    """Refuse a decoded JSON structure nested deeper than ``max_json_depth`` (iterative:
    a deep structure cannot make this check itself overflow the stack)."""
    limit = _limits["max_json_depth"]
    stack = [(structure, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth > limit:
            raise limit_error("max_json_depth", depth, f"a {what} nested {depth} levels deep")
        stack.extend((child, depth + 1) for child in children)
