"""lstm: long short-term memory over a whole sequence, with BPTT.

Two arrangements keep the per-step loop short (a Python loop pays per array call):

- Inside the op the gate blocks are ordered (o, i, f, c) instead of Keras's (i, f, c, o):
  the three gates with the recurrent activation are side by side, and the three blocks
  whose gradients are scaled by the carry's gradient (i, f, c) are too. The weight
  gradients are put back in Keras's order at the end.
- With the default activations one ``tanh`` call serves all four blocks, because
  ``sigmoid(z) = (tanh(z / 2) + 1) / 2``: the o, i, f columns of the weights are halved
  once per call, and the three gates get ``* 0.5 + 0.5`` afterwards.
"""

from kerlite.autodiff.tensor import keeps_backward, record
from kerlite.arrays import get_array_module
from kerlite.ops.recurrent.gate_activations import activation_pair
from kerlite.ops.recurrent.gate_dropout import GateDropoutProduct
from kerlite.ops.recurrent.sequence import (SequenceInputs, as_tensors, finish_gradients,
                                            time_major, time_slice)

# Keras's blocks are (i, f, c, o) = (0, 1, 2, 3); inside the op they are (o, i, f, c).
_INSIDE_ORDER = (3, 0, 1, 2)
_KERAS_ORDER = (1, 2, 3, 0)  # where each Keras block sits inside


def _reorder_columns(xp, array, blocks, units):
    """``array`` with its last axis' blocks of ``units`` columns taken in ``blocks`` order."""
    return xp.concatenate([array[..., b * units:(b + 1) * units] for b in blocks], axis=-1)


def lstm(inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias=None,
         mask=None, go_backwards=False, activation="tanh", recurrent_activation="sigmoid",
         recurrent_dropout_mask=None, input_dropout_mask=None):
    """Long short-term memory over a whole sequence (Keras gate order i, f, c, o).

    ``z = x_t @ W + h @ U + b``; ``i, f, o = rec_act(z_i, z_f, z_o)``; ``g = act(z_c)``;
    ``c = f * c + i * g``; ``h = o * act(c)``.
    Dropout masks multiply ``h`` (``recurrent_dropout_mask``, (batch, units)) and ``x_t``
    (``input_dropout_mask``, (batch, features)) before their products; a mask of shape
    (4, batch, n) gives each gate (i, f, c, o) its own: ``z_g = (x_t * m_g) @ W_g + ...``.
    Returns ``(outputs, last_h, last_c)``.
    """
    inputs, h0, c0, kernel, recurrent_kernel, bias = as_tensors(
        inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias)
    u = recurrent_kernel.data.shape[0]
    xp = get_array_module(inputs.data)
    W = _reorder_columns(xp, kernel.data, _INSIDE_ORDER, u)
    U = _reorder_columns(xp, recurrent_kernel.data, _INSIDE_ORDER, u)
    b = None if bias is None else _reorder_columns(xp, bias.data, _INSIDE_ORDER, u)
    act, d_act = activation_pair(activation)
    rec, d_rec = activation_pair(recurrent_activation)
    one_tanh = activation == "tanh" and recurrent_activation == "sigmoid"
    W_step, U_step, b_step = W, U, b
    if one_tanh:
        half = xp.ones(4 * u, dtype=W.dtype)
        half[:3 * u] = 0.5
        W_step, U_step, b_step = W * half, U * half, None if b is None else b * half
    seq = SequenceInputs(inputs, W_step, b_step, mask, go_backwards, u, "lstm",
                         input_dropout_mask, gate_order=_INSIDE_ORDER)
    drop = seq.gate_masks(recurrent_dropout_mask, u, "recurrent_dropout_mask")
    recurrent_step = GateDropoutProduct(xp, U_step, drop, gates=4)  # h @ U_step, masked
    parents = tuple(t for t in (inputs, h0, c0, kernel, recurrent_kernel, bias) if t is not None)
    # Training keeps every step's gates and carry for the backward pass; inference (nothing
    # to differentiate) reuses one buffer of each, which stays in the processor's cache.
    keep = keeps_backward(parents)
    dtype, steps, batch = seq.projected.dtype, seq.steps, seq.batch
    hidden = xp.empty((steps + 1, batch, u), dtype=dtype)
    carry = xp.empty((steps + 1 if keep else 2, batch, u), dtype=dtype)
    gates = xp.empty((steps if keep else 1, batch, 4 * u), dtype=dtype)  # o, i, f, g activated
    act_carry = xp.empty((steps if keep else 1, batch, u), dtype=dtype)  # before masking
    input_times_candidate = xp.empty((batch, u), dtype=dtype)
    if one_tanh:  # tanh(z / 2) * 0.5 + 0.5 on the o, i, f blocks: the sigmoid
        scale, shift = xp.full(4 * u, 0.5, dtype=dtype), xp.zeros(4 * u, dtype=dtype)
        scale[3 * u:] = 1
        shift[:3 * u] = 0.5
    hidden[0], carry[0] = h0.data, c0.data
    for t in range(steps):
        k = t if keep else 0  # this step's gate buffer
        before, after = (t, t + 1) if keep else (t % 2, (t + 1) % 2)  # its carry buffers
        z, c, a = gates[k], carry[after], act_carry[k]
        recurrent_step(hidden[t], out=z)
        z += seq.projected[t]
        if one_tanh:
            xp.tanh(z, out=z)
            z *= scale
            z += shift
        else:
            z[:, :3 * u] = rec(xp, z[:, :3 * u])
            z[:, 3 * u:] = act(xp, z[:, 3 * u:])
        xp.multiply(z[:, 2 * u:3 * u], carry[before], out=c)  # c = f * c + i * g
        c += xp.multiply(z[:, u:2 * u], z[:, 3 * u:], out=input_times_candidate)
        if one_tanh:
            xp.tanh(c, out=a)
        else:
            a[...] = act(xp, c)
        xp.multiply(z[:, :u], a, out=hidden[t + 1])  # h = o * act(c)
        if seq.mask is not None:
            c[...] = seq.keep(t, c, carry[before])
            hidden[t + 1] = seq.keep(t, hidden[t + 1], hidden[t])
    last_carry = carry[-1] if keep else carry[steps % 2]

    def backward(grad):
        g_out = xp.ascontiguousarray(time_major(grad))  # (time + 1, batch, u); last: carry
        coefficient, o_carry_slope = _step_coefficients(xp, gates, carry, act_carry, u,
                                                        d_rec, d_act)
        d_z = xp.empty_like(gates)
        recurrent = GateDropoutProduct(xp, U, drop, gates=4)  # its gradients use U itself
        dh, dc = xp.zeros_like(hidden[0]), g_out[seq.steps]
        for t in reversed(range(seq.steps)):
            dh_new, dh_skip = seq.split_masked(t, dh + g_out[t])
            dc_new, dc_skip = seq.split_masked(t, dc)
            dc_new = dc_new + dh_new * o_carry_slope[t]
            d = d_z[t]
            xp.multiply(dh_new, coefficient[t, :, :u], out=d[:, :u])
            xp.multiply(dc_new.reshape(seq.batch, 1, u),
                        coefficient[t, :, u:].reshape(seq.batch, 3, u),
                        out=d[:, u:].reshape(seq.batch, 3, u))
            dh = recurrent.input_gradient(d)
            dc = dc_new * gates[t, :, 2 * u:3 * u]
            if seq.mask is not None:
                dh += dh_skip
                dc += dc_skip
        return _gradients(xp, seq, d_z, dh, dc, inputs, W, hidden, recurrent, bias, u)

    packed = xp.concatenate([hidden[1:], last_carry[None]], axis=0)
    out = record(seq.outputs(packed), parents, backward)
    return time_slice(out, slice(0, -1)), time_slice(out, -2), time_slice(out, -1)


