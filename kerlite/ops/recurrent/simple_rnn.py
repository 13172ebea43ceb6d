"""simple_rnn: the fully-connected recurrent layer over a whole sequence, with BPTT."""

from kerlite.autodiff.tensor import record
from kerlite.ops.recurrent.gate_activations import activation_pair
from kerlite.ops.recurrent.gate_dropout import GateDropoutProduct
from kerlite.ops.recurrent.sequence import (SequenceInputs, as_tensors, finish_gradients,
                                            time_major, time_slice)


def simple_rnn(inputs, initial_state, kernel, recurrent_kernel, bias=None, mask=None,
               go_backwards=False, activation="tanh", recurrent_dropout_mask=None):
    """Fully-connected RNN over a whole sequence: ``h_t = act(x_t @ W + b + h_{t-1} @ U)``.

    Returns ``(outputs, last_state)``: outputs (batch, time, units), last state (batch, units).
    ``recurrent_dropout_mask`` (batch, units) multiplies ``h_{t-1}`` before ``@ U``.
    """
    inputs, h0, kernel, recurrent_kernel, bias = as_tensors(
        inputs, initial_state, kernel, recurrent_kernel, bias)
    units = recurrent_kernel.data.shape[0]
    seq = SequenceInputs(inputs, kernel.data, None if bias is None else bias.data, mask,
                         go_backwards, units, "simple_rnn")
    xp, act, d_act = seq.xp, *activation_pair(activation)
    drop = seq.gate_masks(recurrent_dropout_mask, units, "recurrent_dropout_mask")
    U = recurrent_kernel.data
    recurrent = GateDropoutProduct(xp, U, drop, gates=1)
    hidden = xp.empty((seq.steps + 1, seq.batch, units), dtype=seq.projected.dtype)
    new_values = xp.empty_like(hidden[1:])  # activations before masking, for backward
    hidden[0] = h0.data
    for t in range(seq.steps):
        new_values[t] = act(xp, seq.projected[t] + recurrent(hidden[t]))
        hidden[t + 1] = seq.keep(t, new_values[t], hidden[t])

    def backward(g):
        g = time_major(g)
        d_pre = xp.empty_like(new_values)
        dh = xp.zeros_like(hidden[0])
        for t in reversed(range(seq.steps)):
            through, skipped = seq.split_masked(t, dh + g[t])
            d_pre[t] = through * d_act(xp, new_values[t])
            dh = recurrent.input_gradient(d_pre[t]) + skipped
        return finish_gradients(seq, d_pre, dh, inputs, kernel.data, bias, hidden, recurrent,
                                d_pre, bias_grad=lambda: d_pre.sum(axis=(0, 1)))

    parents = tuple(t for t in (inputs, h0, kernel, recurrent_kernel, bias) if t is not None)
    out = record(seq.outputs(hidden[1:]), parents, backward)
    return out, time_slice(out, -1)
