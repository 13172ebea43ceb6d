"""Red team: a config whose weights or inputs are huge (``Embedding(input_dim=2**40)``,
``Dense(units=2**36)``, an ``InputLayer`` of ``(None, 2**31)`` feeding a Dense).

Building the model while loading allocates and fills the weights: before, NumPy asked for
8 GiB to 32 TiB (a MemoryError at best, the kernel killed by the OOM killer at worst, when the
size fits under the machine's overcommit). The bound on weights created during a load lives in
``Layer.add_weight`` / ``kerlite.safe_loading`` (branch safety-config, limit ``max_array_bytes``);
these tests are expected to fail until that branch is merged.

Keras 3.15: ``Dense(units=2**36)`` fails with an XLA allocation error; ``Embedding(2**40)`` and
the ``(None, 2**31)`` input load (weights of 4 and 8 GiB+ are created lazily) and exhaust
memory on first use.
"""

import json

import pytest

from _redteam_limits import run_limited

CASES = {
    "embedding": ("Embedding", {"input_dim": 2**40, "output_dim": 4}, [None, 3]),
    "dense_units": ("Dense", {"units": 2**36}, [None, 4]),
    "wide_input": ("Dense", {"units": 1}, [None, 2**31]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_huge_weights_in_a_config_are_refused_before_allocation(case):
    class_name, arguments, batch_shape = CASES[case]
    text = json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": batch_shape, "name": "in"}},
        {"class_name": class_name, "config": dict(arguments, name="huge")}]}})
    code = f"""
    import kerlite as keras
    try:
        keras.models.model_from_json({text!r})
        print("LOADED")
    except Exception as error:
        print(type(error).__name__ + ": " + str(error).replace("\\n", " "))
    """
    code_rc, last = run_limited(code, memory_bytes=3 * 2**30, timeout=120)
    assert last.startswith("ValueError") and "max_array_bytes" in last, last
    assert "huge" in last, last
