"""float32 stays float32 through every op, forward and backward (no silent float64),
and every differentiable op of kerlite.ops is listed here.

The gradient half matters as much as the forward half: a float64 constant hidden in a
backward rule would make every weight update float64 and twice as slow.
"""

import numpy as np
import pytest

import kerlite
from kerlite import ops

A = (np.arange(12, dtype="float32").reshape(3, 4) / 5 - 1.1).astype("float32")
P = (np.abs(A) + 0.5).astype("float32")  # positive
LABELS = np.array([0, 3, 1])

# op name -> function of float32 tensors (each is one call of that op)
DIFFERENTIABLE = {
    "abs": lambda x: ops.abs(x), "absolute": lambda x: ops.absolute(x),
    "add": lambda x: ops.add(x, 1.5), "subtract": lambda x: ops.subtract(2, x),
    "multiply": lambda x: ops.multiply(x, 0.1), "divide": lambda x: ops.divide(x, 3),
    "true_divide": lambda x: ops.true_divide(1.0, x + 5),
    "negative": lambda x: ops.negative(x), "power": lambda x: ops.power(x + 5, 1.5),
    "mod": lambda x: ops.mod(x, 0.7), "maximum": lambda x: ops.maximum(x, 0.05),
    "minimum": lambda x: ops.minimum(x, 0.05),
    "exp": ops.exp, "expm1": ops.expm1, "log": lambda x: ops.log(x + 2),
    "log1p": lambda x: ops.log1p(x + 2), "sqrt": lambda x: ops.sqrt(x + 2),
    "rsqrt": lambda x: ops.rsqrt(x + 2), "reciprocal": lambda x: ops.reciprocal(x + 2),
    "square": ops.square, "sin": ops.sin, "cos": ops.cos, "tan": ops.tan,
    "arctan": ops.arctan, "tanh": ops.tanh, "clip": lambda x: ops.clip(x, -0.5, 0.5),
    "relu": ops.relu, "relu6": ops.relu6, "leaky_relu": ops.leaky_relu,
    "hard_tanh": ops.hard_tanh, "hard_shrink": ops.hard_shrink,
    "soft_shrink": ops.soft_shrink, "tanh_shrink": ops.tanh_shrink,
    "squareplus": ops.squareplus, "sparse_plus": ops.sparse_plus,
    "sparse_sigmoid": ops.sparse_sigmoid, "threshold": lambda x: ops.threshold(x, 0.1, -1.0),
    "glu": ops.glu, "sparsemax": ops.sparsemax,
    "sigmoid": ops.sigmoid, "hard_sigmoid": ops.hard_sigmoid, "hard_silu": ops.hard_silu,
    "hard_swish": ops.hard_swish, "silu": ops.silu, "swish": ops.swish,
    "softplus": ops.softplus, "log_sigmoid": ops.log_sigmoid, "softsign": ops.softsign,
    "elu": ops.elu, "selu": ops.selu, "celu": ops.celu, "gelu": ops.gelu,
    "gelu_exact": lambda x: ops.gelu(x, approximate=False), "mish": ops.mish,
    "softmax": ops.softmax, "log_softmax": ops.log_softmax, "logsumexp": ops.logsumexp,
    "sum": lambda x: ops.sum(x, axis=0), "mean": lambda x: ops.mean(x, axis=1),
    "max": ops.max, "min": lambda x: ops.min(x, axis=0), "amax": ops.amax, "amin": ops.amin,
    "prod": lambda x: ops.prod(x, axis=1), "var": ops.var, "std": lambda x: ops.std(x, 0),
    "cumsum": lambda x: ops.cumsum(x, axis=1),
    "reshape": lambda x: ops.reshape(x, (2, 6)), "ravel": ops.ravel,
    "transpose": ops.transpose, "swapaxes": lambda x: ops.swapaxes(x, 0, 1),
    "moveaxis": lambda x: ops.moveaxis(x, 0, 1), "expand_dims": lambda x: ops.expand_dims(x, 0),
    "squeeze": lambda x: ops.squeeze(ops.expand_dims(x, 0)),
    "broadcast_to": lambda x: ops.broadcast_to(x, (2, 3, 4)), "flip": ops.flip,
    "get_item": lambda x: x[1:, [0, 0, 2]], "take": lambda x: ops.take(x, [2, 2], axis=1),
    "take_along_axis": lambda x: ops.take_along_axis(x, LABELS[:, None], axis=1),
    "where": lambda x: ops.where(x > 0, x, 0.5),
    "concatenate": lambda x: ops.concatenate([x, x], axis=1),
    "stack": lambda x: ops.stack([x, x]), "split": lambda x: ops.split(x, 2, axis=1)[1],
    "unstack": lambda x: ops.unstack(x)[0], "tile": lambda x: ops.tile(x, 2),
    "repeat": lambda x: ops.repeat(x, 2, axis=0), "pad": lambda x: ops.pad(x, 1),
    "pad_reflect": lambda x: ops.pad(x, 1, mode="reflect"),
    "sort": ops.sort, "top_k": lambda x: ops.top_k(x, 2)[0],
    "matmul": lambda x: ops.matmul(x, ops.transpose(x)),
    "dot": lambda x: ops.dot(x, np.ones(4, "float32")),
    "tensordot": lambda x: ops.tensordot(x, x, axes=2),
    "einsum": lambda x: ops.einsum("ij,kj->ik", x, x), "outer": lambda x: ops.outer(x, x),
    "cast": lambda x: ops.cast(ops.cast(x, "float64"), "float32"),
    "categorical_crossentropy": lambda x: ops.categorical_crossentropy(
        ops.one_hot(LABELS, 4), x, from_logits=True),
    "sparse_categorical_crossentropy": lambda x: ops.sparse_categorical_crossentropy(
        LABELS, ops.softmax(x)),
    "binary_crossentropy": lambda x: ops.binary_crossentropy(
        np.full((3, 4), 0.25, "float32"), ops.sigmoid(x)),
    "dropout": lambda x: kerlite.random.dropout(x, 0.5, seed=1),
    "erf": ops.erf, "tril": ops.tril, "triu": lambda x: ops.triu(x, 1),
    "slice": lambda x: ops.slice(x, (1, 0), (2, 3)),
    "slice_update": lambda x: ops.slice_update(x, (0, 1), x[:2, :2] * 2),
    "norm": lambda x: ops.norm(x, axis=1), "normalize": ops.normalize,
    "moments": lambda x: ops.moments(x, axes=[0])[1],
    # kerlite.ops.numpy_like: elementwise maths
    "arccos": lambda x: ops.arccos(x * 0.5), "arcsin": lambda x: ops.arcsin(x * 0.5),
    "arctan2": lambda x: ops.arctan2(x, 2.0), "arccosh": lambda x: ops.arccosh(x + 3),
    "arcsinh": ops.arcsinh, "arctanh": lambda x: ops.arctanh(x * 0.5), "cosh": ops.cosh,
    "sinh": ops.sinh, "cbrt": lambda x: ops.cbrt(x + 2), "exp2": ops.exp2,
    "log2": lambda x: ops.log2(x + 2), "log10": lambda x: ops.log10(x + 2),
    "logaddexp": lambda x: ops.logaddexp(x, 0.5),
    "logaddexp2": lambda x: ops.logaddexp2(0.5, x), "hypot": lambda x: ops.hypot(x, 1.0),
    "deg2rad": ops.deg2rad, "rad2deg": ops.rad2deg, "fabs": ops.fabs,
    "fmod": lambda x: ops.fmod(x, 0.7), "fmax": lambda x: ops.fmax(x, 0.05),
    "fmin": lambda x: ops.fmin(x, 0.05), "heaviside": lambda x: ops.heaviside(0.0, x),
    "sinc": ops.sinc, "nan_to_num": ops.nan_to_num,
    "divide_no_nan": lambda x: ops.divide_no_nan(x, 3.0), "erfc": ops.erfc,
    "erfinv": lambda x: ops.erfinv(x * 0.5), "i0": ops.i0,
    "ldexp": lambda x: ops.ldexp(x, np.int32(2)),
    # kerlite.ops.numpy_like: reductions and statistics
    "cumprod": lambda x: ops.cumprod(x, axis=1), "diff": ops.diff,
    "average": lambda x: ops.average(x, axis=1, weights=np.arange(1, 5, dtype="float32")),
    "median": lambda x: ops.median(x, axis=0), "percentile": lambda x: ops.percentile(x, 30),
    "quantile": lambda x: ops.quantile(x, [0.2, 0.7], axis=1),
    "ptp": lambda x: ops.ptp(x, axis=1), "trace": ops.trace,
    "nansum": ops.nansum, "nanmean": lambda x: ops.nanmean(x, axis=0),
    "nanmax": ops.nanmax, "nanmin": lambda x: ops.nanmin(x, axis=1),
    "nanprod": lambda x: ops.nanprod(x, axis=1), "nanstd": ops.nanstd, "nanvar": ops.nanvar,
    "nancumsum": lambda x: ops.nancumsum(x, axis=0), "nancumprod": ops.nancumprod,
    "nanmedian": ops.nanmedian, "nanpercentile": lambda x: ops.nanpercentile(x, 80, axis=1),
    "nanquantile": lambda x: ops.nanquantile(x, 0.4), "corrcoef": ops.corrcoef,
    "correlate": lambda x: ops.correlate(ops.ravel(x), x[0], mode="same"),
    # kerlite.ops.numpy_like: arrays
    "roll": lambda x: ops.roll(x, 1, axis=1), "rot90": ops.rot90, "fliplr": ops.fliplr,
    "flipud": ops.flipud, "hstack": lambda x: ops.hstack([x, x]),
    "vstack": lambda x: ops.vstack([x, x[0]]), "dstack": lambda x: ops.dstack([x, x]),
    "hsplit": lambda x: ops.hsplit(x, 2)[0], "vsplit": lambda x: ops.vsplit(x, 3)[1],
    "dsplit": lambda x: ops.dsplit(ops.expand_dims(x, 2), 1)[0],
    "array_split": lambda x: ops.array_split(x, 3, axis=1)[0],
    "append": lambda x: ops.append(x, x), "diag": ops.diag, "diagonal": ops.diagonal,
    "diagflat": lambda x: ops.diagflat(x[0]), "copy": ops.copy,
    "meshgrid": lambda x: ops.meshgrid(x[0], x[1])[0], "vander": lambda x: ops.vander(x[0]),
    "kron": lambda x: ops.kron(x, x[:2, :2]), "inner": lambda x: ops.inner(x, x),
    "vdot": lambda x: ops.vdot(x, x), "cross": lambda x: ops.cross(x[:, :3], x[:, 1:]),
    "select": lambda x: ops.select([x > 0.5], [x], default=x * 2),
    "trapezoid": ops.trapezoid, "real": ops.real, "conj": ops.conj,
    "conjugate": ops.conjugate,
    "adaptive_average_pool": lambda x: ops.adaptive_average_pool(x[None], 2),
    "adaptive_max_pool": lambda x: ops.adaptive_max_pool(x[None], 2),
    # kerlite.ops.nn_linalg (A is (3, 4) float32)
    "batch_normalization": lambda x: ops.batch_normalization(
        x, ops.mean(x, 0), ops.var(x, 0) + 1, axis=1, offset=x[0], scale=x[1]),
    "layer_normalization": lambda x: ops.layer_normalization(x, x[0], x[1]),
    "rms_normalization": lambda x: ops.rms_normalization(x, x[0]),
    "dot_product_attention": lambda x: ops.dot_product_attention(
        ops.reshape(x, (1, 3, 2, 2)), ops.reshape(x, (1, 3, 2, 2)),
        ops.reshape(x, (1, 3, 2, 2)), is_causal=True),
    "depth_to_space": lambda x: ops.depth_to_space(ops.reshape(x, (1, 1, 3, 4)), 2),
    "space_to_depth": lambda x: ops.space_to_depth(ops.reshape(x, (1, 2, 2, 3)), 2),
    "psnr": lambda x: ops.psnr(x, x * 0.5, 1.0), "cdist": lambda x: ops.cdist(x, x + 1),
    "det": lambda x: ops.det(x[:, :3] + 3 * np.eye(3, dtype="float32")),
    "inv": lambda x: ops.inv(x[:, :3] + 3 * np.eye(3, dtype="float32")),
    "solve": lambda x: ops.solve(x[:, :3] + 3 * np.eye(3, dtype="float32"), x),
    "solve_triangular": lambda x: ops.solve_triangular(
        x[:, :3] + 3 * np.eye(3, dtype="float32"), x, lower=True),
    "cholesky": lambda x: ops.cholesky(ops.matmul(x, ops.transpose(x)) + np.eye(3, dtype="float32")),
    "cholesky_inverse": lambda x: ops.cholesky_inverse(
        ops.tril(x[:, :3]) + 3 * np.eye(3, dtype="float32")),
    "slogdet": lambda x: ops.slogdet(x[:, :3] + 3 * np.eye(3, dtype="float32"))[1],
    "logdet": lambda x: ops.logdet(ops.matmul(x, ops.transpose(x)) + np.eye(3, dtype="float32")),
    "pinv": ops.pinv, "lstsq": lambda x: ops.lstsq(ops.transpose(x), x[0]),
    "qr": lambda x: ops.qr(ops.transpose(x))[1],
    "svd": lambda x: ops.svd(x, compute_uv=False),
    "eigh": lambda x: ops.eigh(ops.matmul(x, ops.transpose(x)))[0],
    "scan": lambda x: ops.scan(lambda c, r: (c * r, c + r), x[0], x)[1],
    "map": lambda x: ops.map(lambda r: r * ops.sum(r), x),
    "switch": lambda x: ops.switch(1, [ops.sin, ops.cos], x),
    "associative_scan": lambda x: ops.associative_scan(ops.add, x, axis=1),
    "vectorize": lambda x: ops.vectorize(lambda r: ops.sum(r * r), signature="(n)->()")(x),
    "custom_gradient": lambda x: ops.custom_gradient(
        lambda t: (ops.square(t), lambda g: g * 2 * t))(x),
    "segment_sum": lambda x: ops.segment_sum(x, [0, 1, 1]),
    "segment_max": lambda x: ops.segment_max(x, [0, 1, 1]),
    "segment_min": lambda x: ops.segment_min(x, [0, 1, 1]),
    "segment_prod": lambda x: ops.segment_prod(x, [0, 1, 1]),
    "scatter": lambda x: ops.scatter([[0], [2], [0]], x, (4, 4)),
    "scatter_update": lambda x: ops.scatter_update(x, [[0, 1], [2, 3]], x[1, :2]),
    "extract_sequences": lambda x: ops.extract_sequences(x, 2, 1),
    "unfold": lambda x: ops.unfold(ops.reshape(x, (1, 1, 3, 4)), 2),
    "fold": lambda x: ops.fold(ops.reshape(x, (1, 2, 6)), (3, 4), (1, 2), stride=(1, 2)),
    "rearrange": lambda x: ops.rearrange(x, "a (b c) -> (c a) b", c=2),
    "fft": lambda x: ops.fft((x, x * 2))[1], "fft2": lambda x: ops.fft2((x, x))[0],
    "ifft2": lambda x: ops.ifft2((x, -x))[1], "rfft": lambda x: ops.rfft(x)[0],
    "irfft": lambda x: ops.irfft((x, x), 5),
    "stft": lambda x: ops.stft(x, 2, 1, 2)[0],
    "istft": lambda x: ops.istft((x, x), 4, 2, 6, window="hamming"),
}

