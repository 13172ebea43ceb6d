"""Linear algebra on (stacks of) matrices: det, inv, solve, cholesky, eigh, qr, svd...

Every op works on the last two axes and treats the leading axes as a batch. Backward
rules (for y = f(A), with G = dL/dy and ^T swapping the last two axes):

    det:      dA = G * det(A) * inv(A)^T          inv:  dA = -Y^T G Y^T
    solve:    db = solve(A^T, G),  dA = -db X^T   slogdet: dA = G * inv(A)^T
    cholesky: dA = sym(L^-T Phi(L^T G) L^-1)      (Phi: lower half, diagonal halved)
    eigh:     dA = V (diag(Gw) + F * (V^T GV)) V^T,  F_ij = 1 / (w_j - w_i)
"""

import numpy

from kerlite.autodiff.tensor import array_of, record, Tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, unbroadcast
from kerlite.ops.products import matmul


def _T(a):
    return a.swapaxes(-1, -2)


def _square(x, name):
    x = float_tensor(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{name} needs square matrices in the last two axes; received "
                         f"shape {x.shape}.")
    return x


def _solve(a, b, xp):
    """``xp.linalg.solve``, but a singular matrix gives NaNs (as in Keras with JAX)
    instead of an error, so its neighbours in a batch still get their answer."""
    try:
        return xp.linalg.solve(a, b)
    except Exception:  # numpy.linalg.LinAlgError: some matrix of the batch is singular
        shape = numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]
        a_b = xp.broadcast_to(a, shape[:-2] + a.shape[-2:]).reshape((-1,) + a.shape[-2:])
        b_b = xp.broadcast_to(b, shape).reshape((-1,) + b.shape[-2:])
        out = xp.full(b_b.shape, xp.nan, dtype=xp.result_type(a.dtype, b.dtype))
        for i in range(a_b.shape[0]):
            try:
                out[i] = xp.linalg.solve(a_b[i], b_b[i])
            except Exception:
                pass
        return out.reshape(shape)


def _inv(a, xp):
    return _solve(a, xp.broadcast_to(xp.eye(a.shape[-1], dtype=a.dtype), a.shape), xp)


def _matrices(x, name):
    x = float_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{name} needs a tensor of rank >= 2; received shape {x.shape}.")
    return x


def det(x):
    """Determinant of each square matrix."""
    x = _square(x, "det")
    xp = get_array_module(x.data)
    out = xp.linalg.det(x.data)

    def backward(g):
        return ((g * out)[..., None, None] * _T(_inv(x.data, xp)),)

    return record(xp.asarray(out), (x,), backward)


def inv(x):
    """Inverse of each square matrix.  Backward: dA = -Y^T G Y^T for Y = inv(A)."""
    x = _square(x, "inv")
    xp = get_array_module(x.data)
    out = _inv(x.data, xp)

    def backward(g):
        return (-_T(out) @ g @ _T(out),)

    return record(out, (x,), backward)


def slogdet(x):
    """``(sign, log|det|)`` of each square matrix: stable where det over/underflows."""
    x = _square(x, "slogdet")
    xp = get_array_module(x.data)
    sign, logabs = xp.linalg.slogdet(x.data)

    def backward(g):
        return (g[..., None, None] * _T(_inv(x.data, xp)),)

    return Tensor(xp.asarray(sign)), record(xp.asarray(logabs), (x,), backward)


def logdet(x):
    """log(det(x)) of each (positive-definite) matrix, through ``slogdet``."""
    sign, logabs = slogdet(x)
    xp = get_array_module(logabs.data)
    if bool(xp.any(sign.data < 0)):
        from kerlite.ops.indexing import where

        return where(sign.data < 0, logabs.data.dtype.type(float("nan")), logabs)
    return logabs


def solve(a, b):
    """x with a @ x = b (``b`` a matrix, or a vector when 1-D).

    Backward: db = solve(a^T, G), da = -db x^T.
    """
    a = _square(a, "solve")
    b = float_tensor(b)
    xp = get_array_module(a.data)
    vector = b.ndim == 1
    b_data = b.data[:, None] if vector else b.data
    if b_data.shape[-2] != a.shape[-1]:
        raise ValueError(f"solve: a of shape {a.shape} does not match b of shape {b.shape}.")
    out = _solve(a.data, b_data, xp)

    def backward(g):
        g = g[:, None] if vector else g
        grad_b = _solve(_T(a.data), g, xp)
        grad_a = unbroadcast(-grad_b @ _T(out), a.data.shape)
        grad_b = grad_b[:, 0] if vector else unbroadcast(grad_b, b.data.shape)
        return grad_a, grad_b

    return record(out[:, 0] if vector else out, (a, b), backward)


