"""Speed settings of the training loops, kept out of the code a learner reads.

- ``host_allocator``: keep large freed buffers in the process between steps (glibc);
- ``blas_threads``: how many BLAS threads a loop uses on a busy machine.

Only ``kerlite.trainers`` applies them; each documents its opt-out.
"""
