"""lstm: long short-term memory over a whole sequence, with BPTT."""

from kerlite.autodiff.tensor import record
from kerlite.ops.recurrent.activations import activation_pair
from kerlite.ops.recurrent.sequence import (SequenceInputs, as_tensors, dropout_array,
                                            finish_gradients, time_major, time_slice)


def lstm(inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias=None,
         mask=None, go_backwards=False, activation="tanh", recurrent_activation="sigmoid",
         recurrent_dropout_mask=None):
    """Long short-term memory over a whole sequence (Keras gate order i, f, c, o).

    ``z = x_t @ W + h @ U + b``; ``i, f, o = rec_act(z_i, z_f, z_o)``; ``g = act(z_c)``;
    ``c = f * c + i * g``; ``h = o * act(c)``.
    Returns ``(outputs, last_h, last_c)``.
    """
    inputs, h0, c0, kernel, recurrent_kernel, bias = as_tensors(
        inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias)
    u = recurrent_kernel.data.shape[0]
    seq = SequenceInputs(inputs, kernel, None if bias is None else bias.data, mask, go_backwards,
                         u, "lstm")
    xp, drop, U = seq.xp, dropout_array(recurrent_dropout_mask), recurrent_kernel.data
    act, d_act = activation_pair(activation)
    rec, d_rec = activation_pair(recurrent_activation)
    dtype = seq.projected.dtype
    hidden = xp.empty((seq.steps + 1, seq.batch, u), dtype=dtype)
    carry = xp.empty_like(hidden)
    gates = xp.empty((seq.steps, seq.batch, 4 * u), dtype=dtype)  # i, f, g, o after activation
    act_carry = xp.empty_like(hidden[1:])  # act(c) before masking
    hidden[0], carry[0] = h0.data, c0.data
    for t in range(seq.steps):
        h = hidden[t] if drop is None else hidden[t] * drop
        z = seq.projected[t] + h @ U
        gate = gates[t]
        gate[...] = rec(xp, z)  # i, f and o (the c block is overwritten next)
        gate[:, 2 * u:3 * u] = act(xp, z[:, 2 * u:3 * u])
        c = gate[:, u:2 * u] * carry[t] + gate[:, :u] * gate[:, 2 * u:3 * u]
        act_carry[t] = act(xp, c)
        carry[t + 1] = seq.keep(t, c, carry[t])
        hidden[t + 1] = seq.keep(t, gate[:, 3 * u:] * act_carry[t], hidden[t])

    def backward(g):
        g = time_major(g)  # (time + 1, batch, u): the outputs, then the last carry
        slopes = d_rec(xp, gates)  # d gate / d z for every step at once (vectorised)
        slopes[:, :, 2 * u:3 * u] = d_act(xp, gates[:, :, 2 * u:3 * u])
        carry_slopes = d_act(xp, act_carry)
        d_z = xp.empty_like(gates)
        dh, dc = xp.zeros_like(hidden[0]), g[seq.steps].copy()
        for t in reversed(range(seq.steps)):
            dh_new, dh_skip = seq.split_masked(t, dh + g[t])
            dc_new, dc_skip = seq.split_masked(t, dc)
            gate, d = gates[t], d_z[t]
            dc_new = dc_new + dh_new * gate[:, 3 * u:] * carry_slopes[t]
            xp.multiply(dc_new, gate[:, 2 * u:3 * u], out=d[:, :u])  # i scales the candidate
            xp.multiply(dc_new, carry[t], out=d[:, u:2 * u])  # f scales the old carry
            xp.multiply(dc_new, gate[:, :u], out=d[:, 2 * u:3 * u])  # the candidate, by i
            xp.multiply(dh_new, act_carry[t], out=d[:, 3 * u:])  # o scales act(c)
            d *= slopes[t]
            d_h = d @ U.T
            dh = (d_h if drop is None else d_h * drop) + dh_skip
            dc = dc_new * gate[:, u:2 * u] + dc_skip
        return finish_gradients(seq, d_z, (dh, dc), inputs, kernel, bias, hidden, drop, d_z,
                                bias_grad=lambda: d_z.sum(axis=(0, 1)))

    parents = tuple(t for t in (inputs, h0, c0, kernel, recurrent_kernel, bias) if t is not None)
    packed = xp.concatenate([hidden[1:], carry[-1:]], axis=0)
    out = record(seq.outputs(packed), parents, backward)
    return time_slice(out, slice(0, -1)), time_slice(out, -2), time_slice(out, -1)