# Ops of other files (convolution, pooling, recurrent) are tested by their owners.
OTHER_OWNERS = {"kerlite.ops.convolution", "kerlite.ops.convolution_transpose",
                "kerlite.ops.pooling", "kerlite.ops.recurrent"}
NOT_DIFFERENTIABLE = {
    "multi_hot", "in_top_k", "matrix_rank", "lu_factor", "eig", "saturate_cast", "dtype",
    "all", "any", "count_nonzero", "argmax", "argmin", "argsort", "sign", "floor", "ceil",
    "round", "floor_divide", "one_hot", "equal", "not_equal", "less", "less_equal",
    "greater", "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor",
    "isnan", "isinf", "isfinite", "isclose", "stop_gradient", "convert_to_tensor",
    "convert_to_numpy", "is_tensor", "shape", "ndim", "size",
    "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "arange", "linspace",
    "eye", "identity", "tri",
    # control flow: gradients flow through what the branches and steps compute
    "cond", "while_loop", "fori_loop", "vectorized_map",
    # kerlite.ops.numpy_like: boolean, integer, index or constant results
    "trunc", "signbit", "nextafter", "isposinf", "isneginf", "nanargmax", "nanargmin",
    "allclose", "isin", "isreal", "digitize", "bincount", "searchsorted", "histogram",
    "array", "empty", "empty_like", "geomspace", "logspace", "nonzero", "unravel_index",
    "argpartition", "imag", "angle", "unique",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_invert",
    "bitwise_left_shift", "bitwise_right_shift", "left_shift", "right_shift", "gcd", "lcm",
    "bartlett", "blackman", "hamming", "hanning", "kaiser",
}


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_float32_stays_float32_forward_and_backward(name):
    x = kerlite.ops.convert_to_tensor(A)
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        out = DIFFERENTIABLE[name](x)
        total = ops.sum(out)
    assert out.dtype == "float32", f"{name} returned {out.dtype}"
    grad = tape.gradient(total, x)
    assert grad is not None, f"no gradient reached the input of {name}"
    assert grad.dtype == "float32", f"the gradient of {name} is {grad.dtype}"
    assert grad.shape == x.shape


