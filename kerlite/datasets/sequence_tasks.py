"""Seeded sequence problems for recurrent layers: each needs memory over time steps.

``make_sequence_task(task=...)``:

* "sum_sign": x float32 (n, length, 1) of values in [-1, 1]; y int32 (n,) is 1 when the sum of
  the sequence is positive. Needs to accumulate over the whole sequence (SimpleRNN, LSTM).
* "parity": x int32 tokens 0/1 of shape (n, length); y int32 (n,) is the number of 1s modulo 2.
  Feed it through an ``Embedding(2, ...)``; hard for long sequences, a good LSTM vs RNN contrast.
* "reverse": x int32 tokens 1..vocab_size-1 of shape (n, length); y int32 (n, length) is x read
  backwards. Step t must know the input at the end: a job for ``Bidirectional``.
* "first_token": x int32 tokens (n, length); y int32 (n,) is the first token, which the model
  must remember until the end (long-term memory).
"""

import numpy

TASKS = ("sum_sign", "parity", "reverse", "first_token")


def make_sequence_task(n_samples=1000, length=20, task="sum_sign", vocab_size=10, seed=None):
    """Return ``(x, y)`` for ``task``; see the module docstring for the shapes and dtypes."""
    if task not in TASKS:
        raise ValueError(f"Unknown task {task!r}. Choose one of {TASKS}.")
    if length < 1:
        raise ValueError(f"`length` must be >= 1. Received: length={length}")
    rng = numpy.random.default_rng(seed)
    if task == "sum_sign":
        x = rng.uniform(-1.0, 1.0, (n_samples, length, 1))
        return x.astype(numpy.float32), (x.sum(axis=(1, 2)) > 0).astype(numpy.int32)
    if task == "parity":
        x = rng.integers(0, 2, (n_samples, length))
        return x.astype(numpy.int32), (x.sum(axis=1) % 2).astype(numpy.int32)
    if vocab_size < 3:
        raise ValueError(f"`vocab_size` must be >= 3 (0 is kept for padding). Received: {vocab_size}")
    x = rng.integers(1, vocab_size, (n_samples, length)).astype(numpy.int32)
    if task == "reverse":
        return x, numpy.ascontiguousarray(x[:, ::-1])
    return x, x[:, 0].copy()
