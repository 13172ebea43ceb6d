"""The state of a load in progress: its safe mode, and every limit on what a file may ask for.

A model file, a weights file, a downloaded archive or a cached dataset is untrusted input.
Two things hold here, for all of kerlite:

- **Safe mode**, a per-thread (context-variable) setting. A nested load may make it
  stricter but never looser: a ``load_model(..., safe_mode=False)`` reached from inside a
  safe load stays safe, and one thread loading unsafely changes nothing for the others.
  ``keras.config.enable_unsafe_deserialization()`` switches safe mode off for the
  calling thread only, as in Keras 3 (which keeps it in thread-local state).
- **Limits**, the table ``LOAD_LIMITS`` below: each bounds one thing a file may make
  kerlite allocate, unpack, compute or recurse into. Every check reads the limit in force
  at the moment it runs. Past a limit, the refusal names the limit and shows the call that
  raises it; for a file you trust, that one call is all it takes::

      keras.config.set_load_limits(max_array_bytes=8 * 2**30)   # None restores a default

This module imports nothing from kerlite, so every layer of the library may ask it.
"""

import contextlib
import contextvars
import threading
from collections import namedtuple

Limit = namedtuple("Limit", ["default", "bounds"])

LOAD_LIMITS = {
    # --- model files: .keras zips, saved folders, model JSON, .weights.h5 ---------------
    # (a functional model takes about 8 JSON levels per nested model: 200 allows 20)
    "max_json_depth": Limit(200, "nesting depth of lists/dicts in a model config"),
    "max_json_bytes": Limit(64 * 2**20, "bytes of config.json or metadata.json"),
    # one limit for every array a file makes kerlite create: a weight (as a variable or
    # as an HDF5 dataset), a stored __numpy__ value, the output of an op a config names
    # (ones, tile, image.resize...), one array of a dataset .npz
    "max_array_bytes": Limit(2**30, "bytes of any one array that reading a file creates"),
    # matmul/dot/einsum run on stand-in zeros while loading, to learn output shapes
    "max_operation_flops": Limit(2**34, "multiply-adds of one product run while loading"),
    # RepeatVector, UpSampling, ZeroPadding, Resizing, CategoryEncoding, Conv*DTranspose:
    # checked whenever such a layer is built (from a file or from code), because the
    # memory is spent later, per sample, by predict; hence apart from max_array_bytes
    "max_sample_bytes": Limit(2**30, "bytes of one sample of a layer's output"),
    "max_zip_member_bytes": Limit(4 * 2**30, "unpacked bytes of one .keras zip member"),
    # checked for members over 1 MiB; Keras stores members uncompressed and DEFLATE
    # cannot pass about 1032:1, so a high ratio is a zip bomb
    "max_zip_compression_ratio": Limit(100, "unpacked/stored bytes of one .keras member"),
    "max_zip_members": Limit(10_000, "members of one .keras zip"),
    "max_assets_bytes": Limit(2**30, "bytes of all files under assets/ of a .keras zip"),
    # --- downloads and datasets: keras.utils.get_file, keras.datasets -------------------
    # apart from the .keras limits: a dataset holds more, and more files, than a model
    "max_archive_bytes": Limit(4 * 2**30, "bytes get_file(extract=True) unpacks"),
    "max_archive_members": Limit(250_000, "members of an archive get_file(extract=True) "
                                          "unpacks"),
    # dataset pickles nest about 3 levels (model configs far more), and the checker of
    # a pickle recurses once per level
    "max_pickle_depth": Limit(64, "nesting of lists/dicts/tuples in a dataset pickle"),
}
DEFAULT_LOAD_LIMITS = {name: limit.default for name, limit in LOAD_LIMITS.items()}
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
    """The value of the limit ``name`` in force now."""
    return _limits[name]


def set_load_limits(**limits):
    """Raise (or lower) limits on what a file may ask for; ``None`` restores a default.

    Any name of ``LOAD_LIMITS`` (see SECURITY.md for the table). Every value is checked
    before any limit changes. Raise a limit only for a file you trust.
    """
    unknown = sorted(set(limits) - set(LOAD_LIMITS))
    if unknown:
        raise TypeError(f"Unknown load limit(s) {unknown}. Valid names: {sorted(LOAD_LIMITS)}.")
    for name, value in limits.items():
        if value is not None and (type(value) is not int or value < 1):
            raise ValueError(f"The load limit {name} must be a positive int, or None for its "
                             f"default {DEFAULT_LOAD_LIMITS[name]}. Received: {name}={value!r}")
    for name, value in limits.items():
        _limits[name] = DEFAULT_LOAD_LIMITS[name] if value is None else value


def get_load_limits():
    """The limits in force, as a dict (a copy)."""
    return dict(_limits)


def limit_message(name, requested, what):
    """Why ``what``, which needs ``requested``, is refused by the limit ``name``, and the
    ``keras.config.set_load_limits`` call that would let it through."""
    limit = _limits[name]
    if isinstance(requested, int):
        suggestion = max(requested, limit) * 2
    else:  # a description such as "more than Python can parse"
        suggestion = limit * 10
    return (f"Refusing {what}: it needs {requested}, beyond the limit {name}={limit} "
            f"({LOAD_LIMITS[name].bounds}). Hostile files use such sizes to exhaust memory, "
            "disk, time or the stack. If you trust its source, raise the limit first: "
            f"`keras.config.set_load_limits({name}={suggestion})`.")


def limit_error(name, requested, what):
    """The ValueError for ``what`` asking ``requested`` past the limit ``name``."""
    return ValueError(limit_message(name, requested, what))


def check_limit(name, requested, what):
    """Raise ``limit_error`` when ``requested`` is above the limit ``name``."""
    if requested > _limits[name]:
        raise limit_error(name, int(requested), what)


def check_array_bytes(n_bytes, what):
    """Refuse one array of ``n_bytes`` bytes past ``max_array_bytes``."""
    check_limit("max_array_bytes", n_bytes, what)


def check_operation_flops(flops, what):
    """Refuse one operation of ``flops`` multiply-adds past ``max_operation_flops``."""
    check_limit("max_operation_flops", flops, what)


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
