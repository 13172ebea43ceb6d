"""The NumPy-like ops of kerlite.ops.numpy_like: parity with keras.ops (values and
dtypes), finite-difference gradients, symbolic use in a functional model, and errors."""

import numpy as np
import pytest

import kerlite
from kerlite import ops
from kerlite.testing import check_grad

from _keras_reference import import_keras

R = np.random.default_rng(42)
F = R.uniform(-2, 2, (3, 4)).astype("float32")  # general floats
U = R.uniform(-0.9, 0.9, (3, 4)).astype("float32")  # inside (-1, 1)
G = R.uniform(1.2, 3, (3, 4)).astype("float32")  # > 1
I = np.array([[3, -1, 4, 12], [5, 9, -2, 6], [0, 7, 8, 3]], dtype="int32")
N = np.array([[1.0, np.nan, 3.0, -2.0], [np.nan, np.nan, np.nan, np.nan],
              [0.5, 2.0, np.nan, 4.0]], dtype="float32")
V = np.array([1.0, 2.0, 3.0], "float32")
W = np.array([0.0, 1.0, 0.5], "float32")
C3 = R.normal(size=(2, 3)).astype("float32")
T3 = R.normal(size=(2, 3, 4)).astype("float32")

# (case id, keras.ops name, args, kwargs): called as ops.<name>(*args, **kwargs) on both.
CASES = [
    *[(n, n, (U,), {}) for n in ["arccos", "arcsin", "arcsinh", "arctanh", "cosh", "sinh",
                                  "cbrt", "exp2", "deg2rad", "rad2deg", "fabs", "sinc",
                                  "trunc", "signbit", "erfc", "erfinv", "i0"]],
    *[(n + "_int", n, (I,), {}) for n in ["cosh", "cbrt", "fabs", "deg2rad", "trunc",
                                           "exp2", "sinc", "signbit"]],
    ("arccosh", "arccosh", (G,), {}), ("log2", "log2", (G,), {}),
    ("log10", "log10", (G,), {}), ("log2_int", "log2", (np.abs(I) + 1,), {}),
    *[(n, n, (F, U), {}) for n in ["arctan2", "logaddexp", "logaddexp2", "hypot", "fmod",
                                    "fmax", "fmin", "heaviside", "nextafter"]],
    *[(n + "_int", n, (I, np.int32(3)), {}) for n in ["fmod", "fmax", "fmin", "arctan2",
                                                       "hypot", "logaddexp"]],
    ("fmax_nan", "fmax", (N, F), {}), ("fmin_nan", "fmin", (F, N), {}),
    ("heaviside0", "heaviside", (np.array([-1.0, 0.0, 2.0], "float32"), 0.5), {}),
    ("divide_no_nan", "divide_no_nan", (F, np.where(U > 0, U, 0).astype("float32")), {}),
    ("divide_no_nan_int", "divide_no_nan", (I, np.int32(2)), {}),
    ("ldexp", "ldexp", (F, np.array([1, -2, 3, 0], "int32")), {}),
    ("nan_to_num", "nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.0], "float32"),),
     {"nan": 2.0, "posinf": 5.0}),
    ("nan_to_num_default", "nan_to_num",
     (np.array([np.nan, np.inf, -np.inf, 1.0], "float32"),), {}),
    ("isposinf", "isposinf", (np.array([np.inf, -np.inf, 1.0], "float32"),), {}),
    ("isneginf", "isneginf", (np.array([np.inf, -np.inf, 1.0], "float32"),), {}),
    # reductions and statistics
    ("cumprod", "cumprod", (F,), {"axis": 1}), ("cumprod_flat", "cumprod", (I,), {}),
    ("diff", "diff", (F,), {}), ("diff2_axis0", "diff", (T3,), {"n": 2, "axis": 0}),
    ("diff_int", "diff", (I,), {"axis": 0}),
    ("average", "average", (F,), {}), ("average_axis", "average", (F,), {"axis": 0}),
    ("average_w", "average", (F,), {"axis": 1, "weights": np.array([1, 2, 3, 4], "float32")}),
    ("average_w_full", "average", (F,), {"axis": None, "weights": np.abs(U)}),
    ("median", "median", (F,), {}), ("median_axis", "median", (T3,), {"axis": 1}),
    ("median_keep", "median", (T3,), {"axis": (0, 2), "keepdims": True}),
    ("median_int", "median", (I,), {"axis": 1}),
    # (q avoids positions exactly half-way: there JAX's "nearest" rounds down where
    # NumPy, and kerlite, round half to even)
    *[(f"quantile_{m}", "quantile", (T3, [0.1, 0.45, 0.93]), {"axis": -1, "method": m})
      for m in ["linear", "lower", "higher", "midpoint", "nearest"]],
    ("quantile_scalar", "quantile", (F, 0.3), {}),
    ("percentile", "percentile", (T3, 25), {"axis": 0, "keepdims": True}),
    ("percentile_list", "percentile", (F, [10, 90]), {"axis": 1}),
    ("ptp", "ptp", (F,), {"axis": 0}), ("ptp_int", "ptp", (I,), {}),
    ("trace", "trace", (F,), {}), ("trace_offset", "trace", (T3,),
                                   {"offset": 1, "axis1": 1, "axis2": 2}),
    ("trace_int", "trace", (I,), {"offset": -1}),
    *[(n, n, (N,), {"axis": 1}) for n in ["nansum", "nanprod", "nanmean", "nanvar",
                                           "nanstd", "nanmax", "nanmin", "nanmedian",
                                           "nancumsum", "nancumprod"]],
    *[(n + "_all", n, (N[[0, 2]],), {}) for n in ["nansum", "nanmean", "nanmax", "nanmin",
                                                  "nanargmax", "nanargmin", "nanvar"]],
    ("nanargmax", "nanargmax", (N[[0, 2]],), {"axis": 1}),
    ("nanargmin_keep", "nanargmin", (N[[0, 2]],), {"axis": 1, "keepdims": True}),
    ("nansum_int", "nansum", (I,), {"axis": 0}), ("nanmax_int", "nanmax", (I,), {}),
    ("nanquantile", "nanquantile", (N, [0.25, 0.5]), {"axis": 1}),
    ("nanpercentile", "nanpercentile", (N[[0, 2]], 40), {"axis": 1, "method": "nearest"}),
    ("allclose", "allclose", (F, F + 1e-7), {}), ("allclose_no", "allclose", (F, U), {}),
    ("allclose_nan", "allclose", (N, N), {"equal_nan": True}),
    ("isin", "isin", (I, [3, 4, 99]), {}), ("isin_invert", "isin", (I, [3, 4]),
                                              {"invert": True}),
    ("isreal", "isreal", (F,), {}), ("corrcoef", "corrcoef", (T3[0],), {}),
    ("corrcoef_1d", "corrcoef", (F[0],), {}),
    *[(f"correlate_{m}", "correlate", (F.ravel(), V), {"mode": m})
      for m in ["valid", "same", "full"]],
    ("correlate_swapped", "correlate", (V, F.ravel()), {"mode": "full"}),
    ("correlate_same_swapped", "correlate", (V[:2], F[0]), {"mode": "same"}),
    ("digitize", "digitize", (F, [-1.0, 0.0, 1.0]), {}),
    ("searchsorted", "searchsorted", (np.sort(F.ravel()), U[0]), {}),
    ("searchsorted_right", "searchsorted", (np.array([1, 2, 2, 3]), np.array([2, 3])),
     {"side": "right"}),
    ("bincount", "bincount", (np.array([0, 1, 1, 4], "int32"),), {}),
    ("bincount_w", "bincount", (np.array([0, 1, 1, 4], "int32"),),
     {"weights": np.array([0.5, 1, 2, 3], "float32"), "minlength": 7}),
    ("histogram", "histogram", (F.ravel(),), {"bins": 5}),
    ("histogram_range", "histogram", (F.ravel(),), {"bins": 4, "range": (-1.0, 1.0)}),
    # arrays
    ("roll", "roll", (F, 2), {}), ("roll_axis", "roll", (T3, -1), {"axis": 2}),
    ("roll_multi", "roll", (T3, (1, 2)), {"axis": (0, 2)}),
    *[(f"rot90_{k}", "rot90", (T3,), {"k": k, "axes": (1, 2)}) for k in [1, 2, 3, -1, 4]],
    ("rot90", "rot90", (F,), {}),
    ("fliplr", "fliplr", (T3,), {}), ("flipud", "flipud", (F,), {}),
    ("hstack", "hstack", ([F, F[:, :2]],), {}), ("hstack_1d", "hstack", ([V, W],), {}),
    ("vstack", "vstack", ([F, F[:1]],), {}), ("vstack_1d", "vstack", ([V, W],), {}),
    ("dstack", "dstack", ([F, F],), {}), ("dstack_1d", "dstack", ([V, W],), {}),
    ("hsplit", "hsplit", (F, 2), {}), ("vsplit", "vsplit", (T3, [1]), {}),
    ("dsplit", "dsplit", (T3, 2), {}), ("array_split", "array_split", (T3, 3), {"axis": 2}),
    ("append", "append", (F, U), {}), ("append_axis", "append", (F, U[:1]), {"axis": 0}),
    ("append_int_float", "append", (I, F), {"axis": 1}),
    ("diag", "diag", (V,), {"k": 1}), ("diag_2d", "diag", (F,), {"k": -1}),
    ("diagonal", "diagonal", (T3,), {"offset": 1, "axis1": 2, "axis2": 0}),
    ("diagflat", "diagflat", (C3,), {}), ("copy", "copy", (I,), {}),
    ("array", "array", ([[1, 2], [3, 4]],), {}), ("array_dtype", "array", (I,),
                                                   {"dtype": "float32"}),
    ("geomspace", "geomspace", (1, 1000, 4), {}),
    ("logspace", "logspace", (0, 2, 5), {"base": 2, "endpoint": False}),
    ("meshgrid", "meshgrid", (V, W[:2], F[0]), {}),
    ("meshgrid_ij", "meshgrid", (V, W[:2]), {"indexing": "ij"}),
    ("vander", "vander", (V,), {}), ("vander_N", "vander", (V,), {"N": 4, "increasing": True}),
    ("vander_int", "vander", (np.array([1, 2, 3], "int32"),), {}),
    ("kron", "kron", (C3, F[:2, :2]), {}), ("kron_mixed", "kron", (V, C3), {}),
    ("inner", "inner", (F, U), {}), ("inner_scalar", "inner", (F, np.float32(2)), {}),
    ("vdot", "vdot", (F, U), {}),
    ("cross", "cross", (C3, C3[::-1]), {}), ("cross2", "cross", (C3[:, :2], C3[:, 1:]), {}),
    ("cross23", "cross", (C3[:, :2], C3), {}),
    ("cross_axis", "cross", (np.ascontiguousarray(C3.T), np.ascontiguousarray(C3[::-1].T)),
     {"axis": 0}),
    ("nonzero", "nonzero", (I,), {}), ("unravel_index", "unravel_index",
                                        (np.array([0, 5, 11]), (3, 4)), {}),
    ("select", "select", ([F > 0.5, F < -0.5], [F, U]), {"default": 7.0}),
    ("trapezoid", "trapezoid", (F,), {}), ("trapezoid_dx", "trapezoid", (T3,),
                                            {"dx": 0.5, "axis": 1}),
    ("trapezoid_x", "trapezoid", (F,), {"x": np.array([0, 1, 3, 4], "float32")}),
    ("real", "real", (F,), {}), ("imag", "imag", (F,), {}), ("conj", "conj", (I,), {}),
    ("conjugate", "conjugate", (F,), {}), ("angle", "angle", (F,), {}),
    ("angle_int", "angle", (I,), {}),
    ("unique", "unique", (I,), {}),
    ("unique_all", "unique", (np.array([3, 1, 3, 2, 1], "int32"),),
     {"return_index": True, "return_inverse": True, "return_counts": True}),
    ("unique_size", "unique", (np.array([3, 1, 3], "int32"),), {"size": 4, "fill_value": -1}),
    # integers
    *[(n, n, (I, np.array([1, 2, 3, 4], "int32")), {})
      for n in ["bitwise_and", "bitwise_or", "bitwise_xor", "gcd", "lcm"]],
    *[(n, n, (np.abs(I), np.array([1, 2, 0, 3], "int32")), {})
      for n in ["left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift"]],
    ("bitwise_not", "bitwise_not", (I,), {}), ("bitwise_invert", "bitwise_invert", (I,), {}),
    ("bitwise_and_bool", "bitwise_and", (I > 2, I < 5), {}),
    # windows
    *[(n, n, (7,), {}) for n in ["bartlett", "blackman", "hamming", "hanning"]],
    ("kaiser", "kaiser", (8, 3.5), {}),
]


