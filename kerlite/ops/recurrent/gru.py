"""gru: the gated recurrent unit over a whole sequence (both reset_after forms), with BPTT."""

from kerlite.autodiff.tensor import keeps_backward, record
from kerlite.ops.recurrent.gate_activations import activate_in_place, activation_pair
from kerlite.ops.recurrent.gate_dropout import GateDropoutProduct
from kerlite.ops.recurrent.sequence import (SequenceInputs, as_tensors, finish_gradients,
                                            time_major, time_slice)


def gru(inputs, initial_state, kernel, recurrent_kernel, bias=None, mask=None,
        go_backwards=False, activation="tanh", recurrent_activation="sigmoid",
        reset_after=True, recurrent_dropout_mask=None, input_dropout_mask=None):
    """Gated recurrent unit over a whole sequence (Keras gate order z, r, h).

    ``z, r = rec_act(x W_zr + h U_zr + b)``; candidate ``hh = act(x W_h + r * (h U_h + b_h))``
    when ``reset_after`` (bias of shape (2, 3u): input and recurrent rows), else
    ``hh = act(x W_h + (r * h) U_h + b_h)``; ``h = z * h + (1 - z) * hh``.
    Dropout masks multiply ``h`` (``recurrent_dropout_mask``, (batch, units)) and ``x``
    (``input_dropout_mask``, (batch, features)) before their products; a mask of shape
    (3, batch, n) gives each gate (z, r, h) its own, e.g. ``(x * m_z) W_z``.
    Returns ``(outputs, last_state)``.
    """
    inputs, h0, kernel, recurrent_kernel, bias = as_tensors(
        inputs, initial_state, kernel, recurrent_kernel, bias)
    u = recurrent_kernel.data.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        input_bias, recurrent_bias = (bias.data[0], bias.data[1]) if reset_after else \
            (bias.data, None)
    seq = SequenceInputs(inputs, kernel.data, input_bias, mask, go_backwards, u, "gru",
                         input_dropout_mask)
    xp, U = seq.xp, recurrent_kernel.data
    drop = seq.gate_masks(recurrent_dropout_mask, u, "recurrent_dropout_mask")
    if reset_after:  # h @ U for all three gates
        recurrent = GateDropoutProduct(xp, U, drop, gates=3)
    else:  # h @ U for z and r; the candidate's product comes after the reset gate
        per_gate = drop is not None and drop.ndim == 3
        recurrent = GateDropoutProduct(xp, U[:, :2 * u], drop[:2] if per_gate else drop, 2)
        candidate_mask = drop[2] if per_gate else drop
    d_act = activation_pair(activation)[1]
    d_rec = activation_pair(recurrent_activation)[1]
    dtype, steps, batch = seq.projected.dtype, seq.steps, seq.batch
    parents = tuple(t for t in (inputs, h0, kernel, recurrent_kernel, bias) if t is not None)
    # Training keeps every step's gates for the backward pass; inference reuses one of each.
    keep = keeps_backward(parents)
    kept = steps if keep else 1
    hidden = xp.empty((steps + 1, batch, u), dtype=dtype)
    update_reset = xp.empty((kept, batch, 2 * u), dtype=dtype)
    candidate = xp.empty((kept, batch, u), dtype=dtype)
    if reset_after:  # h @ U + recurrent bias, all three gates; the candidate needs its part
        h_parts = xp.empty((kept, batch, 3 * u), dtype=dtype)
        reset_input = h_parts[:, :, 2 * u:]
    else:  # r * h, what the candidate's gradient needs
        reset_input = xp.empty_like(candidate)
    hidden[0] = h0.data
    for t in range(steps):
        k = t if keep else 0
        x_part, zr, cand = seq.projected[t], update_reset[k], candidate[k]
        if reset_after:
            h_part = recurrent(hidden[t], out=h_parts[k])
            if recurrent_bias is not None:
                h_part += recurrent_bias
            activate_in_place(xp, recurrent_activation,
                              xp.add(x_part[:, :2 * u], h_part[:, :2 * u], out=zr))
            xp.multiply(zr[:, u:], reset_input[k], out=cand)
        else:
            activate_in_place(xp, recurrent_activation,
                              xp.add(x_part[:, :2 * u], recurrent(hidden[t]), out=zr))
            xp.multiply(zr[:, u:], _dropped(hidden[t], candidate_mask), out=reset_input[k])
            xp.matmul(reset_input[k], U[:, 2 * u:], out=cand)
        cand += x_part[:, 2 * u:]
        activate_in_place(xp, activation, cand)
        new = xp.subtract(hidden[t], cand, out=hidden[t + 1])  # h = hh + z * (h - hh)
        new *= zr[:, :u]
        new += cand
        if seq.mask is not None:
            new[...] = seq.keep(t, new, hidden[t])

    def backward(g):
        g = time_major(g)
        d_x_part = xp.empty((seq.steps, seq.batch, 3 * u), dtype=dtype)
        d_h_part = xp.empty_like(d_x_part) if reset_after else None
        dh = xp.zeros_like(hidden[0])
        candidate_kernel_T = None if reset_after else xp.ascontiguousarray(U[:, 2 * u:].T)
        # What multiplies the gradients inside the loop, for all steps at once (few calls
        # on whole arrays instead of many on one step's): dz = dh * (h - hh) * z';
        # d_hh = dh * (1 - z) * act'(hh); dr = d_hh * (h U_h + b_h, or d(r*h) * h) * r'.
        z_all, r_all = update_reset[..., :u], update_reset[..., u:]
        gate_slopes = d_rec(xp, update_reset)
        z_coefficient = (hidden[:-1] - candidate) * gate_slopes[..., :u]
        candidate_slope = (1 - z_all) * d_act(xp, candidate)
        if reset_after:
            r_coefficient = reset_input * gate_slopes[..., u:]
        else:
            r_coefficient = _dropped(hidden[:-1], candidate_mask) * gate_slopes[..., u:]
        for t in reversed(range(seq.steps)):
            dh_new, dh_skip = seq.split_masked(t, dh + g[t])
            d = d_x_part[t]
            d_cand = xp.multiply(dh_new, candidate_slope[t], out=d[:, 2 * u:])
            xp.multiply(dh_new, z_coefficient[t], out=d[:, :u])
            if reset_after:
                xp.multiply(d_cand, r_coefficient[t], out=d[:, u:2 * u])
                d_h_part[t, :, :2 * u] = d[:, :2 * u]
                xp.multiply(d_cand, r_all[t], out=d_h_part[t, :, 2 * u:])
                d_h = recurrent.input_gradient(d_h_part[t])
            else:
                d_reset_input = d_cand @ candidate_kernel_T
                xp.multiply(d_reset_input, r_coefficient[t], out=d[:, u:2 * u])
                d_h = recurrent.input_gradient(d[:, :2 * u])
                d_h += _dropped(d_reset_input * r_all[t], candidate_mask)
            dh = xp.multiply(dh_new, z_all[t])
            dh += d_h
            if seq.mask is not None:
                dh += dh_skip

        def bias_grad():
            d_input_bias = d_x_part.sum(axis=(0, 1))
            if not reset_after:
                return d_input_bias
            return xp.stack([d_input_bias, d_h_part.sum(axis=(0, 1))])

        if reset_after:
            return finish_gradients(seq, d_x_part, dh, inputs, kernel.data, bias, hidden,
                                    recurrent, d_h_part, bias_grad)
        d_zr = d_x_part[:, :, :2 * u]

        def add_candidate_part(d_rk_zr):
            d_rk_h = reset_input.reshape(-1, u).T @ d_x_part[:, :, 2 * u:].reshape(-1, u)
            return xp.concatenate([d_rk_zr, d_rk_h], axis=1)

        return finish_gradients(seq, d_x_part, dh, inputs, kernel.data, bias, hidden, recurrent,
                                d_zr, bias_grad, extra_recurrent=add_candidate_part)

    out = record(seq.outputs(hidden[1:]), parents, backward)
    return out, time_slice(out, -1)


def _dropped(values, mask):
    return values if mask is None else values * mask
