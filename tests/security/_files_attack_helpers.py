"""Shared by tests/security/test_files_*.py: a small model, its files, and a way to run
an allocation attack in a child Python whose memory and time are capped, so that a
regression fails the test instead of exhausting the machine or hanging it."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

import kerlite as keras

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHILD_MEMORY_BYTES = 2 * 2**30


def small_model():
    """Input(4) -> Dense(3): weights at layers/dense/vars/0 (4, 3) and /1 (3,)."""
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense")])


def weights_copy(model):
    return [w.copy() for w in model.get_weights()]


def assert_unchanged(model, before):
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def run_limited(code, timeout=120):
    """Run ``code`` in a fresh interpreter (kerlite importable) that first caps its own
    address space at CHILD_MEMORY_BYTES; return what it printed last, parsed as JSON.
    (The child sets the cap itself: no Python code runs between fork and exec.)"""
    cap = ("import resource\n"
           f"resource.setrlimit(resource.RLIMIT_AS, ({CHILD_MEMORY_BYTES}, "
           f"{CHILD_MEMORY_BYTES}))\n")
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([REPO_ROOT, here]),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-c", cap + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


ATTEMPT = '''
import json, sys, warnings
warnings.simplefilter("ignore")

def attempt(load):
    """What happened: "loaded", or the error type and message."""
    try:
        load()
        return "loaded"
    except Exception as error:
        return f"{type(error).__name__}: {error}"
'''