def test_every_public_op_is_classified():
    """A new op must be added to DIFFERENTIABLE (and gradient-checked) or NOT_DIFFERENTIABLE."""
    public = {name for name in dir(ops) if not name.startswith("_")
              and callable(getattr(ops, name))
              and getattr(getattr(ops, name), "__module__", "") not in OTHER_OWNERS}
    unclassified = public - set(DIFFERENTIABLE) - NOT_DIFFERENTIABLE
    assert not unclassified, f"ops missing from the dtype/gradient tests: {sorted(unclassified)}"


@pytest.mark.parametrize("name", ["zeros", "ones", "eye", "identity", "linspace", "full"])
def test_creation_defaults_to_floatx(name):
    make = {"zeros": lambda: ops.zeros((2, 2)), "ones": lambda: ops.ones(3),
            "eye": lambda: ops.eye(3), "identity": lambda: ops.identity(2),
            "linspace": lambda: ops.linspace(0, 1, 5), "full": lambda: ops.full((2,), 0.5)}
    assert make[name]().dtype == "float32"
    kerlite.backend.set_floatx("float64")
    assert make[name]().dtype == "float64"


def test_creation_values_and_integer_dtypes():
    assert ops.arange(5).dtype == "int32"
    assert ops.arange(0.0, 1.0, 0.25).dtype == "float32"
    np.testing.assert_array_equal(ops.arange(2, 8, 2).numpy(), [2, 4, 6])
    assert ops.full((2,), 3).dtype == "int32"
    np.testing.assert_array_equal(ops.eye(2, 3, k=1).numpy(), np.eye(2, 3, k=1))
    np.testing.assert_allclose(ops.linspace(0, 1, 5).numpy(), np.linspace(0, 1, 5))
    x = np.ones((2, 3), dtype="float64")
    assert ops.zeros_like(x).dtype == "float64"
    assert ops.ones_like(x, dtype="int32").dtype == "int32"
    np.testing.assert_array_equal(ops.full_like(x, 7).numpy(), np.full((2, 3), 7.0))
    np.testing.assert_array_equal(ops.tri(3).numpy(), np.tri(3))