def _as_list(value):
    if isinstance(value, (tuple, list)):
        return list(value)
    return [value]


@pytest.mark.parity
@pytest.mark.parametrize("name,args,kwargs", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_parity_with_keras(name, args, kwargs):
    keras = import_keras()
    want = _as_list(getattr(keras.ops, name)(*args, **kwargs))
    got = _as_list(getattr(ops, name)(*args, **kwargs))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.shape == w.shape, (g.shape, w.shape)
        assert g.dtype == str(w.dtype), (g.dtype, w.dtype)
        if name != "empty_like":
            np.testing.assert_allclose(g.numpy(), w, rtol=2e-5, atol=2e-6)


def test_bincount_of_rows_matches_numpy():
    x = np.array([[0, 1, 1], [2, 2, 2]], "int32")
    got = ops.bincount(x, minlength=4)
    assert got.dtype == "int32"
    np.testing.assert_array_equal(got.numpy(), [np.bincount(r, minlength=4) for r in x])


def test_quantile_nearest_rounds_half_to_even_as_numpy():
    x = np.arange(4.0, dtype="float32")
    for q in (0.5, 1 / 6, 0.25):
        assert float(ops.quantile(x, q, method="nearest")) == np.quantile(
            x, q, method="nearest")


# --- gradients (float64, central differences), away from kinks and singularities -----

H = R.uniform(-0.8, 0.8, (3, 4))  # inside (-1, 1), no ties
P = R.uniform(0.5, 2.0, (3, 4))  # positive
Q = R.uniform(-2, 2, (3, 4))
Z = np.array([[0.5, 0.0, 2.0, -1.5], [1.2, -0.7, 0.0, 0.0]])  # zeros for cumprod



def _holes(a):
    """``a`` with NaNs where Z is 0 (NaN entries get a zero gradient)."""
    return ops.where(Z == 0, np.nan, a)


GRAD_CASES = [
    ("arccos", ops.arccos, (H,)), ("arcsin", ops.arcsin, (H,)),
    ("arccosh", ops.arccosh, (P + 1.2,)), ("arcsinh", ops.arcsinh, (Q,)),
    ("arctanh", ops.arctanh, (H,)), ("cosh", ops.cosh, (Q,)), ("sinh", ops.sinh, (Q,)),
    ("cbrt", ops.cbrt, (Q,)), ("exp2", ops.exp2, (Q,)), ("log2", ops.log2, (P,)),
    ("log10", ops.log10, (P,)), ("deg2rad", ops.deg2rad, (Q,)),
    ("rad2deg", ops.rad2deg, (Q,)), ("fabs", ops.fabs, (Q,)), ("sinc", ops.sinc, (Q,)),
    ("erfc", ops.erfc, (Q,)), ("erfinv", ops.erfinv, (H,)), ("i0", ops.i0, (Q,)),
    ("nan_to_num", ops.nan_to_num, (Q,)),
    ("arctan2", ops.arctan2, (Q, P)), ("hypot", ops.hypot, (Q, P[0])),
    ("logaddexp", ops.logaddexp, (Q, P)), ("logaddexp2", ops.logaddexp2, (Q, H)),
    ("fmod", ops.fmod, (Q, P + 1)), ("fmax", ops.fmax, (Q, H)), ("fmin", ops.fmin, (Q, H)),
    ("divide_no_nan", ops.divide_no_nan, (Q, P)),
    ("heaviside", lambda a, b: ops.heaviside(np.array([-1.0, 0.0, 0.0, 2.0]), b),
     (Q, H[0])),
    ("ldexp", lambda a: ops.ldexp(a, np.array([1, -2, 0, 3], "int32")), (Q,)),
    ("cumprod", lambda a: ops.cumprod(a, axis=1), (Z,)),
    ("cumprod_flat", ops.cumprod, (Z,)), ("nancumprod", lambda a: ops.nancumprod(a, 0), (Z,)),
    ("diff", lambda a: ops.diff(a, n=2, axis=1), (Q,)),
    ("average", lambda a, w: ops.average(a, axis=0, weights=w), (Q, P[:, 0])),
    ("median", lambda a: ops.median(a, axis=1), (Q,)),
    ("quantile", lambda a: ops.quantile(a, [0.3, 0.8], axis=0), (Q,)),
    ("percentile", lambda a: ops.percentile(a, 65, method="midpoint"), (Q,)),
    ("nanquantile", lambda a: ops.nanquantile(_holes(a), 0.4, axis=1),
     (Q[:2],)),
    ("ptp", lambda a: ops.ptp(a, axis=0), (Q,)), ("trace", lambda a: ops.trace(a, 1), (Q,)),
    ("nanmean", lambda a: ops.nanmean(_holes(a), axis=1), (Q[:2],)),
    ("nanstd", lambda a: ops.nanstd(_holes(a), axis=1), (Q[:2],)),
    ("nanmax", lambda a: ops.nanmax(_holes(a), axis=0), (Q[:2],)),
    ("nanprod", lambda a: ops.nanprod(_holes(a)), (Q[:2],)),
    ("corrcoef", ops.corrcoef, (Q,)),
    ("correlate", lambda a, b: ops.correlate(a, b, mode="full"), (Q.ravel(), P[0, :3])),
    ("roll", lambda a: ops.roll(a, (1, -1), axis=(0, 1)), (Q,)),
    ("rot90", lambda a: ops.rot90(a, 3), (Q,)), ("hstack", lambda a, b: ops.hstack([a, b]),
                                                  (Q, P)),
    ("dstack", lambda a, b: ops.dstack([a, b]), (Q, P)),
    ("array_split", lambda a: ops.array_split(a, 3, axis=1), (Q,)),
    ("append", ops.append, (Q, H)),
    ("diagonal", lambda a: ops.diagonal(a, -1), (Q,)),
    ("diagonal_3d", lambda a: ops.diagonal(a, 1, axis1=2, axis2=0),
     (R.normal(size=(3, 2, 4)),)),
    ("diag", lambda a: ops.diag(a, k=-2), (Q[0],)), ("diagflat", ops.diagflat, (Q[:2, :2],)),
    ("meshgrid", lambda a, b: ops.meshgrid(a, b), (Q[0], P[0, :3])),
    ("vander", lambda a: ops.vander(a, 4), (np.array([0.0, 1.5, -0.5]),)),
    ("kron", ops.kron, (Q[:2, :3], P[:2, :2])), ("inner", ops.inner, (Q, H)),
    ("vdot", ops.vdot, (Q, H)), ("cross", ops.cross, (Q[:, :3], H[:, 1:])),
    ("cross2", ops.cross, (Q[:, :2], H[:, :2])),
    ("select", lambda a, b: ops.select([a > 0.5, a < -0.5], [a, b], default=b * 2), (Q, P)),
    ("trapezoid", lambda y, x: ops.trapezoid(y, x=x), (Q, np.array([0.0, 0.5, 2.0, 2.2]))),
    ("real", ops.real, (Q,)), ("conj", ops.conj, (Q,)), ("copy", ops.copy, (Q,)),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in GRAD_CASES],
                         ids=[c[0] for c in GRAD_CASES])
