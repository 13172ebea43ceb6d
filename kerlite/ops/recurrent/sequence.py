"""What the three recurrent ops share: time-major inputs, the mask, the input projection
for all steps at once, and the final gradient bookkeeping."""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.backend import get_array_module


class SequenceInputs:
    """One op call's inputs, time-major (and reversed for go_backwards), with the mask and
    ``x @ kernel + bias`` for every step. ``kernel`` and ``bias`` are arrays."""

    def __init__(self, inputs, kernel, bias, mask, go_backwards, units, op_name):
        self.xp = xp = get_array_module(inputs.data)
        x = inputs.data
        if x.ndim != 3:
            raise ValueError(
                f"{op_name} expects inputs of shape (batch, timesteps, features). "
                f"Received: inputs.shape={tuple(x.shape)}"
            )
        if kernel.shape[0] != x.shape[2]:
            raise ValueError(
                f"{op_name}: the kernel has {kernel.shape[0]} input rows but the inputs "
                f"have {x.shape[2]} features (inputs.shape={tuple(x.shape)})."
            )
        self.batch, self.steps, self.units = x.shape[0], x.shape[1], units
        self.go_backwards = go_backwards
        x_time_major = x.transpose(1, 0, 2)
        if go_backwards:
            x_time_major = x_time_major[::-1]
        self.x_flat = xp.ascontiguousarray(x_time_major).reshape(-1, x.shape[2])
        projected = self.x_flat @ kernel
        if bias is not None:
            projected += bias
        self.projected = projected.reshape(self.steps, self.batch, -1)
        self.mask = None
        if mask is not None:
            m = as_tensor(mask).data.astype(bool).T[:, :, None]  # (time, batch, 1)
            self.mask = m[::-1] if go_backwards else m
            self.mask_float = self.mask.astype(x.dtype)

    def keep(self, step, new, old):
        """Masked rows keep their old value (the padded step is skipped)."""
        if self.mask is None:
            return new
        return self.xp.where(self.mask[step], new, old)

    def split_masked(self, step, grad):
        """(gradient that reaches the new value, gradient that passes the step unchanged)."""
        if self.mask is None:
            return grad, 0
        through = grad * self.mask_float[step]
        return through, grad - through

    def outputs(self, hidden_states):
        """(time, batch, units) hidden states -> (batch, time, units) outputs."""
        return hidden_states.transpose(1, 0, 2)

    def input_grads(self, d_projected, kernel, inputs_need_grad):
        """Gradients of the inputs and the kernel array from d(x @ kernel) at every step."""
        d_flat = d_projected.reshape(self.steps * self.batch, -1)
        d_kernel = self.x_flat.T @ d_flat
        d_inputs = None
        if inputs_need_grad:
            d_inputs = (d_flat @ kernel.T).reshape(self.steps, self.batch, -1)
            if self.go_backwards:
                d_inputs = d_inputs[::-1]
            d_inputs = d_inputs.transpose(1, 0, 2)
        return d_inputs, d_kernel


def time_slice(out, index):
    """``out[:, index]`` for the op's packed result; the gradient lands in a zero array."""
    xp = get_array_module(out.data)

    def backward(g):
        grad = xp.zeros(out.data.shape, dtype=out.data.dtype)
        grad[:, index] = g
        return (grad,)

    return record(out.data[:, index], (out,), backward)


def time_major(grad):
    return grad.transpose(1, 0, 2)


def as_tensors(*values):
    return tuple(None if v is None else as_tensor(v) for v in values)


def dropout_array(recurrent_dropout_mask):
    return None if recurrent_dropout_mask is None else getattr(
        recurrent_dropout_mask, "data", recurrent_dropout_mask)


def finish_gradients(seq, d_projected, dh0, inputs, kernel, bias, hidden, drop, d_recurrent,
                     bias_grad, extra_recurrent=None):
    """Gradients of (inputs, h0[, c0], kernel, recurrent_kernel[, bias]) in parent order;
    ``kernel`` is the array the op projected the inputs with."""
    d_inputs, d_kernel = seq.input_grads(d_projected, kernel, inputs._needs_grad)
    previous = hidden[:-1] if drop is None else hidden[:-1] * drop
    units = previous.shape[-1]
    d_rk = previous.reshape(-1, units).T @ d_recurrent.reshape(-1, d_recurrent.shape[-1])
    if extra_recurrent is not None:
        d_rk = extra_recurrent(d_rk)
    grads = [d_inputs, *dh0, d_kernel, d_rk] if isinstance(dh0, tuple) else \
        [d_inputs, dh0, d_kernel, d_rk]
    if bias is not None:
        grads.append(bias_grad())
    return grads