def test_cast_and_core_helpers():
    x = ops.convert_to_tensor([[1.5, 2.5]])
    assert x.dtype == "float32"
    assert ops.cast(x, "int32").dtype == "int32"
    assert ops.cast(x, "float32") is x
    assert ops.shape(x) == (1, 2) and ops.ndim(x) == 2 and ops.size(x) == 2
    assert ops.is_tensor(x) and not ops.is_tensor(x.numpy())
    assert isinstance(ops.convert_to_numpy(x), np.ndarray)
    assert ops.convert_to_tensor([1, 2]).dtype == "int32"
    assert ops.convert_to_tensor(np.array([1.0]), dtype="float16").dtype == "float16"


def test_cast_passes_gradients_between_float_types():
    x = kerlite.ops.convert_to_tensor([1.0, -2.0])
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.cast(x, "float64") * 3.0)
    grad = tape.gradient(y, x)
    assert grad.dtype == "float32"
    np.testing.assert_array_equal(grad.numpy(), [3.0, 3.0])
    with kerlite.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.cast(x, "int32"))
    assert tape.gradient(y, x) is None  # integers carry no gradient


def test_comparisons_and_logic_give_booleans():
    a, b = np.array([1.0, np.nan, np.inf]), np.array([1.0, 2.0, 3.0])
    assert ops.equal(a, b).dtype == "bool"
    np.testing.assert_array_equal(ops.less(b, 2).numpy(), [True, False, False])
    np.testing.assert_array_equal(ops.isnan(a).numpy(), [False, True, False])
    np.testing.assert_array_equal(ops.isinf(a).numpy(), [False, False, True])
    np.testing.assert_array_equal(ops.isfinite(a).numpy(), [True, False, False])
    np.testing.assert_array_equal(ops.logical_xor(b > 1, b > 2).numpy(), [False, True, False])
    np.testing.assert_array_equal(ops.isclose(b, b + 1e-9).numpy(), [True] * 3)
