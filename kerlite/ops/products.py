"""Products of tensors: matmul, dot, tensordot, einsum, outer.

For y = a @ b the backward rule is da = g @ b^T and db = a^T @ g; ``einsum`` gets each
operand's gradient from one more einsum of ``g`` with the other operands.
"""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors, unbroadcast


def matmul(x1, x2):
    """Matrix product with batch broadcasting.  For y = a @ b: da = g @ b^T, db = a^T @ g."""
    a, b = tensors(x1, x2)
    a_data, b_data = a.data, b.data
    if a_data.ndim == 0 or b_data.ndim == 0:
        raise ValueError(
            "matmul needs tensors with at least 1 axis; use multiply for scalars. "
            f"Received shapes {a.shape} and {b.shape}."
        )
    if a_data.shape[-1] != b_data.shape[-2 if b_data.ndim > 1 else 0]:
        raise ValueError(
            f"matmul: the last axis of the first input ({a.shape}) must match the "
            f"second-to-last axis of the second input ({b.shape})."
        )

    def backward(g):
        if a_data.ndim == 1 or b_data.ndim == 1:
            return _vector_matmul_grads(g, a_data, b_data)
        grad_a = grad_b = None
        if a._needs_grad:
            grad_a = unbroadcast(g @ b_data.swapaxes(-1, -2), a_data.shape)
        if b._needs_grad:
            if b_data.ndim == 2 and a_data.ndim > 2:
                # A weight matrix shared by every batch row: one big product, not a sum.
                grad_b = a_data.reshape(-1, a_data.shape[-1]).T @ g.reshape(-1, g.shape[-1])
            else:
                grad_b = unbroadcast(a_data.swapaxes(-1, -2) @ g, b_data.shape)
        return grad_a, grad_b

    return record(a_data @ b_data, (a, b), backward)


def _vector_matmul_grads(g, a, b):
    """matmul's gradients when an input is a vector: treat it as a 1-row/1-column matrix."""
    if a.ndim == 1 and b.ndim == 1:  # inner product: a scalar
        return g * b, g * a
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
    """NumPy ``dot``: matmul for 1-D and 2-D inputs, a sum over the last axis of ``x1``
    and the second-to-last of ``x2`` for higher ranks."""
    a, b = tensors(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        from kerlite.ops.arithmetic import multiply

        return multiply(a, b)
    if a.ndim <= 2 and b.ndim <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [max(b.ndim - 2, 0)]))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tensordot(x1, x2, axes=2):
    """Sum of products over ``axes``: an int n (last n of x1 with first n of x2) or a
    pair of axis lists.  Written as an einsum, which also gives its gradient."""
    a, b = tensors(x1, x2)
    if isinstance(axes, int):
        axes_a = list(range(a.ndim - axes, a.ndim))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = ([ax] if isinstance(ax, int) else list(ax) for ax in axes)
    axes_a = [ax % a.ndim for ax in axes_a]
    axes_b = [ax % b.ndim for ax in axes_b]
    letters_a = list(_LETTERS[:a.ndim])
    letters_b = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    for ax_a, ax_b in zip(axes_a, axes_b):
        letters_b[ax_b] = letters_a[ax_a]
    kept = ([letters_a[i] for i in range(a.ndim) if i not in axes_a]
            + [letters_b[i] for i in range(b.ndim) if i not in axes_b])
    return einsum(f"{''.join(letters_a)},{''.join(letters_b)}->{''.join(kept)}", a, b)


def outer(x1, x2):
    """Outer product of the flattened inputs: out[i, j] = x1[i] * x2[j]."""
    a, b = tensors(x1, x2)
    return einsum("i,j->ij", a.reshape(-1), b.reshape(-1))


def einsum(subscripts, *operands):
    """Einstein summation (``numpy.einsum``), e.g. ``einsum("bij,bjk->bik", a, b)``.

    Backward: the gradient of operand i is the einsum of ``g`` with the other operands,
    written back to operand i's letters (letters that were summed away alone are
    broadcast back).
    """
    tensors_in = [as_tensor(x) for x in operands]
    if len(tensors_in) == 2:
        tensors_in = list(tensors(*tensors_in))
    inputs, output = _parse_subscripts(subscripts, [t.ndim for t in tensors_in])
    xp = get_array_module(*[t.data for t in tensors_in])
    datas = [t.data for t in tensors_in]
    out = xp.einsum(f"{','.join(inputs)}->{output}", *datas)
    if xp.ndim(out) == 0:
        out = xp.asarray(out)

    def backward(g):
        grads = []
        for i, (letters, tensor) in enumerate(zip(inputs, tensors_in)):
            if not tensor._needs_grad:
                grads.append(None)
                continue
            if len(set(letters)) != len(letters):
                raise ValueError(
                    f"einsum {subscripts!r}: operand {i} repeats an index ({letters}), "
                    "a diagonal or trace, whose gradient kerlite does not compute."
                )
            others = [inputs[j] for j in range(len(inputs)) if j != i] + [output]
            present = "".join(c for c in letters if any(c in o for o in others))
            spec = ",".join(others) + "->" + present
            grad = xp.einsum(spec, *[datas[j] for j in range(len(datas)) if j != i], g)
            if present != letters:
                grad = xp.broadcast_to(
                    grad.reshape([tensor.data.shape[k] if c in present else 1
                                  for k, c in enumerate(letters)]), tensor.data.shape)
            grads.append(grad)
        return grads

    return record(out, tuple(tensors_in), backward)


def _parse_subscripts(subscripts, ndims):
    """Explicit letters for every axis: '...' is spelled out, a missing '->' filled in."""
    subscripts = subscripts.replace(" ", "")
    left, arrow, right = subscripts.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(
            f"einsum {subscripts!r} names {len(inputs)} operands but received {len(ndims)}."
        )
    unused = [c for c in _LETTERS if c not in subscripts]
    widest = max((n - len(s.replace("...", "")) for s, n in zip(inputs, ndims)
                  if "..." in s), default=0)
    spare = "".join(unused[:widest])
    spelled = [s.replace("...", spare[widest - (n - len(s.replace("...", ""))):])
               for s, n in zip(inputs, ndims)]
    if arrow:
        output = right.replace("...", spare)
    else:
        letters = "".join(spelled)
        once = sorted(c for c in set(letters) if letters.count(c) == 1 and c not in spare)
        output = spare + "".join(once)
    return spelled, output

