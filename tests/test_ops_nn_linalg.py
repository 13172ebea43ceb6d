"""The nn, linalg and structural ops of kerlite.ops.nn_linalg: Keras parity, gradients
against finite differences, symbolic use and errors."""

import numpy as np
import pytest

import kerlite
from kerlite import ops
from kerlite.testing import check_grad

from _keras_reference import import_keras


@pytest.fixture(scope="module")
def keras():
    return import_keras()


def _spd(rng, n=4, batch=()):
    a = rng.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


# --- parity with Keras (JAX) ------------------------------------------------------------
@pytest.mark.parity
def test_nn_parity(keras, rng):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    m, v = rng.standard_normal(4).astype("float32"), rng.uniform(0.5, 2, 4).astype("float32")
    g, b = rng.standard_normal(4).astype("float32"), rng.standard_normal(4).astype("float32")
    k = keras.ops
    pairs = [
        (ops.batch_normalization(x, m, v, -1, b, g), k.batch_normalization(x, m, v, -1, b, g)),
        (ops.batch_normalization(x, m[:3], v[:3], 1), k.batch_normalization(x, m[:3], v[:3], 1)),
        (ops.layer_normalization(x, g, b), k.layer_normalization(x, g, b)),
        (ops.layer_normalization(x, axis=(1, 2)), k.layer_normalization(x, axis=(1, 2))),
        (ops.rms_normalization(x, g), k.rms_normalization(x, g)),
        (ops.psnr(x, x * 0.9, 2.0), k.psnr(x, x * 0.9, 2.0)),
        (ops.cdist(x, x[:, :2]), k.cdist(x, x[:, :2])),
    ]
    for got, want in pairs:
        assert got.dtype == "float32"
        _close(got, want, 2e-5)
    img = rng.standard_normal((2, 4, 6, 8)).astype("float32")
    for fmt in ("channels_last", "channels_first"):
        _close(ops.depth_to_space(img, 2, fmt), k.depth_to_space(img, 2, data_format=fmt))
        _close(ops.space_to_depth(img, 2, fmt), k.space_to_depth(img, 2, data_format=fmt))
    labels = np.array([[0, 2, 2], [1, 4, 0]])
    _close(ops.multi_hot(labels, 5), k.multi_hot(labels, 5))
    _close(ops.multi_hot(labels[0], 5), k.multi_hot(labels[0], 5))
    preds = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.2], [np.nan, 0.1, 0.2]], "float32")
    targets = np.array([2, 1, 0])
    for top in (1, 2):
        np.testing.assert_array_equal(ops.in_top_k(targets, preds, top),
                                      k.in_top_k(targets, preds, top))


@pytest.mark.parity
@pytest.mark.parametrize("heads,kv_heads", [(2, 2), (4, 2)])
def test_dot_product_attention_parity(keras, rng, heads, kv_heads):
    q = rng.standard_normal((2, 3, heads, 4)).astype("float32")
    kk = rng.standard_normal((2, 5, kv_heads, 4)).astype("float32")
    v = rng.standard_normal((2, 5, kv_heads, 4)).astype("float32")
    bias = rng.standard_normal((2, heads, 3, 5)).astype("float32")
    mask = rng.uniform(size=(2, 1, 3, 5)) > 0.3
    mask[..., 0] = True
    for kwargs in ({}, {"bias": bias, "scale": 0.3}, {"mask": mask}, {"is_causal": True}):
        got = ops.dot_product_attention(q, kk, v, **kwargs)
        assert got.dtype == "float32" and got.shape == q.shape
        _close(got, keras.ops.dot_product_attention(q, kk, v, **kwargs))