def solve_triangular(a, b, lower=False):
    """x with T @ x = b, T the lower (``lower=True``) or upper triangle of ``a``.

    Backward: db = solve(T^T, G); da = -(db x^T) restricted to T's triangle.
    """
    a = _square(a, "solve_triangular")
    b = float_tensor(b)
    xp = get_array_module(a.data)
    tri = xp.tril if lower else xp.triu
    t = tri(a.data)
    vector = b.ndim == 1
    b_data = b.data[:, None] if vector else b.data
    out = _solve(t, b_data, xp)

    def backward(g):
        g = g[:, None] if vector else g
        grad_b = _solve(_T(t), g, xp)
        grad_a = unbroadcast(tri(-grad_b @ _T(out)), a.data.shape)
        grad_b = grad_b[:, 0] if vector else unbroadcast(grad_b, b.data.shape)
        return grad_a, grad_b

    return record(out[:, 0] if vector else out, (a, b), backward)


def cholesky(x, upper=False):
    """L (lower triangular) with x = L L^T, for symmetric positive-definite ``x``;
    with ``upper=True`` the upper factor U = L^T (x = U^T U).

    Reads only the lower triangle of ``x``; the gradient is symmetric.
    """
    x = _square(x, "cholesky")
    xp = get_array_module(x.data)
    try:
        low = xp.linalg.cholesky(x.data)
    except Exception as error:  # numpy raises LinAlgError
        raise ValueError(f"cholesky: the input is not positive definite ({error}).") from None
    if not bool(xp.isfinite(low).all()):  # CuPy returns NaNs instead of raising
        raise ValueError("cholesky: the input is not positive definite.")

    def backward(g):
        g = _T(g) if upper else g
        phi = xp.tril(_T(low) @ g)
        phi = phi - 0.5 * xp.eye(phi.shape[-1], dtype=phi.dtype) * phi
        inv_low = xp.linalg.inv(low)
        s = _T(inv_low) @ phi @ inv_low
        return (0.5 * (s + _T(s)),)

    return record(_T(low).copy() if upper else low, (x,), backward)


def cholesky_inverse(x, upper=False):
    """inv(A) from A's Cholesky factor ``x``: L^-T L^-1 (or U^-1 U^-T if ``upper``)."""
    x = _square(x, "cholesky_inverse")
    xp = get_array_module(x.data)
    identity = Tensor(xp.eye(x.shape[-1], dtype=x.data.dtype))
    inv_factor = solve_triangular(x, identity, lower=not upper)
    from kerlite.ops.shape import swapaxes

    if upper:
        return matmul(inv_factor, swapaxes(inv_factor, -1, -2))
    return matmul(swapaxes(inv_factor, -1, -2), inv_factor)


def _default_rcond(shape, dtype, xp, factor):
    return factor * max(shape[-2:]) * float(xp.finfo(dtype).eps)


def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse, through the SVD; singular values at most
    ``rcond`` times the largest (default 10 * max(m, n) * eps) count as zero.

    Backward (for X = pinv(A)): dA = -X^T G X^T + (I - A X) G^T X X^T
    + X^T X G^T (I - X A)  (exact where the rank does not change).
    """
    x = _matrices(x, "pinv")
    xp = get_array_module(x.data)
    a = x.data
    if rcond is None:
        rcond = _default_rcond(a.shape, a.dtype, xp, 10)
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    keep = s > rcond * s[..., :1]
    s_inv = xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(a.dtype)
    out = _T(vh) @ (s_inv[..., :, None] * _T(u))

    def backward(g):
        m, n = a.shape[-2], a.shape[-1]
        left = xp.eye(m, dtype=a.dtype) - a @ out
        right = xp.eye(n, dtype=a.dtype) - out @ a
        return (-_T(out) @ g @ _T(out) + left @ _T(g) @ out @ _T(out)
                + _T(out) @ out @ _T(g) @ right,)

    return record(out, (x,), backward)


def lstsq(a, b, rcond=None):
    """The least-squares solution x of a @ x = b (min-norm when ``a`` is rank-deficient),
    as pinv(a) @ b; singular values at most ``rcond`` times the largest (default
    max(m, n) * eps) are dropped."""
    a = float_tensor(a)
    b = float_tensor(b)
    if a.ndim != 2 or b.ndim not in (1, 2):
        raise ValueError("lstsq needs a 2-D `a` and a 1-D or 2-D `b`; received shapes "
                         f"{a.shape} and {b.shape}.")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"lstsq: a {a.shape} and b {b.shape} need the same row count.")
    xp = get_array_module(a.data)
    if rcond is None:
        rcond = _default_rcond(a.shape, a.data.dtype, xp, 1)
    return matmul(pinv(a, rcond=rcond), b)


def eigh(x):
    """``(w, v)``: eigenvalues (ascending) and eigenvectors (columns) of each symmetric
    matrix; reads the lower triangle.  The gradient assumes distinct eigenvalues."""
    x = _square(x, "eigh")
    xp = get_array_module(x.data)
    w, v = xp.linalg.eigh(x.data)

    def sym(grad):
        return 0.5 * (grad + _T(grad))

    def backward_w(g):
        return (sym((v * g[..., None, :]) @ _T(v)),)

    def backward_v(g):
        gap = w[..., None, :] - w[..., :, None]
        eye = xp.eye(w.shape[-1], dtype=bool)
        f = xp.where(eye, 0, 1 / xp.where(eye, 1, gap)).astype(w.dtype)
        return (sym(v @ (f * (_T(v) @ g)) @ _T(v)),)

    return record(w, (x,), backward_w), record(v, (x,), backward_v)


def _copyltu(m, xp):
    """The lower triangle of ``m`` mirrored onto the upper one."""
    low = xp.tril(m, -1)
    return low + _T(low) + xp.tril(xp.triu(m))


def qr(x, mode="reduced"):
    """``(q, r)`` with x = q r, q orthonormal columns, r upper triangular.

    ``mode="reduced"``: q is (m, k), r (k, n) with k = min(m, n); ``"complete"``: q is
    (m, m).  Gradients: for ``reduced`` with m >= n and a full-rank ``x``.
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete'; received {mode!r}.")
    x = _matrices(x, "qr")
    xp = get_array_module(x.data)
    q, r = xp.linalg.qr(x.data, mode=mode)
    m, n = x.shape[-2:]

    def check():
        if mode != "reduced" or m < n:
            raise NotImplementedError(
                "qr: kerlite computes gradients only for mode='reduced' with at least "
                "as many rows as columns.")

    def from_m(qbar, mat):
        # dA = (Qbar + Q copyltu(M)) R^-T, as a solve with R instead of an inverse
        return _T(xp.linalg.solve(r, _T(qbar + q @ _copyltu(mat, xp))))

    def backward_q(g):
        check()
        return (from_m(g, -_T(g) @ q),)

    def backward_r(g):
        check()
        return (from_m(xp.zeros_like(q), r @ _T(g)),)

    return record(q, (x,), backward_q), record(r, (x,), backward_r)


