"""Dtype names and the two numeric settings: the default float type and epsilon.

Keras names dtypes by strings (``"float32"``, ``"int32"``); ``standardize_dtype``
turns any spelling (a NumPy type, a string, ``None`` for the default) into that name.
Imports NumPy only.
"""

import numpy

_floatx = "float32"
_epsilon = 1e-7


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


_DTYPE_NAMES = {}


def standardize_dtype(dtype):
    """Turn any dtype spelling (None, numpy type, string) into a name like 'float32'."""
    if dtype is None:
        return _floatx
    if isinstance(dtype, str) and dtype == "string":  # Keras's name for text inputs
        return "str"
    try:
        return _DTYPE_NAMES[dtype]
    except (KeyError, TypeError):  # new, or unhashable
        pass
    if hasattr(dtype, "name") and not isinstance(dtype, str):
        name = dtype.name  # numpy computes it in Python on every read: remembered
    else:
        name = numpy.dtype(dtype).name
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
