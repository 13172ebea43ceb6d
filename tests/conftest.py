"""Shared pytest fixtures for the kerlite test suite.

- ``xp``: the array module to run an op test with. NumPy always; CuPy too when a GPU is
  usable (the test then runs with the "cupy" backend active). Without a GPU the CuPy
  cases are deselected, not skipped, and the run's header says so: a machine without a
  GPU cannot run them, and a skip would hide a real failure elsewhere in the count.
- ``rng``: a seeded NumPy Generator, so every test draws the same numbers.
- On CI (``CI=true``) a skipped test counts as a failure: CI installs every tool the
  suite needs, so a skip there means something is missing that should not be.
- Every test starts from a clean state: default layer names (``dense``, ``dense_1``...),
  the global random seed, the NumPy backend and ``floatx() == "float32"``.
"""

import os

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


ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On CI, turn a skip into a failure that keeps the skip's reason."""
    outcome = yield
    report = outcome.get_result()
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where every test must run: {reason}"


_NO_GPU_NOTE = ("CuPy cases deselected: no usable GPU/CuPy here (install kerlite[gpu] on a "
                "machine with an NVIDIA GPU to run them)")


def pytest_report_header(config):
    return None if backend.is_gpu_available() else _NO_GPU_NOTE


def pytest_collection_modifyitems(config, items):
    """Without a GPU, drop the ``xp=cupy`` cases (reported as deselected)."""
    if backend.is_gpu_available():
        return
    cupy_cases = [item for item in items if getattr(item, "callspec", None) is not None
                  and item.callspec.params.get("xp") == "cupy"]
    if cupy_cases:
        config.hook.pytest_deselected(items=cupy_cases)
        dropped = set(cupy_cases)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(params=["numpy", "cupy"])
def xp(request):
    """The array module under test; CuPy runs only where a GPU is usable."""
    if request.param == "numpy":
        yield np
        return
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
