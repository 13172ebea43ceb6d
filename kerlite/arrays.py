"""The arrays underneath every Tensor: which library holds them, their dtypes, and the
edges where they are converted.

- **Which library.** NumPy by default, CuPy on request. Every other module asks here
  for its array namespace (``xp = get_array_module(x)``, the idea Chainer made popular)
  instead of importing numpy or cupy for computation. The choice is a plain module
  setting, so it survives between notebook cells::

      KERLITE_BACKEND=cupy jupyter lab          # or, in a notebook:
      keras.backend.set_backend("cupy")

- **Which dtypes.** Keras names dtypes by strings (``"float32"``, ``"int32"``);
  ``standardize_dtype`` turns any spelling (a NumPy type, a string, ``None`` for the
  default) into that name. The defaults new arrays take are settings here too:
  ``floatx()`` (the float type), ``epsilon()`` and ``image_data_format()``.
- **The edges.** Host <-> device transfers happen only at the edges:
  ``convert_to_array`` on the way in, ``to_numpy`` on the way out.

This module imports NumPy only; the Keras-facing names (``keras.backend.*``,
``keras.config.*``) are re-exported by ``kerlite.backend`` and ``kerlite.config``.
"""

import os

import numpy

# --- which library --------------------------------------------------------------------

_SUPPORTED = ("numpy", "cupy")
_backend_name = "numpy"
_array_module = numpy
_cupy = None  # the cupy module once it has been imported successfully


def _import_cupy():
    """Import CuPy and check that a GPU is usable, or explain how to get one."""
    global _cupy
    if _cupy is not None:
        return _cupy
    try:
        import cupy
    except ImportError as error:
        raise ImportError(
            "The 'cupy' backend needs CuPy, which is not installed "
            f"({error}). Install it with `pip install -e .[gpu]` (a CUDA 12 wheel, "
            "cupy-cuda12x) or pick the CPU backend with "
            "kerlite.backend.set_backend('numpy')."
        ) from error
    try:
        device_count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CUDA driver missing or broken
        raise RuntimeError(
            "CuPy is installed but no usable GPU was found "
            f"({type(error).__name__}: {error}). Run on a machine with an NVIDIA GPU "
            "and driver, or use kerlite.backend.set_backend('numpy')."
        ) from error
    if device_count < 1:
        raise RuntimeError(
            "CuPy is installed but reports 0 GPUs. Use "
            "kerlite.backend.set_backend('numpy') on this machine."
        )
    _cupy = cupy
    return cupy


def set_backend(name):
    """Choose the array library for new arrays: ``"numpy"`` or ``"cupy"``."""
    global _backend_name, _array_module
    if name not in _SUPPORTED:
        raise ValueError(
            f"Unknown backend {name!r}. Expected one of {_SUPPORTED}."
        )
    _array_module = _import_cupy() if name == "cupy" else numpy
    _backend_name = name


def backend():
    """The name of the active array library, ``"numpy"`` or ``"cupy"``."""
    return _backend_name


def get_array_module(*arrays):
    """Return ``numpy`` or ``cupy``: the module that owns ``arrays``.

    With no arguments, the module of the active backend (used to create new arrays).
    """
    if _cupy is not None:
        for array in arrays:
            if isinstance(array, _cupy.ndarray):
                return _cupy
        if not arrays:
            return _array_module
        return numpy
    return _array_module


def is_gpu_available():
    """True when CuPy imports and sees at least one GPU."""
    try:
        _import_cupy()
    except (ImportError, RuntimeError):
        return False
    return True


# --- dtypes and the defaults of new arrays --------------------------------------------

_floatx = "float32"
_epsilon = 1e-7
_image_data_format = "channels_last"


def floatx():
    """The default float type, as a string (``"float32"``)."""
    return _floatx


def set_floatx(value):
    """Set the default float type: ``"float16"``, ``"float32"`` or ``"float64"``."""
    global _floatx
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            "Unknown floatx type. Expected 'float16', 'bfloat16', 'float32' or "
            f"'float64'. Received: value={value!r}"
        )
    _floatx = str(value)


def epsilon():
    """The fuzz factor used to keep divisions and logarithms finite (1e-7)."""
    return _epsilon


def set_epsilon(value):
    global _epsilon
    _epsilon = float(value)


def image_data_format():
    """``"channels_last"`` (the default) or ``"channels_first"``."""
    return _image_data_format


def set_image_data_format(data_format):
    global _image_data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    _image_data_format = data_format


_DTYPE_NAMES = {}


def standardize_dtype(dtype):
    """Turn any dtype spelling (None, numpy type, string) into a name like 'float32'."""
    if dtype is None:
        return _floatx
    if isinstance(dtype, str) and dtype == "string":  # Keras's name for text, unknown to
        return dtype  # NumPy (which calls its own text dtypes "str...", below)
    try:
        return _DTYPE_NAMES[dtype]
    except (KeyError, TypeError):  # new, or unhashable
        pass
    if hasattr(dtype, "name") and not isinstance(dtype, str):
        name = dtype.name  # numpy computes it in Python on every read: remembered
    else:
        name = numpy.dtype(dtype).name
    if name.startswith(("str", "bytes")):  # NumPy's text dtypes ("<U5" is "str160")
        name = "string"
    try:
        _DTYPE_NAMES[dtype] = name
    except TypeError:
        pass
    return name


def is_float_dtype(dtype):
    """True for floating dtypes (float16/32/64, bfloat16), in any spelling."""
    return _dtype_name(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """True for signed and unsigned integer dtypes (not bool)."""
    return _dtype_name(dtype).startswith(("int", "uint"))


def _dtype_name(dtype):
    try:
        return standardize_dtype(dtype)
    except TypeError:  # a name NumPy does not know, such as "bfloat16"
        return str(dtype)


# --- the edges: in and out ------------------------------------------------------------

def convert_to_array(value, dtype=None):
    """Turn a Python number, list, NumPy/CuPy array or Tensor into a backend array.

    Python floats become ``floatx()``; existing arrays keep their dtype unless
    ``dtype`` is given.
    """
    data = getattr(value, "data", value) if hasattr(value, "_parents") else value
    xp = _array_module
    if dtype is not None:
        dtype = standardize_dtype(dtype)
        if dtype == "string":
            dtype = str  # NumPy's text dtype
    if isinstance(data, (numpy.ndarray, numpy.generic)) or (
        _cupy is not None and isinstance(data, _cupy.ndarray)
    ):
        if xp is numpy and not isinstance(data, (numpy.ndarray, numpy.generic)):
            data = data.get()
        array = xp.asarray(data)
        return array.astype(dtype, copy=False) if dtype else array
    array = numpy.asarray(data)
    if dtype is None and array.dtype.kind == "f":
        dtype = floatx()
    elif dtype is None and array.dtype == numpy.int64 and not isinstance(data, numpy.ndarray):
        dtype = "int32"  # Keras turns Python ints into int32 tensors
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return xp.asarray(array)


def to_numpy(value):
    """Return a NumPy array (copied from the GPU if needed) for a Tensor or array."""
    data = getattr(value, "data", value) if hasattr(value, "_parents") else value
    if _cupy is not None and isinstance(data, _cupy.ndarray):
        return data.get()
    return numpy.asarray(data)


convert_to_numpy = to_numpy


if os.environ.get("KERLITE_BACKEND"):
    set_backend(os.environ["KERLITE_BACKEND"].strip().lower())
