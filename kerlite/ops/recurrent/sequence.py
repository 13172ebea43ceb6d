"""What the three recurrent ops share: time-major inputs, the mask, the input projection
for all steps at once, and the final gradient bookkeeping."""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.recurrent.gate_dropout import GateDropoutProduct, gate_mask_array


class SequenceInputs:
    """One op call's inputs, time-major (and reversed for go_backwards), with the mask and
    ``x @ kernel + bias`` for every step. ``kernel`` and ``bias`` are arrays.

    ``input_dropout_mask`` (optional): (batch, features), or (gates, batch, features) with
    one mask per gate in Keras's gate order; ``gate_order`` lists, for each block of the
    op's kernel, which Keras gate it is (None: the same order).
    """

    def __init__(self, inputs, kernel, bias, mask, go_backwards, units, op_name,
                 input_dropout_mask=None, gate_order=None):
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
        self.gates, self.op_name, self.gate_order = kernel.shape[1] // units, op_name, gate_order
        self.dtype = x.dtype
        self.go_backwards = go_backwards
        x_time_major = x.transpose(1, 0, 2)
        if go_backwards:
            x_time_major = x_time_major[::-1]
        self.x_time_major = xp.ascontiguousarray(x_time_major)  # (time, batch, features)
        self.input_masks = self.gate_masks(input_dropout_mask, x.shape[2], "input_dropout_mask")
        projected = GateDropoutProduct(xp, kernel, self.input_masks, self.gates)(
            self.x_time_major)
        if bias is not None:
            projected += bias
        self.projected = projected  # (time, batch, gates * units)
        self.mask = None
        if mask is not None:
            m = as_tensor(mask).data.astype(bool).T[:, :, None]  # (time, batch, 1)
            self.mask = m[::-1] if go_backwards else m
            self.mask_float = self.mask.astype(x.dtype)

    def gate_masks(self, dropout_mask, width, name):
        """A dropout mask as an array for ``GateDropoutProduct``: None, (batch, width), or
        (gates, batch, width) in the op's gate order."""
        masks = gate_mask_array(self.xp, dropout_mask, (self.batch, width), self.gates,
                                self.dtype, self.op_name, name)
        if masks is not None and masks.ndim == 3 and self.gate_order is not None:
            masks = masks[list(self.gate_order)]
        return masks

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
        product = GateDropoutProduct(self.xp, kernel, self.input_masks, self.gates)
        d_kernel = product.kernel_gradient(self.x_time_major, d_projected)
        d_inputs = None
        if inputs_need_grad:
            d_inputs = product.input_gradient(d_projected)
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


def finish_gradients(seq, d_projected, dh0, inputs, kernel, bias, hidden, recurrent,
                     d_recurrent, bias_grad, extra_recurrent=None):
    """Gradients of (inputs, h0[, c0], kernel, recurrent_kernel[, bias]) in parent order;
    ``kernel`` is the array of the input projection's gradient; ``recurrent`` (a
    GateDropoutProduct) is the state's product whose gradient is ``d_recurrent``."""
    d_inputs, d_kernel = seq.input_grads(d_projected, kernel, inputs._needs_grad)
    d_rk = recurrent.kernel_gradient(hidden[:-1], d_recurrent)
    if extra_recurrent is not None:
        d_rk = extra_recurrent(d_rk)
    grads = [d_inputs, *dh0, d_kernel, d_rk] if isinstance(dh0, tuple) else \
        [d_inputs, dh0, d_kernel, d_rk]
    if bias is not None:
        grads.append(bias_grad())
    return grads