@pytest.mark.parity
def test_linalg_parity(keras, rng):
    a = (rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)).astype("float32")
    spd = _spd(rng, 3, (2,)).astype("float32")
    b = rng.standard_normal((2, 3, 2)).astype("float32")
    tall = rng.standard_normal((5, 3)).astype("float32")
    k = keras.ops
    pairs = [
        (ops.det(a), k.det(a)), (ops.inv(a), k.inv(a)), (ops.solve(a, b), k.solve(a, b)),
        (ops.solve_triangular(a, b), k.solve_triangular(a, b)),
        (ops.solve_triangular(a, b, lower=True), k.solve_triangular(a, b, lower=True)),
        (ops.cholesky(spd), k.cholesky(spd)),
        (ops.cholesky(spd, upper=True), k.cholesky(spd, upper=True)),
        (ops.cholesky_inverse(ops.cholesky(spd[0])), k.cholesky_inverse(k.cholesky(spd[0]))),
        (ops.cholesky_inverse(ops.cholesky(spd[0], upper=True), upper=True),
         k.cholesky_inverse(k.cholesky(spd[0], upper=True), upper=True)),
        (ops.logdet(spd), k.logdet(spd)), (ops.pinv(tall), k.pinv(tall)),
        (ops.lstsq(tall, tall[:, :2] + 1), k.lstsq(tall, tall[:, :2] + 1)),
        (ops.svd(tall, compute_uv=False), k.svd(tall, compute_uv=False)),
        (ops.eigh(spd)[0], k.eigh(spd)[0]),
    ]
    pairs += list(zip(ops.slogdet(a), k.slogdet(a)))
    pairs += list(zip(ops.lu_factor(a), k.lu_factor(a)))
    for got, want in pairs:
        assert got.dtype == np.asarray(want).dtype, (got.dtype, np.asarray(want).dtype)
        _close(got, want, 1e-4)
    assert ops.matrix_rank(np.diag([1.0, 2.0, 0.0])).numpy() == 2
    assert ops.matrix_rank(tall).dtype == "int32"
    # factorizations are unique up to signs: check the products instead
    q, r = ops.qr(tall)
    assert q.shape == (5, 3) and r.shape == (3, 3)
    _close(ops.matmul(q, r), tall)
    assert ops.qr(tall, mode="complete")[0].shape == (5, 5)
    u, s, vh = ops.svd(tall, full_matrices=False)
    _close(ops.matmul(u * s[None, :], vh), tall)
    assert ops.svd(tall)[0].shape == (5, 5)
    w, vec = ops.eigh(spd)
    _close(ops.matmul(spd, vec), vec * w[:, None, :], 1e-4)


@pytest.mark.parity
def test_structural_parity(keras, rng):
    k = keras.ops
    data = rng.standard_normal((6, 2)).astype("float32")
    ids = np.array([0, 0, 2, 1, 2, 2])
    for name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
        _close(getattr(ops, name)(data, ids, num_segments=4),
               getattr(k, name)(data, ids, num_segments=4))
    idx = np.array([[1, 2], [0, 1], [1, 2]])
    _close(ops.scatter(idx, np.array([1.0, 2.0, 3.0], "float32"), (3, 3)),
           k.scatter(idx, np.array([1.0, 2.0, 3.0], "float32"), (3, 3)))
    x = np.zeros((3, 3, 2), "float32")
    upd = np.ones((2, 2), "float32")
    for reduction in (None, "add", "max"):
        _close(ops.scatter_update(x, idx[:2], upd * 2, reduction=reduction),
               k.scatter_update(x, idx[:2], upd * 2, reduction=reduction))
    sig = rng.standard_normal((2, 11)).astype("float32")
    _close(ops.extract_sequences(sig, 4, 3), k.extract_sequences(sig, 4, 3))
    img = rng.standard_normal((2, 3, 6, 5)).astype("float32")
    for kwargs in ({"kernel_size": 2}, {"kernel_size": (3, 2), "stride": 2, "padding": 1,
                                         "dilation": (1, 2)}):
        patches = ops.unfold(img, **kwargs)
        _close(patches, k.unfold(img, **kwargs))
        _close(ops.fold(patches, (6, 5), **kwargs), k.fold(np.asarray(patches), (6, 5), **kwargs))
    vals = np.array([-1e12, 300.7, np.inf, 3.2], "float32")
    np.testing.assert_array_equal(ops.saturate_cast(vals, "uint8"),
                                  k.saturate_cast(vals, "uint8"))
    np.testing.assert_array_equal(ops.saturate_cast(vals, "int32"),
                                  k.saturate_cast(vals, "int32"))
    elems = rng.standard_normal((5, 2)).astype("float32")
    for reverse in (False, True):
        _close(ops.associative_scan(ops.add, elems, reverse=reverse),
               k.associative_scan(k.add, elems, reverse=reverse))
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), np.zeros(2, "float32"), elems)
    want_carry, want_ys = k.scan(lambda c, x: (c + x, c * x), np.zeros(2, "float32"), elems)
    _close(carry, want_carry)
    _close(ys, want_ys)
    _close(ops.map(lambda r: ops.sum(r) * r, elems), k.map(lambda r: k.sum(r) * r, elems))
    branches = [lambda a: a + 1, lambda a: a * 2]
    for i in (-3, 0, 1, 7):
        _close(ops.switch(i, branches, elems), k.switch(i, branches, elems))
    assert ops.dtype(elems) == k.dtype(elems) == "float32"


