"""The one switch of kerlite's fast paths: speed-ups that stand in for plain code.

The code a learner reads is the plain version: ``Dense.call`` is matmul, bias,
activation; an optimizer's ``update_step`` is its paper's formula written with
``kerlite.ops``. Where that costs too much Python per step, a fast path gives the same
numbers with fewer calls, and the plain code chooses it in one visible line, asking
``enabled()`` here:

- ``Dense`` with linear/relu/sigmoid/tanh: one fused op for ``activation(x @ W + b)``
  (``kerlite/layers/core/fused_dense.py``);
- ``Conv1D/2D/3D``: convolution + bias (+ relu) as one op (``ops.convolution.fused_conv``);
- ``LSTM``, ``GRU``, ``SimpleRNN``: the whole sequence as one op (the cell's
  ``run_sequence``) instead of the loop over the cell;
- kerlite's optimizers: the in-place rule ``_fused_update_step`` instead of
  ``update_step``, with small variables updated together as one flat buffer
  (``kerlite/optimizers/flat_group.py``).

Each is tested equal to its plain version (``tests/test_fast_paths_equal_plain.py``).
Switch them all off to read, step through or change the plain code:

    kerlite.config.use_fast_paths(False)       # from now on
    with kerlite.config.fast_paths(False):     # inside this block only
        ...
    KERLITE_FAST_PATHS=0 python train.py       # for a whole run (read at import)

Nothing here imports the rest of kerlite.
"""

import contextlib
import os

_OFF_WORDS = ("0", "false", "off", "no")
_state = {"enabled": os.environ.get("KERLITE_FAST_PATHS", "1").strip().lower()
          not in _OFF_WORDS}


def enabled():
    """True if the fast paths are on (the default)."""
    return _state["enabled"]


def use_fast_paths(flag=True):
    """Switch every fast path on (``True``) or off (``False``: the plain code runs)."""
    _state["enabled"] = bool(flag)


@contextlib.contextmanager
def fast_paths(flag):
    """``with fast_paths(False):`` runs its block on the plain code, then restores."""
    previous = _state["enabled"]
    _state["enabled"] = bool(flag)
    try:
        yield
    finally:
        _state["enabled"] = previous
