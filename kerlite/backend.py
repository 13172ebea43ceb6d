"""``keras.backend``: the Keras-facing names for the array library and its settings.

This module only gathers names; each lives where its idea is explained:

- ``kerlite.arrays``: which array library does the maths (NumPy, or CuPy on a GPU),
  ``get_array_module``, conversions in and out (``convert_to_array``, ``to_numpy``);
- ``kerlite.dtypes``: dtype names, ``floatx`` and ``epsilon``;
- ``kerlite.perf.blas_threads``: how many BLAS threads the training loops use.

kerlite's own modules import those low modules directly, never this one: it sits at the
top of the import order (see docs/ARCHITECTURE.md), beside ``kerlite/__init__.py``.
"""

from kerlite.arrays import (backend, convert_to_array, get_array_module,
                            image_data_format, is_gpu_available, set_backend,
                            set_image_data_format, to_numpy)
from kerlite.autodiff.tensor import Tensor
from kerlite.common import naming
from kerlite.common.naming import clear_session
from kerlite.dtypes import (epsilon, floatx, is_float_dtype, is_int_dtype, set_epsilon,
                            set_floatx, standardize_dtype)
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.perf.blas_threads import (SMALL_MODEL_WEIGHT_SIZE, blas_thread_limit,
                                       machine_is_busy, set_blas_threads)

convert_to_numpy = to_numpy


def convert_to_tensor(value, dtype=None):
    """Turn array-like input into a kerlite ``Tensor`` on the active array library."""
    if isinstance(value, Tensor) and dtype is None:
        return value
    return Tensor(convert_to_array(value, dtype))


def is_keras_tensor(x):
    """True for the symbolic tensors of a functional model (``keras.Input`` and after)."""
    return isinstance(x, KerasTensor)


def get_uid(prefix=""):
    """The next number for ``prefix``, shared with the automatic layer names."""
    return naming.get_uid(prefix)