# --- gradients -----------------------------------------------------------------------------
def test_nn_gradients(rng):
    x = rng.standard_normal((2, 3, 4))
    m, v = rng.standard_normal(4), rng.uniform(0.5, 2, 4)
    check_grad(lambda x, m, v, g, b: ops.batch_normalization(x, m, v, -1, b, g),
               x, m, v, rng.standard_normal(4), rng.standard_normal(4))
    check_grad(lambda x, g, b: ops.layer_normalization(x, g, b, axis=(1, 2), epsilon=1e-3),
               x, rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))
    check_grad(lambda x, s: ops.rms_normalization(x, s, epsilon=1e-3), x, rng.standard_normal(4))
    check_grad(lambda a, b: ops.psnr(a, b, 1.0), x, x + rng.standard_normal(x.shape))
    check_grad(ops.cdist, x, rng.standard_normal((2, 5, 4)))
    img = rng.standard_normal((1, 2, 4, 8))
    check_grad(lambda t: ops.depth_to_space(t, 2), img)
    check_grad(lambda t: ops.space_to_depth(t, 2, "channels_first"), img)
    q, k, v = (rng.standard_normal((1, 3, 4, 2)), rng.standard_normal((1, 5, 2, 2)),
               rng.standard_normal((1, 5, 2, 2)))
    mask = np.tril(np.ones((3, 5), bool))
    check_grad(lambda q, k, v, b: ops.dot_product_attention(q, k, v, bias=b, mask=mask),
               q, k, v, rng.standard_normal((1, 4, 3, 5)))


def test_linalg_gradients(rng):
    a = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    b = rng.standard_normal((2, 3, 2))

    def sym(t):
        return (t + ops.swapaxes(t, -1, -2)) * 0.5

    check_grad(ops.det, a)
    check_grad(ops.inv, a)
    check_grad(ops.solve, a, b)
    check_grad(ops.solve, a[0], b[0, :, 0])
    check_grad(lambda a, b: ops.solve_triangular(a, b, lower=True), a, b)
    check_grad(ops.solve_triangular, a, b)
    check_grad(lambda t: ops.slogdet(t)[1], a)
    spd = _spd(rng, 3, (2,))
    check_grad(lambda t: ops.logdet(sym(t)), spd)
    check_grad(lambda t: ops.cholesky(sym(t)), spd)
    check_grad(lambda t: ops.cholesky(sym(t), upper=True), spd)
    check_grad(lambda t: ops.cholesky_inverse(t), np.linalg.cholesky(spd))
    tall, wide = rng.standard_normal((5, 3)), rng.standard_normal((2, 4))
    check_grad(ops.pinv, tall)
    check_grad(ops.pinv, wide)
    check_grad(ops.lstsq, tall, rng.standard_normal((5, 2)))
    check_grad(lambda t: ops.svd(t, compute_uv=False), tall)
    check_grad(lambda t: list(ops.eigh(sym(t))), spd)
    check_grad(lambda t: list(ops.qr(t)), tall)


