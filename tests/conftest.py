"""Shared pytest fixtures for the kerlite test suite.

- ``xp``: the array module to run an op test with. NumPy always; CuPy too when a GPU is
  usable (the test then runs with the "cupy" backend active), otherwise that case is
  skipped with the reason.
- ``rng``: a seeded NumPy Generator, so every test draws the same numbers.
- Every test starts from a clean state: default layer names (``dense``, ``dense_1``...),
  the global random seed, the NumPy backend and ``floatx() == "float32"``.
"""

import numpy as np
import pytest

import kerlite
from kerlite import backend


@pytest.fixture(autouse=True)
def _clean_kerlite_state():
    """Reset names and seeds before each test; restore backend settings after it."""
    saved = (backend.backend(), backend.floatx(), backend.epsilon(),
             backend.image_data_format())
    backend.clear_session()
    kerlite.utils.set_random_seed(1337)
    yield
    name, floatx, epsilon, data_format = saved
    if backend.backend() != name:
        backend.set_backend(name)
    backend.set_floatx(floatx)
    backend.set_epsilon(epsilon)
    backend.set_image_data_format(data_format)


@pytest.fixture(params=["numpy", "cupy"])
def xp(request):
    """The array module under test; CuPy runs only where a GPU is usable."""
    if request.param == "numpy":
        yield np
        return
    if not backend.is_gpu_available():
        pytest.skip("cupy case: no usable GPU/CuPy here (install kerlite[gpu] on a "
                    "machine with an NVIDIA GPU to run it)")
    import cupy

    backend.set_backend("cupy")
    try:
        yield cupy
    finally:
        backend.set_backend("numpy")


@pytest.fixture
def rng():
    """A seeded NumPy random Generator."""
    return np.random.default_rng(0)
