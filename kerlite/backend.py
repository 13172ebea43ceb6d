"""``keras.backend``: the Keras-facing names for the array library and its settings.

This module only gathers names; each lives where its idea is explained:

- ``kerlite.arrays``: which array library does the maths (NumPy, or CuPy on a GPU),
  ``get_array_module``; dtype names, ``floatx`` and ``epsilon``; conversions in and out
  (``convert_to_array``, ``to_numpy``);
- ``kerlite.perf.blas_threads``: how many BLAS threads the training loops use.

kerlite's own modules import those low modules directly, never this one: it sits at the
top of the import order (see docs/ARCHITECTURE.md), beside ``kerlite/__init__.py``.
"""

from kerlite.arrays import (backend, convert_to_array, epsilon, floatx, get_array_module,
                            image_data_format, is_float_dtype, is_gpu_available,
                            is_int_dtype, set_backend, set_epsilon, set_floatx,
                            set_image_data_format, standardize_dtype, to_numpy)
from kerlite.common.naming import clear_session, get_uid
from kerlite.graph.keras_tensor import is_keras_tensor
from kerlite.ops.core import convert_to_tensor
from kerlite.perf.blas_threads import (SMALL_MODEL_WEIGHT_SIZE, blas_thread_limit,
                                       machine_is_busy, set_blas_threads)

convert_to_numpy = to_numpy
