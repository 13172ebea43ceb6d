"""Whole-sequence recurrent ops (SimpleRNN, GRU, LSTM) with hand-written backprop through time.

Each op runs a full sequence in one recorded step, so the autodiff graph holds one node per
layer call, not one per time step:

1. the input part of every gate, for all time steps at once: ``x @ kernel + bias`` (one matmul);
2. a Python loop over time: per step one matmul ``h @ recurrent_kernel`` and a few
   elementwise gate formulas, saving what the backward pass needs;
3. backward walks the steps in reverse (BPTT), then gets the kernel gradients with one
   matmul over all steps.

Keras semantics: ``go_backwards`` reads the sequence from the end and returns the outputs in
that (reversed) order; a ``mask`` of shape (batch, time) skips padded steps: the state is
carried through unchanged and the output repeats the previous one. Activations are given by
name (``gate_activations.py``); the layers fall back to a cell loop for other ones.

Dropout: ``recurrent_dropout_mask`` (batch, units) multiplies the previous state before its
product; LSTM and GRU also take ``input_dropout_mask`` (batch, features) for the inputs, and
either mask per gate, (gates, batch, n), as Keras 3 draws them with ``recurrent_dropout``
(see ``gate_dropout.GateDropoutProduct``).
"""

from kerlite.ops.recurrent.gate_activations import ACTIVATIONS, fused_activation_name
from kerlite.ops.recurrent.gru import gru
from kerlite.ops.recurrent.lstm import lstm
from kerlite.ops.recurrent.simple_rnn import simple_rnn

__all__ = ["ACTIVATIONS", "fused_activation_name", "gru", "lstm", "simple_rnn"]

for _op in (gru, lstm, simple_rnn):
    _op.__module__ = __name__  # their public home, as numpy's set_module does
