"""``keras.config``: the library-wide settings, in one place.

The float type, epsilon and image layout live in ``kerlite.arrays`` (``keras.backend``
has the same functions); this module adds the switches Keras 3 keeps here:

- ``enable_unsafe_deserialization()``: loading in this thread may run Python code stored
  in a file (lambdas), as if every ``load_model`` were given ``safe_mode=False`` (per
  thread, as in Keras 3; see ``kerlite.safe_loading``).
- ``set_load_limits(**limits)`` / ``get_load_limits()`` (kerlite only): every limit on
  what an untrusted file may ask for (JSON depth, bytes of one array, zip and archive
  sizes...; the table is ``kerlite.safe_loading.LOAD_LIMITS`` and SECURITY.md). Raise one
  only for a file you trust; ``None`` restores its default.
- ``disable_interactive_logging()``: progress bars and ``summary()`` go to Python's
  ``logging`` (logger ``"kerlite"``) instead of being printed.
- ``set_max_epochs(n)`` / ``set_max_steps_per_epoch(n)``: cap every ``fit`` (and every
  epoch of ``fit``/``evaluate``/``predict``) for quick debugging runs. Also read, as in
  Keras, from the ``KERAS_MAX_EPOCHS`` / ``KERAS_MAX_STEPS_PER_EPOCH`` environment
  variables when kerlite is imported.
- ``use_fast_paths(False)`` / ``with fast_paths(False):`` (kerlite only): run the plain
  code a learner reads instead of the fused fast paths (same numbers, slower); also
  ``KERLITE_FAST_PATHS=0``. The list of fast paths is in ``kerlite.common.fast_paths``.
"""

import os

from kerlite.common.fast_paths import enabled as fast_paths_enabled
from kerlite.common.fast_paths import fast_paths, use_fast_paths
from kerlite.common.io_utils import (disable_interactive_logging, enable_interactive_logging,
                                     is_interactive_logging_enabled)
from kerlite.arrays import (backend, epsilon, floatx, image_data_format, set_backend,
                            set_epsilon, set_floatx, set_image_data_format)
from kerlite.safe_loading import (enable_unsafe_deserialization, get_load_limits,
                                  set_load_limits, unsafe_deserialization_enabled)

_settings = {
    "max_epochs": int(os.environ["KERAS_MAX_EPOCHS"])
    if "KERAS_MAX_EPOCHS" in os.environ else None,
    "max_steps_per_epoch": int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"])
    if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None,
}

__all__ = [
    "backend", "set_backend", "floatx", "set_floatx", "epsilon", "set_epsilon",
    "image_data_format", "set_image_data_format", "enable_unsafe_deserialization",
    "enable_interactive_logging", "disable_interactive_logging",
    "is_interactive_logging_enabled", "max_epochs", "set_max_epochs",
    "max_steps_per_epoch", "set_max_steps_per_epoch", "set_load_limits", "get_load_limits",
    "use_fast_paths", "fast_paths", "fast_paths_enabled",
]


def max_epochs():
    """The cap on ``fit``'s ``epochs`` (None: no cap)."""
    return _settings["max_epochs"]


def set_max_epochs(max_epochs):
    """Cap the number of epochs of every ``fit`` (None removes the cap)."""
    _settings["max_epochs"] = _positive_or_none(max_epochs, "max_epochs")


def max_steps_per_epoch():
    """The cap on the steps of each epoch (None: no cap)."""
    return _settings["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Cap the steps of every epoch of fit/evaluate/predict (None removes the cap)."""
    _settings["max_steps_per_epoch"] = _positive_or_none(max_steps_per_epoch,
                                                         "max_steps_per_epoch")


def _positive_or_none(value, name):
    if value is not None and (not isinstance(value, int) or value < 1):
        raise ValueError(f"{name} must be a positive int or None. Received: {name}={value!r}")
    return value
