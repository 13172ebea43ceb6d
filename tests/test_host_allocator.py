"""kerlite.perf.host_allocator: glibc keeps freed training buffers; an opt-out is honoured."""

import platform
import sys

import numpy as np
import pytest

import kerlite
from kerlite.perf import host_allocator

ON_GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.fixture
def fresh_state(monkeypatch):
    monkeypatch.setitem(host_allocator._state, "applied", None)


@pytest.mark.skipif(not ON_GLIBC, reason="mallopt exists only in glibc")
def test_thresholds_are_raised_once_on_glibc(fresh_state):
    assert host_allocator.keep_freed_buffers() is True
    assert host_allocator._state["applied"] is True
    assert host_allocator.keep_freed_buffers() is True  # a second call changes nothing


def test_system_allocator_can_be_kept(fresh_state, monkeypatch):
    monkeypatch.setenv("KERLITE_HOST_ALLOCATOR", "system")
    assert host_allocator.keep_freed_buffers() is False


def test_fit_applies_the_policy(fresh_state):
    model = kerlite.Sequential([kerlite.Input((3,)), kerlite.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    assert host_allocator._state["applied"] is ON_GLIBC