def test_gradients(fn, inputs):
    check_grad(fn, *inputs)


def test_cumprod_gradient_with_zeros_matches_the_formula():
    x = kerlite.ops.convert_to_tensor(np.array([2.0, 0.0, 3.0, 4.0]))
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        total = ops.sum(ops.cumprod(x))
    # d/dx1 of 2 + 2 x1 + 2 x1 3 + 2 x1 3 4 = 2 + 6 + 24; the others see the zero
    np.testing.assert_allclose(tape.gradient(total, x).numpy(), [1.0, 32.0, 0.0, 0.0])


def test_nan_reductions_ignore_nans(xp):
    x = ops.convert_to_tensor(N)
    np.testing.assert_allclose(ops.nansum(x, axis=1).numpy(), np.nansum(N, axis=1))
    assert np.isnan(ops.nanmax(x, axis=1).numpy()[1])
    np.testing.assert_allclose(ops.nanmedian(N[[0, 2]]).numpy(), np.nanmedian(N[[0, 2]]))
    assert np.isnan(ops.median(N).numpy())  # plain median: a NaN makes the result NaN


def test_special_functions_without_scipy(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_scipy(name, *args, **kwargs):
        if name.startswith("scipy"):
            raise ImportError("no scipy here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_scipy)
    x = np.array([-0.95, -0.3, 0.0, 0.6, 0.999])
    np.testing.assert_allclose(ops.erf(ops.erfinv(x)).numpy(), x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ops.erfc(np.array([0.5, 3.0])).numpy(),
                               [0.4795001221869535, 2.209049699858544e-05], rtol=1e-12)
    check_grad(ops.i0, np.array([-2.0, 0.3, 4.0]))


def test_symbolic_use_in_a_functional_model():
    inputs = kerlite.Input((4,))
    rolled = ops.roll(inputs, 1, axis=1)
    spread = ops.ptp(ops.hstack([ops.arcsinh(rolled), inputs]), axis=1, keepdims=True)
    model = kerlite.Model(inputs, ops.logaddexp(spread, ops.cumprod(inputs, axis=1)))
    x = R.normal(size=(2, 4)).astype("float32")
    want = np.logaddexp(np.ptp(np.hstack([np.arcsinh(np.roll(x, 1, axis=1)), x]), axis=1,
                               keepdims=True), np.cumprod(x, axis=1))
    got = model(x)
    assert got.shape == (2, 4) and got.dtype == "float32"
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)


def test_integer_and_complex_parts_of_real_tensors():
    assert ops.imag(F).numpy().sum() == 0 and ops.real(I).dtype == "int32"
    np.testing.assert_array_equal(ops.angle(np.array([-2.0, 3.0])).numpy(), [np.pi, 0.0])
    np.testing.assert_array_equal(ops.left_shift(np.int32(3), 2).numpy(), 12)
    assert ops.gcd(12, 18).numpy() == 6


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.bitwise_and(F, I), TypeError, "integer"),
    (lambda: ops.gcd(I > 0, I), TypeError, "integer"),
    (lambda: ops.ldexp(F, 1.5), TypeError, "integer"),
    (lambda: ops.quantile(F, 1.5), ValueError, r"\[0, 1\]"),
    (lambda: ops.quantile(F, 0.5, method="cubic"), ValueError, "method"),
    (lambda: ops.percentile(F, [[10]]), ValueError, "1-D"),
    (lambda: ops.average(F, weights=np.ones(4)), ValueError, "axis"),
    (lambda: ops.bincount(F), TypeError, "integers"),
    (lambda: ops.bincount(np.array([1, -1])), ValueError, "negative"),
    (lambda: ops.bincount(np.array([1]), sparse=True), ValueError, "sparse"),
    (lambda: ops.histogram(F), ValueError, "1-D"),
    (lambda: ops.searchsorted(F, V), ValueError, "1-D"),
    (lambda: ops.searchsorted(V, V, side="middle"), ValueError, "side"),
    (lambda: ops.correlate(F, V), ValueError, "1-D"),
    (lambda: ops.correlate(V, V, mode="wide"), ValueError, "mode"),
    (lambda: ops.rot90(F, axes=(1, 1)), ValueError, "differ"),
    (lambda: ops.fliplr(V), ValueError, "rank >= 2"),
    (lambda: ops.vsplit(V, 3), ValueError, "rank >= 2"),
    (lambda: ops.dsplit(F, 2), ValueError, "rank >= 3"),
    (lambda: ops.array_split(F, [1, 2]), TypeError, "int"),
    (lambda: ops.array_split(F, 0), ValueError, ">= 1"),
    (lambda: ops.diag(T3), ValueError, "1-D or 2-D"),
    (lambda: ops.diagonal(V), ValueError, "rank >= 2"),
    (lambda: ops.cross(F, F), ValueError, "size 2 or 3"),
    (lambda: ops.inner(F, C3), ValueError, "last axes"),
    (lambda: ops.vdot(F, V), ValueError, "sizes"),
    (lambda: ops.vander(F), ValueError, "1-D"),
    (lambda: ops.meshgrid(V, indexing="yx"), ValueError, "indexing"),
    (lambda: ops.select([F > 0], [F, F]), ValueError, "conditions"),
    (lambda: ops.unravel_index(np.array([12]), (3, 4)), ValueError, "out of range"),
    (lambda: ops.ptp(I > 0), TypeError, "boolean"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


BACKEND_CALLS = [
    lambda: ops.arccos(U), lambda: ops.heaviside(F, 0.5), lambda: ops.erfinv(U),
    lambda: ops.i0(F), lambda: ops.nanquantile(N, [0.2, 0.9], axis=1),
    lambda: ops.cumprod(F, axis=0), lambda: ops.diagonal(T3, 1, 2, 0),
    lambda: ops.roll(T3, 1, axis=1), lambda: ops.bincount(np.array([0, 2, 2], "int32")),
    lambda: ops.histogram(F.ravel(), bins=3)[0], lambda: ops.hamming(5),
    lambda: ops.geomspace(1, 8, 4), lambda: ops.unique(I),
    lambda: ops.gcd(I, np.int32(4)), lambda: ops.isin(I, [3, 4]),
]


@pytest.mark.parametrize("index", range(len(BACKEND_CALLS)))
def test_results_live_on_the_active_backend(xp, index):
    out = BACKEND_CALLS[index]()
    assert isinstance(out.data, xp.ndarray)
    if index == 0:
        np.testing.assert_allclose(out.numpy(), np.arccos(U), rtol=1e-6)
