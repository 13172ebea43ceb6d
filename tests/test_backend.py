"""kerlite.backend: choosing NumPy/CuPy, floatx, conversion at the edges."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kerlite
from kerlite.perf import blas_threads
from kerlite import backend

NO_GPU = not backend.is_gpu_available()


def test_numpy_is_the_default():
    assert backend.backend() == "numpy"
    assert backend.get_array_module() is np
    assert backend.get_array_module(np.ones(2)) is np


@pytest.mark.skipif(not NO_GPU, reason="this machine has a GPU: cupy would work")
def test_asking_for_cupy_without_a_gpu_explains_the_fix_and_keeps_numpy():
    with pytest.raises((ImportError, RuntimeError)) as info:
        backend.set_backend("cupy")
    message = str(info.value)
    assert "set_backend('numpy')" in message
    assert "pip install" in message or "GPU" in message
    assert backend.backend() == "numpy"
    assert backend.get_array_module() is np
    assert kerlite.ops.add(np.ones(2), 1).numpy().tolist() == [2.0, 2.0]


@pytest.mark.skipif(not NO_GPU, reason="this machine has a GPU: cupy would work")
def test_kerlite_backend_environment_variable_is_honoured():
    env = dict(os.environ, KERLITE_BACKEND="cupy")
    result = subprocess.run([sys.executable, "-c", "import kerlite"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "set_backend('numpy')" in result.stderr
    env["KERLITE_BACKEND"] = "numpy"
    result = subprocess.run(
        [sys.executable, "-c", "import kerlite; print(kerlite.backend.backend())"],
        env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "numpy"


def test_unknown_backend_name():
    with pytest.raises(ValueError, match="Unknown backend 'torch'"):
        backend.set_backend("torch")
    assert backend.backend() == "numpy"


def test_set_backend_numpy_is_a_plain_setting():
    backend.set_backend("numpy")
    assert backend.backend() == "numpy"


def test_floatx_and_set_floatx():
    assert backend.floatx() == "float32"
    backend.set_floatx("float64")
    assert backend.floatx() == "float64"
    assert backend.convert_to_tensor([1.5]).dtype == "float64"
    assert kerlite.ops.zeros(2).dtype == "float64"
    with pytest.raises(ValueError, match="floatx"):
        backend.set_floatx("float8")


def test_epsilon_and_image_data_format():
    assert backend.epsilon() == pytest.approx(1e-7)
    backend.set_epsilon(1e-5)
    assert backend.epsilon() == pytest.approx(1e-5)
    assert backend.image_data_format() == "channels_last"
    with pytest.raises(ValueError, match="data_format"):
        backend.set_image_data_format("nchw")


def test_convert_to_tensor_dtypes_like_keras():
    assert backend.convert_to_tensor(1.5).dtype == "float32"
    assert backend.convert_to_tensor([1, 2]).dtype == "int32"
    assert backend.convert_to_tensor(np.ones(2)).dtype == "float64"  # arrays keep theirs
    assert backend.convert_to_tensor(np.ones(2), dtype="float16").dtype == "float16"
    assert backend.convert_to_tensor([True]).dtype == "bool"
    t = backend.convert_to_tensor([1.0])
    assert backend.convert_to_tensor(t) is t


def test_to_numpy_gives_numpy_arrays():
    t = kerlite.ops.convert_to_tensor([[1.0, 2.0]])
    out = backend.to_numpy(t)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    assert isinstance(backend.to_numpy([1, 2]), np.ndarray)
    assert backend.convert_to_numpy is backend.to_numpy


def test_standardize_dtype():
    assert backend.standardize_dtype(None) == "float32"
    assert backend.standardize_dtype(np.float64) == "float64"
    assert backend.standardize_dtype("int32") == "int32"


def test_clear_session_resets_names():
    from kerlite.common import naming

    assert naming.unique_name("dense") == "dense"
    assert naming.unique_name("dense") == "dense_1"
    backend.clear_session()
    assert naming.unique_name("dense") == "dense"


def test_cupy_backend_end_to_end(xp):
    """Runs only where CuPy sees a GPU (the xp fixture skips the CuPy case elsewhere)."""
    x = kerlite.ops.convert_to_tensor(np.arange(6.0).reshape(2, 3))
    assert backend.get_array_module(x.data) is xp
    y = kerlite.ops.sum(kerlite.ops.relu(x - 2.0), axis=1)
    assert isinstance(backend.to_numpy(y), np.ndarray)
    np.testing.assert_allclose(backend.to_numpy(y), [0.0, 6.0])


def test_blas_policy_uses_one_thread_only_for_small_models_on_a_busy_machine(monkeypatch):
    import contextlib

    monkeypatch.setattr(blas_threads, "_blas_threads", "auto")
    monkeypatch.setattr(blas_threads, "machine_is_busy", lambda: True)
    limiter = blas_threads.blas_thread_limit(1000)  # threadpoolctl applies it at once
    with limiter:
        assert not isinstance(limiter, contextlib.nullcontext)
    assert isinstance(blas_threads.blas_thread_limit(2**20), contextlib.nullcontext)
    monkeypatch.setattr(blas_threads, "machine_is_busy", lambda: False)
    assert isinstance(blas_threads.blas_thread_limit(1000), contextlib.nullcontext)


def test_machine_is_busy_counts_other_runnable_tasks_against_the_cores(monkeypatch):
    import os

    cores = len(os.sched_getaffinity(0))
    monkeypatch.setattr(blas_threads, "_other_runnable_tasks", lambda: cores)
    assert blas_threads.machine_is_busy()
    monkeypatch.setattr(blas_threads, "_other_runnable_tasks", lambda: cores - 1)
    assert not blas_threads.machine_is_busy()
    # where /proc cannot tell, the 1-minute load average decides
    monkeypatch.setattr(blas_threads, "_other_runnable_tasks", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (cores + 1.0, 0.0, 0.0))
    assert blas_threads.machine_is_busy()
    monkeypatch.setattr(os, "getloadavg", lambda: (cores * 1.0, 0.0, 0.0))
    assert not blas_threads.machine_is_busy()


@pytest.mark.skipif(not os.path.exists("/proc/loadavg"), reason="needs Linux /proc")
def test_other_runnable_tasks_sees_a_busy_process():
    import time

    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert blas_threads._other_runnable_tasks() >= 1
    finally:
        burner.kill()


def test_set_blas_threads_rejects_bad_values():
    with pytest.raises(ValueError, match="positive int"):
        backend.set_blas_threads(0)