def test_structural_gradients(rng):
    data = rng.standard_normal((6, 2))
    ids = np.array([0, 0, 2, 1, 2, -1])
    for name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
        check_grad(lambda d: getattr(ops, name)(d, ids, num_segments=3), data)
    data[1] = 0.0  # a zero in a segment: the product of the others, not a division
    check_grad(lambda d: ops.segment_prod(d, ids), data)
    idx = np.array([[1, 2], [0, 1], [1, 2]])
    check_grad(lambda v: ops.scatter(idx, v, (3, 3, 2)), rng.standard_normal((3, 2)))
    check_grad(lambda x, u: ops.scatter_update(x, idx[:2], u), rng.standard_normal((3, 3)),
               rng.standard_normal(2))
    check_grad(lambda x, u: ops.scatter_update(x, idx, u, "add"), rng.standard_normal((3, 3)),
               rng.standard_normal(3))
    check_grad(lambda s: ops.extract_sequences(s, 4, 3), rng.standard_normal((2, 11)))
    kwargs = {"kernel_size": (3, 2), "stride": 2, "padding": 1, "dilation": (1, 2)}
    check_grad(lambda t: ops.unfold(t, **kwargs), rng.standard_normal((1, 2, 6, 5)))
    check_grad(lambda t: ops.fold(t, (6, 5), **kwargs), rng.standard_normal((1, 12, 9)))
    elems = rng.standard_normal((4, 3))
    check_grad(lambda e: ops.associative_scan(ops.multiply, e, reverse=True), elems)
    check_grad(lambda c, e: list(ops.scan(lambda c, x: (c * x + 1, ops.sin(c)), c, e)),
               rng.standard_normal(3), elems)
    check_grad(lambda e: ops.map(lambda r: r * ops.sum(r), e), elems)


def test_custom_gradient(rng):
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad

    x = rng.standard_normal((3, 2))
    check_grad(log1pexp, x)

    @ops.custom_gradient
    def clip_grad(x, y):  # a made-up gradient: the tape must use it as given
        return x * y, lambda g: (g * 0 + 7.0, None)

    a, b = ops.convert_to_tensor(x), ops.convert_to_tensor(x)
    with kerlite.GradientTape() as tape:
        tape.watch([a, b])
        out = ops.sum(clip_grad(a, b))
    ga, gb = tape.gradient(out, [a, b])
    np.testing.assert_array_equal(ga.numpy(), np.full(x.shape, 7.0))
    assert gb is None

    @ops.custom_gradient
    def scaled(x, factor):  # one gradient per argument, the non-tensor one ignored
        return x * factor, lambda g: (g * factor, None)

    check_grad(lambda t: scaled(t, 3.0), x)
    _close(clip_grad(x, x), x * x)  # without a tape: just the value


# --- symbolic use in a functional model, float32, errors ----------------------------------
def test_symbolic_in_functional_model(rng):
    inputs = kerlite.Input((4, 6, 8))
    y = ops.depth_to_space(inputs, 2)
    y = ops.layer_normalization(y, axis=(1, 2, 3))
    pooled = ops.cdist(ops.reshape(y, (-1, 96, 2)), ops.reshape(y, (-1, 96, 2)))
    model = kerlite.Model(inputs, pooled)
    x = rng.standard_normal((2, 4, 6, 8)).astype("float32")
    out = model(x)
    assert out.shape == (2, 96, 96) and out.dtype == "float32"
    want = ops.cdist(*[ops.reshape(ops.layer_normalization(ops.depth_to_space(x, 2),
                                                          axis=(1, 2, 3)), (-1, 96, 2))] * 2)
    _close(out, want)
    # keras.ops.linalg.<name> spellings, symbolic too
    square = kerlite.Input((3, 3))
    model = kerlite.Model(square, ops.linalg.inv(square))
    m = rng.standard_normal((2, 3, 3)).astype("float32") + 3 * np.eye(3, dtype="float32")
    _close(model(m), np.linalg.inv(m), 1e-4)
    assert ops.linalg.solve is ops.solve and "qr" in dir(ops.linalg)


def test_float32_stays_float32(rng):
    a = (rng.standard_normal((3, 3)) + 3 * np.eye(3)).astype("float32")
    for out in (ops.det(a), ops.inv(a), ops.solve(a, a), ops.pinv(a), ops.slogdet(a)[1],
                ops.cholesky(a @ a.T), ops.eigh(a @ a.T)[1], ops.qr(a)[1], ops.svd(a)[1],
                ops.segment_sum(a, [0, 1, 1]), ops.fold(a.reshape(1, 1, 9), (3, 3), 1)):
        assert out.dtype == "float32"
    assert ops.lu_factor(a)[1].dtype == "int32"


