"""GateDropoutProduct: ``v @ kernel`` where each gate may see its own dropped copy of ``v``.

A gated cell with dropout multiplies its input (or previous state) ``v`` by a mask before the
matrix product. Keras's LSTM and GRU with ``recurrent_dropout`` draw one mask per gate, so
gate ``g``'s columns of the result are ``(v * m_g) @ kernel_g``. For all gates at once that is
one batched matmul, ``(gates, rows, n) @ (gates, n, units)``, put back side by side in the
kernel's column order. The plain cases stay one matmul: no mask is ``v @ kernel``, and one
mask for all gates is ``(v * m) @ kernel``.

``masks`` is None, a (batch, n) array (one mask for all gates) or a (gates, batch, n) array
(one mask per gate, in the kernel's column order); ``v`` is (..., batch, n), so a whole
time-major sequence (time, batch, n) can be projected in one call.
"""

import functools

from kerlite.autodiff.tensor import array_of


class GateDropoutProduct:
    """The forward product and its two gradients (for ``v`` and for the kernel)."""

    def __init__(self, xp, kernel, masks, gates):
        self.xp, self.kernel, self.masks, self.gates = xp, kernel, masks, gates
        self.per_gate = masks is not None and masks.ndim == 3
        if self.per_gate:
            n, width = kernel.shape
            units = width // gates
            # (gates, n, units): gate g's columns as one matrix of the stack
            self.gate_kernels = xp.ascontiguousarray(
                kernel.reshape(n, gates, units).transpose(1, 0, 2))

    # The transposed kernels, for the gradients only; a contiguous copy, because a product
    # with a transposed view of a small kernel takes about twice as long in OpenBLAS.
    @functools.cached_property
    def kernel_T(self):
        return self.xp.ascontiguousarray(self.kernel.T)

    @functools.cached_property
    def gate_kernels_T(self):
        return self.xp.ascontiguousarray(self.gate_kernels.transpose(0, 2, 1))

    def _dropped(self, v):
        """``v`` times its mask: (..., batch, n), or (gates, ..., batch, n) per gate."""
        if self.masks is None:
            return v
        if not self.per_gate:
            return v * self.masks
        leading = (1,) * (v.ndim - 2)  # the masks are the same at every time step
        masks = self.masks.reshape(self.gates, *leading, *self.masks.shape[1:])
        return v[None] * masks

    def __call__(self, v, out=None):
        """``v @ kernel`` with the masks, shape (..., batch, gates * units)."""
        if not self.per_gate:
            dropped = v if self.masks is None else v * self.masks
            if v.ndim == 2:  # one step: as fast as a bare matmul
                return dropped @ self.kernel if out is None else \
                    self.xp.matmul(dropped, self.kernel, out=out)
            flat = dropped.reshape(-1, dropped.shape[-1])  # one matmul for all steps
            return (flat @ self.kernel).reshape(*v.shape[:-1], self.kernel.shape[1])
        dropped = self._dropped(v)
        stacked = dropped.reshape(self.gates, -1, v.shape[-1]) @ self.gate_kernels
        side_by_side = stacked.transpose(1, 0, 2).reshape(*v.shape[:-1], -1)
        if out is None:
            return side_by_side
        out[...] = side_by_side
        return out

    def _gate_stack(self, d):
        """(..., gates * units) -> (gates, rows, units)."""
        units = d.shape[-1] // self.gates
        return d.reshape(-1, self.gates, units).transpose(1, 0, 2)

    def input_gradient(self, d):
        """The gradient of ``v`` from ``d``, the gradient of the product."""
        if not self.per_gate:
            if d.ndim == 2:
                grad = d @ self.kernel_T
            else:
                flat = d.reshape(-1, d.shape[-1]) @ self.kernel_T
                grad = flat.reshape(*d.shape[:-1], self.kernel.shape[0])
            return grad if self.masks is None else grad * self.masks
        per_gate = self._gate_stack(d) @ self.gate_kernels_T
        per_gate = per_gate.reshape(self.gates, *d.shape[:-1], self.kernel.shape[0])
        masks = self.masks.reshape(self.gates, *(1,) * (d.ndim - 2), *self.masks.shape[1:])
        return (per_gate * masks).sum(axis=0)

    def kernel_gradient(self, v, d):
        """The gradient of the kernel, summed over every row of ``v`` and ``d``."""
        dropped = self._dropped(v)
        n = v.shape[-1]
        if not self.per_gate:
            return dropped.reshape(-1, n).T @ d.reshape(-1, d.shape[-1])
        per_gate = dropped.reshape(self.gates, -1, n).transpose(0, 2, 1) @ self._gate_stack(d)
        return per_gate.transpose(1, 0, 2).reshape(n, -1)  # (n, gates * units)


def gate_mask_array(xp, mask, shape, gates, dtype, op_name, name):
    """``mask`` (an array, a tensor, or a list with one per gate) as None, an array of
    ``shape`` = (batch, width) or one of (gates, batch, width), in ``dtype``; any other
    shape is a ValueError that names the shapes allowed."""
    if mask is None:
        return None
    if isinstance(mask, (list, tuple)):
        mask = xp.stack([xp.asarray(array_of(m)) for m in mask])
    mask = xp.asarray(array_of(mask))
    if mask.shape not in (tuple(shape), (gates, *shape)):
        raise ValueError(
            f"{op_name}: {name} must have shape {tuple(shape)} (one mask for all gates) or "
            f"{(gates, *shape)} (one mask per gate, in Keras's gate order). "
            f"Received: {name}.shape={tuple(mask.shape)}")
    return mask.astype(dtype, copy=False)