def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition x = u diag(s) vh; ``(u, s, vh)``, or only ``s``
    when ``compute_uv=False``.

    Gradients flow through ``s`` (dA = u diag(G) vh); kerlite does not differentiate
    ``u`` and ``vh``, and says so when asked.
    """
    x = _matrices(x, "svd")
    xp = get_array_module(x.data)
    u, s, vh = xp.linalg.svd(x.data, full_matrices=False)

    def backward_s(g):
        return ((u * g[..., None, :]) @ vh,)

    s_out = record(s, (x,), backward_s)
    if not compute_uv:
        return s_out

    def backward_uv(g):
        raise NotImplementedError(
            "svd: kerlite differentiates only the singular values; use "
            "compute_uv=False (or stop_gradient on u and vh).")

    if full_matrices:
        u, s, vh = xp.linalg.svd(x.data, full_matrices=True)
    return record(u, (x,), backward_uv), s_out, record(vh, (x,), backward_uv)


def matrix_rank(x, tol=None):
    """Number of singular values above ``tol`` (default: largest * max(m, n) * eps),
    as int32."""
    x = _matrices(x, "matrix_rank")
    xp = get_array_module(x.data)
    s = xp.linalg.svd(x.data, compute_uv=False)
    if tol is None:
        tol = s.max(axis=-1, keepdims=True) * _default_rcond(x.shape, x.data.dtype, xp, 1)
    else:
        tol = xp.asarray(array_of(tol))[..., None]
    return Tensor((s > tol).sum(axis=-1).astype("int32"))


def lu_factor(x):
    """``(lu, pivots)`` of the LU decomposition with partial pivoting, as SciPy:
    ``lu`` holds U on and above the diagonal and L's multipliers below it; row i was
    swapped with row ``pivots[i]`` at step i (int32).  Not differentiable."""
    x = _matrices(x, "lu_factor")
    xp = get_array_module(x.data)
    lu = x.data.copy()
    m, n = lu.shape[-2:]
    k = min(m, n)
    batch = lu.shape[:-2]
    lu = lu.reshape((-1, m, n))
    pivots = xp.zeros((lu.shape[0], k), dtype="int32")
    rows = xp.arange(lu.shape[0])
    for i in range(k):
        p = i + xp.abs(lu[:, i:, i]).argmax(axis=1)
        pivots[:, i] = p
        row_i, row_p = lu[rows, i].copy(), lu[rows, p].copy()
        lu[rows, i], lu[rows, p] = row_p, row_i
        pivot = lu[:, i, i]
        safe = xp.where(pivot == 0, 1, pivot)
        lu[:, i + 1:, i] = lu[:, i + 1:, i] / safe[:, None]
        lu[:, i + 1:, i + 1:] -= lu[:, i + 1:, i, None] * lu[:, i, None, i + 1:]
    return Tensor(lu.reshape(batch + (m, n))), Tensor(pivots.reshape(batch + (k,)))


def eig(x):
    """``(w, v)``: eigenvalues and eigenvectors (columns) of each general square matrix.

    Both are complex (complex64 for float32 input, as in Keras with JAX); kerlite has
    no complex arithmetic, so they are returned as plain, non-differentiable tensors.
    """
    x = _square(x, "eig")
    xp = get_array_module(x.data)
    w, v = xp.linalg.eig(x.data)
    kind = xp.result_type(x.data.dtype, xp.complex64)
    return Tensor(w.astype(kind)), Tensor(v.astype(kind))