def test_errors(rng):
    with pytest.raises(ValueError, match="square"):
        ops.det(np.ones((2, 3)))
    assert np.isnan(ops.inv(np.zeros((2, 2))).numpy()).all()  # singular: NaN, as in Keras
    assert np.isnan(ops.solve(np.zeros((2, 2)), np.ones(2)).numpy()).all()
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(-np.eye(2))
    with pytest.raises(ValueError, match="4-D"):
        ops.dot_product_attention(np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="flash"):
        q = np.ones((1, 2, 1, 2))
        ops.dot_product_attention(q, q, q, flash_attention=True)
    with pytest.raises(ValueError, match="divisible"):
        ops.depth_to_space(np.ones((1, 2, 2, 3)), 2)
    with pytest.raises(ValueError, match="must match"):
        ops.cdist(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="segment_ids"):
        ops.segment_sum(np.ones((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="reduction"):
        ops.scatter_update(np.zeros(3), [[0]], [1.0], reduction="mean")
    with pytest.raises(ValueError, match="mode"):
        ops.qr(np.eye(2), mode="r")
    u = ops.convert_to_tensor(np.eye(3))
    with kerlite.GradientTape() as tape:
        tape.watch(u)
        total = ops.sum(ops.svd(u)[0])
    with pytest.raises(NotImplementedError, match="singular values"):
        tape.gradient(total, u)


# --- vectorize, rearrange, eig, Fourier transforms -----------------------------------------
@pytest.mark.parity
def test_vectorize_rearrange_eig_parity(keras, rng):
    k = keras.ops
    a, b = rng.standard_normal((3, 4)).astype("float32"), rng.standard_normal(4).astype("float32")
    _close(ops.vectorize(lambda u, v: u * v + 1)(a, b), k.vectorize(lambda u, v: u * v + 1)(a, b))
    sig = "(n),(n)->()"
    _close(ops.vectorize(lambda u, v: ops.sum(u * v), signature=sig)(a, b),
           k.vectorize(lambda u, v: k.sum(u * v), signature=sig)(a, b))
    x = rng.standard_normal((2, 6, 4, 3)).astype("float32")
    for pattern, lengths in (("b h w c -> b (h w) c", {}), ("b h w c -> c b w h", {}),
                             ("b (h p) w c -> b h (p w c)", {"p": 2})):
        _close(ops.rearrange(x, pattern, **lengths), k.rearrange(x, pattern, **lengths))
    m = rng.standard_normal((2, 3, 3)).astype("float32")
    w, v = ops.eig(m)
    want_w = np.asarray(k.eig(m)[0])
    assert w.dtype == want_w.dtype == "complex64"
    _close(np.sort_complex(w.numpy().ravel()), np.sort_complex(want_w.ravel()), 1e-4)
    _close(m.astype("complex64") @ v.numpy(), v.numpy() * w.numpy()[:, None, :], 1e-4)


@pytest.mark.parity
def test_fft_parity(keras, rng):
    k = keras.ops
    re_, im = (rng.standard_normal((2, 4, 6)).astype("float32") for _ in range(2))
    for name in ("fft", "fft2", "ifft2"):
        got, want = getattr(ops, name)((re_, im)), getattr(k, name)((re_, im))
        for g, w in zip(got, want):
            assert g.dtype == "float32"
            _close(g, w, 1e-4)
    for length in (None, 4, 9):
        for g, w in zip(ops.rfft(re_, length), k.rfft(re_, length)):
            _close(g, w, 1e-4)
        spec = k.rfft(re_, length)
        _close(ops.irfft(tuple(np.asarray(s) for s in spec), length), k.irfft(spec, length),
               1e-4)
    _close(ops.irfft(ops.rfft(re_, 7), 7), np.pad(re_, [(0, 0), (0, 0), (0, 1)]), 1e-5)


def test_new_structural_and_fft_gradients(rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    check_grad(ops.vectorize(lambda u, v: ops.sum(u * ops.sin(v)), signature="(n),(n)->()"), a, b)
    check_grad(lambda t: ops.rearrange(t, "(h p) w -> w (p h)", p=3), rng.standard_normal((6, 2)))
    re_, im = rng.standard_normal((2, 6)), rng.standard_normal((2, 6))
    check_grad(lambda r, i: list(ops.fft((r, i))), re_, im)
    check_grad(lambda r, i: list(ops.fft2((r, i))), re_, im)
    check_grad(lambda r, i: list(ops.ifft2((r, i))), re_, im)
    check_grad(lambda r: list(ops.rfft(r, 5)), re_)
    check_grad(lambda r, i: ops.irfft((r, i), 8), re_[:, :5], im[:, :5])
    check_grad(lambda r, i: ops.irfft((r, i)), re_, im)


def test_new_errors():
    with pytest.raises(ValueError, match="tuple"):
        ops.fft(np.ones(4))
    with pytest.raises(ValueError, match="same shape"):
        ops.fft((np.ones(4), np.ones(3)))
    with pytest.raises(ValueError, match="once"):
        ops.rearrange(np.ones((2, 3)), "a b -> a a")
    with pytest.raises(ValueError, match="signature"):
        ops.vectorize(lambda u: u, signature="(n),(n)->()")(np.ones(3))


@pytest.mark.parity
def test_stft_istft_parity(keras, rng):
    x = rng.standard_normal((2, 40)).astype("float32")
    window = np.linspace(0.1, 1, 10).astype("float32")
    for args, kwargs, length in (((16, 4, 16), {}, None),
                                 ((10, 3, 16), {"window": window, "center": False}, 30)):
        got, want = ops.stft(x, *args, **kwargs), keras.ops.stft(x, *args, **kwargs)
        for g, w in zip(got, want):
            assert g.dtype == "float32"
            _close(g, w, 1e-4)
        _close(ops.istft(got, *args, length=length, **kwargs),
               keras.ops.istft(want, *args, length=length, **kwargs), 1e-4)


def test_stft_round_trip_and_gradients(rng):
    x = rng.standard_normal((2, 40)).astype("float32")
    for args, window in (((16, 4, 16), "hann"), ((8, 8, 8), None)):
        spectrum = ops.stft(x, *args, window=window)
        _close(ops.istft(spectrum, *args, length=40, window=window), x)
    check_grad(lambda s: list(ops.stft(s, 6, 2, 8)), rng.standard_normal((1, 15)))
    re_, im = rng.standard_normal((1, 5, 5)), rng.standard_normal((1, 5, 5))
    check_grad(lambda r, i: ops.istft((r, i), 6, 2, 8), re_, im)
    with pytest.raises(ValueError, match="fft_length"):
        ops.stft(x, 16, 4, 8)
    with pytest.raises(ValueError, match="window"):
        ops.stft(x, 16, 4, 16, window="boxcar")


def test_ops_run_on_each_array_module(xp, rng):
    """The same results on every backend (NumPy here; CuPy too where a GPU is usable)."""
    a = rng.standard_normal((3, 4)).astype("float32")
    m = (a[:, :3] + 3 * np.eye(3)).astype("float32")
    ids = np.array([0, 2, 2])
    cases = [
        lambda: ops.layer_normalization(a), lambda: ops.cdist(a, a),
        lambda: ops.dot_product_attention(*[a.reshape(1, 3, 2, 2)] * 3, is_causal=True),
        lambda: ops.det(m), lambda: ops.solve(m, a), lambda: ops.cholesky(m @ m.T),
        lambda: ops.pinv(a), lambda: ops.lu_factor(m)[0], lambda: ops.eigh(m @ m.T)[0],
        lambda: ops.segment_max(a, ids), lambda: ops.segment_prod(a, ids),
        lambda: ops.scatter_update(a, [[0, 1], [0, 1]], [2.0, 3.0], reduction="mul"),
        lambda: ops.unfold(a.reshape(1, 1, 3, 4), 2), lambda: ops.rfft(a)[1],
        lambda: ops.istft(ops.stft(a, 2, 1, 2, window=None), 2, 1, 2, window=None),
        lambda: ops.saturate_cast(a * 300, "int8"),
    ]
    active = kerlite.backend.backend()
    kerlite.backend.set_backend("numpy")
    want = [case().numpy() for case in cases]
    kerlite.backend.set_backend(active)
    for case, expected in zip(cases, want):
        got = case()
        assert isinstance(got.data, xp.ndarray)
        _close(got.numpy(), expected, 1e-4)