def _step_coefficients(xp, gates, carry, act_carry, u, d_rec, d_act):
    """For all steps at once: what multiplies the gradients inside the backward loop.

    ``coefficient`` (time, batch, 4u): dz_o = dh * act(c) * o', and dz_i, dz_f, dz_g =
    dc * (g * i', c_prev * f', i * g'); ``o_carry_slope`` = o * act'(c), which takes dh
    into dc.
    """
    slopes = d_rec(xp, gates)  # the o, i, f blocks are right; the g block is redone below
    slopes[..., 3 * u:] = d_act(xp, gates[..., 3 * u:])
    coefficient = xp.empty_like(gates)
    xp.multiply(act_carry, slopes[..., :u], out=coefficient[..., :u])
    xp.multiply(gates[..., 3 * u:], slopes[..., u:2 * u], out=coefficient[..., u:2 * u])
    xp.multiply(carry[:-1], slopes[..., 2 * u:3 * u], out=coefficient[..., 2 * u:3 * u])
    xp.multiply(gates[..., u:2 * u], slopes[..., 3 * u:], out=coefficient[..., 3 * u:])
    o_carry_slope = d_act(xp, act_carry)
    o_carry_slope *= gates[..., :u]
    return coefficient, o_carry_slope


def _gradients(xp, seq, d_z, dh0, dc0, inputs, W, hidden, recurrent, bias, u):
    """Gradients of (inputs, h0, c0, kernel, recurrent_kernel[, bias]), Keras's gate order."""
    grads = finish_gradients(seq, d_z, (dh0, dc0), inputs, W, bias, hidden, recurrent, d_z,
                             bias_grad=lambda: d_z.sum(axis=(0, 1)))
    return grads[:3] + [_reorder_columns(xp, g, _KERAS_ORDER, u) for g in grads[3:]]
