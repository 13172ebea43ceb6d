"""Matrix products: matmul and dot."""

from kerlite.autodiff.tensor import record
from kerlite.ops._helpers import tensors, unbroadcast


def matmul(x1, x2):
    """Matrix product with batch broadcasting.  For y = a @ b: da = g @ b^T, db = a^T @ g."""
    a, b = tensors(x1, x2)
    a_data, b_data = a.data, b.data

    def backward(g):
        if a_data.ndim == 1 or b_data.ndim == 1:
            return _vector_matmul_grads(g, a_data, b_data)
        grad_a = g @ b_data.swapaxes(-1, -2)
        grad_b = a_data.swapaxes(-1, -2) @ g
        if b_data.ndim == 2 and a_data.ndim > 2:
            # A weight matrix shared by every batch row: one big product, not a sum.
            grad_b = a_data.reshape(-1, a_data.shape[-1]).T @ g.reshape(-1, g.shape[-1])
        return unbroadcast(grad_a, a_data.shape), unbroadcast(grad_b, b_data.shape)

    return record(a_data @ b_data, (a, b), backward)


def _vector_matmul_grads(g, a, b):
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g2 = g
    if a.ndim == 1:
        g2 = g2[..., None, :]
    if b.ndim == 1:
        g2 = g2[..., None]
    grad_a = g2 @ b2.swapaxes(-1, -2)
    grad_b = a2.swapaxes(-1, -2) @ g2
    if a.ndim == 1:
        grad_a = grad_a.reshape(-1, a.shape[0]).sum(axis=0)
    if b.ndim == 1:
        grad_b = grad_b.reshape(-1, b.shape[0]).sum(axis=0)
    return unbroadcast(grad_a, a.shape), unbroadcast(grad_b, b.shape)


def dot(x1, x2):
    """NumPy ``dot``: matmul for 1-D and 2-D inputs (the common case)."""
    a, b = tensors(x1, x2)
    if a.ndim <= 2 and b.ndim <= 2:
        if a.ndim == 0 or b.ndim == 0:
            from kerlite.ops.arithmetic import multiply

            return multiply(a, b)
        return matmul(a, b)
    from kerlite.ops.shape import tensordot

    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))
