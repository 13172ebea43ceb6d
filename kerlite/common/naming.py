"""Unique, readable names the Keras way: dense, dense_1, dense_2, ..."""

import re

_counts = {}


def to_snake_case(name):
    """``"BatchNormalization"`` -> ``"batch_normalization"``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    # Keras splits only lowercase-uppercase pairs: "Conv2D" -> "conv2d", "MaxPooling2D" -> "max_pooling2d"
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix):
    """``prefix`` the first time, then ``prefix_1``, ``prefix_2``, ..."""
    count = _counts.get(prefix, 0)
    _counts[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def get_uid(prefix=""):
    """The next number for ``prefix`` (1, 2, ...), counted with the automatic layer names:
    after ``get_uid("dense")`` twice, the next ``Dense`` is named ``dense_2``."""
    _counts[prefix] = _counts.get(prefix, 0) + 1
    return _counts[prefix]


def reset_uids():
    _counts.clear()


def clear_session():
    """``keras.backend.clear_session()``: start the automatic names again (``dense``,
    ``dense_1``, ...), as Keras does. kerlite keeps no other global graph state."""
    reset_uids()
