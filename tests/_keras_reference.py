"""Shared helper for parity tests: the real Keras 3 on the JAX backend (CPU)."""

import os

import pytest


def import_keras():
    """Keras 3 with the JAX backend, or skip the test where Keras is not installed."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("parity tests need Keras on the JAX backend")
    return keras
