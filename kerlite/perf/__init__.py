"""Speed settings of the training loops, kept out of the code a learner reads.

- ``host_allocator``: keep large freed buffers in the process between steps (glibc),
  set once per process (opt out: ``KERLITE_HOST_ALLOCATOR=system``);
- ``blas_threads``: how many BLAS threads a loop uses on a busy machine, chosen once
  per model (opt out: ``keras.backend.set_blas_threads(None)`` or
  ``KERLITE_BLAS_THREADS=none``).

Only ``kerlite.trainers`` applies them (``loops.py``, ``_with_speed_policies``), before
the first loop of each model, not on every call.
"""
