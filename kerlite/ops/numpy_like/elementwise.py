"""More elementwise maths (inverse trig, hyperbolic, log2, hypot, fmod, ...).

Results that are never integers turn integer input into ``floatx()`` first, as Keras
does. Each backward rule is the derivative written in the docstring.
"""

import math


from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, tensors, unbroadcast
from kerlite.ops.elementwise import erf_values


def _unary(x, forward, derivative):
    """A float op of one tensor: ``derivative(x, out)`` is d(out)/dx, elementwise."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    out = forward(xp, x.data)
    return record(out, (x,), lambda g: (g * derivative(xp, x.data, out),))


def _float_pair(x1, x2):
    """Both operands as Tensors of one float dtype (two integers give floatx)."""
    a, b = tensors(x1, x2)
    if a.data.dtype != b.data.dtype:  # e.g. int32 with int8: widen as NumPy does
        xp = get_array_module(a.data, b.data)
        common = xp.result_type(a.data, b.data)
        a, b = Tensor(a.data.astype(common)), Tensor(b.data.astype(common))
    return float_tensor(a), float_tensor(b)


def _binary(a, b, out, grad_a, grad_b):
    """Record ``out`` of two tensors; ``grad_a(g)``/``grad_b(g)`` give full-shape grads."""
    def backward(g):
        return (unbroadcast(grad_a(g), a.data.shape) if a._needs_grad else None,
                unbroadcast(grad_b(g), b.data.shape) if b._needs_grad else None)

    return record(out, (a, b), backward)


def arcsin(x):
    """Inverse sine.  d/dx = 1 / sqrt(1 - x**2)."""
    return _unary(x, lambda xp, d: xp.arcsin(d), lambda xp, d, o: 1 / xp.sqrt(1 - d * d))


def arccos(x):
    """Inverse cosine.  d/dx = -1 / sqrt(1 - x**2)."""
    return _unary(x, lambda xp, d: xp.arccos(d), lambda xp, d, o: -1 / xp.sqrt(1 - d * d))


def arcsinh(x):
    """Inverse hyperbolic sine.  d/dx = 1 / sqrt(x**2 + 1)."""
    return _unary(x, lambda xp, d: xp.arcsinh(d), lambda xp, d, o: 1 / xp.sqrt(d * d + 1))


def arccosh(x):
    """Inverse hyperbolic cosine (x >= 1).  d/dx = 1 / sqrt(x**2 - 1)."""
    return _unary(x, lambda xp, d: xp.arccosh(d), lambda xp, d, o: 1 / xp.sqrt(d * d - 1))


def arctanh(x):
    """Inverse hyperbolic tangent (|x| < 1).  d/dx = 1 / (1 - x**2)."""
    return _unary(x, lambda xp, d: xp.arctanh(d), lambda xp, d, o: 1 / (1 - d * d))


def sinh(x):
    """Hyperbolic sine.  d/dx = cosh(x)."""
    return _unary(x, lambda xp, d: xp.sinh(d), lambda xp, d, o: xp.cosh(d))


def cosh(x):
    """Hyperbolic cosine.  d/dx = sinh(x)."""
    return _unary(x, lambda xp, d: xp.cosh(d), lambda xp, d, o: xp.sinh(d))


def cbrt(x):
    """Cube root (negative for negative x).  d/dx = 1 / (3 cbrt(x)**2)."""
    return _unary(x, lambda xp, d: xp.cbrt(d), lambda xp, d, o: 1 / (3 * o * o))


def exp2(x):
    """2**x.  d/dx = ln(2) 2**x."""
    return _unary(x, lambda xp, d: xp.exp2(d),
                  lambda xp, d, o: o * o.dtype.type(math.log(2)))


def log2(x):
    """Base-2 logarithm.  d/dx = 1 / (x ln 2)."""
    return _unary(x, lambda xp, d: xp.log2(d),
                  lambda xp, d, o: 1 / (d * d.dtype.type(math.log(2))))


def log10(x):
    """Base-10 logarithm.  d/dx = 1 / (x ln 10)."""
    return _unary(x, lambda xp, d: xp.log10(d),
                  lambda xp, d, o: 1 / (d * d.dtype.type(math.log(10))))


def deg2rad(x):
    """Degrees to radians, x pi/180.  d/dx = pi/180."""
    return _unary(x, lambda xp, d: d * d.dtype.type(math.pi / 180),
                  lambda xp, d, o: d.dtype.type(math.pi / 180))


def rad2deg(x):
    """Radians to degrees, x 180/pi.  d/dx = 180/pi."""
    return _unary(x, lambda xp, d: d * d.dtype.type(180 / math.pi),
                  lambda xp, d, o: d.dtype.type(180 / math.pi))


def fabs(x):
    """|x| as a float (integers become floatx).  d/dx = sign(x) (0 at 0)."""
    return _unary(x, lambda xp, d: xp.abs(d), lambda xp, d, o: xp.sign(d))


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0.  d/dx = (cos(pi x) - sinc(x)) / x (0 at 0)."""
    def derivative(xp, d, out):
        safe = xp.where(d == 0, d.dtype.type(1), d)
        return xp.where(d == 0, d.dtype.type(0),
                        (xp.cos(d.dtype.type(math.pi) * d) - out) / safe)

    return _unary(x, lambda xp, d: xp.sinc(d), derivative)


def erfc(x):
    """1 - erf(x), accurate for large x.  d/dx = -2/sqrt(pi) e**(-x**2)."""
    scale = -2 / math.sqrt(math.pi)
    return _unary(x, lambda xp, d: _special("erfc", d),
                  lambda xp, d, o: d.dtype.type(scale) * xp.exp(-d * d))


def erfinv(x):
    """The inverse of erf on (-1, 1).  d/dx = sqrt(pi)/2 e**(erfinv(x)**2)."""
    scale = math.sqrt(math.pi) / 2
    return _unary(x, lambda xp, d: _special("erfinv", d),
                  lambda xp, d, o: d.dtype.type(scale) * xp.exp(o * o))


def i0(x):
    """The modified Bessel function of the first kind, order 0.  d/dx = I1(x)."""
    return _unary(x, lambda xp, d: _special("i0", d), lambda xp, d, o: _special("i1", d))


def _special(name, data):
    """A special function of a raw array: SciPy/CuPy when present, else a NumPy version."""
    xp = get_array_module(data)
    try:
        if xp.__name__ == "cupy":
            import cupyx.scipy.special as special
        else:
            import scipy.special as special
        return getattr(special, name)(data).astype(data.dtype)
    except ImportError:
        pass
    if name == "erfc":
        return xp.frompyfunc(math.erfc, 1, 1)(data).astype(data.dtype)
    if name == "i0":
        return xp.i0(data).astype(data.dtype)
    if name == "i1":
        return _bessel_i1_series(data)
    return _erfinv_newton(data)


def _erfinv_newton(y):
    """erfinv by Newton's method on erf(x) = y (without SciPy), in float64."""
    xp = get_array_module(y)
    target = y.astype("float64")
    x = xp.zeros_like(target)
    inside = xp.abs(target) < 1
    for _ in range(60):
        step = (erf_values(x) - target) / (2 / math.sqrt(math.pi) * xp.exp(-x * x))
        x = xp.where(inside, x - xp.clip(step, -1, 1), x)
    x = xp.where(target == 1, xp.inf, xp.where(target == -1, -xp.inf, x))
    return xp.where(xp.abs(target) > 1, xp.nan, x).astype(y.dtype)


def _bessel_i1_series(data):
    """I1(x) = sum over k of (x/2)**(2k+1) / (k! (k+1)!), summed in float64."""
    xp = get_array_module(data)
    half = data.astype("float64") / 2
    term = half.copy()
    total = term.copy()
    for k in range(1, 200):
        term = term * half * half / (k * (k + 1))
        total = total + term
    return total.astype(data.dtype)


def trunc(x):
    """Round towards zero; integers stay as they are (not differentiable)."""
    x = as_tensor(x)
    if x.data.dtype.kind in "iub":
        return Tensor(x.data.copy())
    return Tensor(get_array_module(x.data).trunc(x.data))


def signbit(x):
    """True where the sign bit is set (negative numbers and -0.0); not differentiable."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).signbit(x.data))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replace NaN by ``nan`` and +-inf by ``posinf``/``neginf`` (largest finite values
    by default).  d/dx = 1 where x was finite, 0 where it was replaced."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if x.data.dtype.kind not in "fc":
        return Tensor(x.data.copy())
    out = xp.nan_to_num(x.data, nan=nan, posinf=posinf, neginf=neginf)
    return record(out, (x,), lambda g: (g * xp.isfinite(x.data),))


def arctan2(x1, x2):
    """The angle of the point (x2, x1), in (-pi, pi].

    d/dx1 = x2 / (x1**2 + x2**2), d/dx2 = -x1 / (x1**2 + x2**2).
    """
    a, b = _float_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    radius2 = a.data * a.data + b.data * b.data
    return _binary(a, b, xp.arctan2(a.data, b.data),
                   lambda g: g * b.data / radius2, lambda g: -g * a.data / radius2)


def hypot(x1, x2):
    """sqrt(x1**2 + x2**2) without overflow.  d/dx1 = x1 / hypot, d/dx2 = x2 / hypot."""
    a, b = _float_pair(x1, x2)
    out = get_array_module(a.data, b.data).hypot(a.data, b.data)
    return _binary(a, b, out, lambda g: g * a.data / out, lambda g: g * b.data / out)


def logaddexp(x1, x2):
    """log(e**x1 + e**x2), computed stably.

    d/dx1 = e**x1 / (e**x1 + e**x2) = sigmoid(x1 - x2); d/dx2 = sigmoid(x2 - x1).
    """
    a, b = _float_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    out = xp.logaddexp(a.data, b.data)
    return _binary(a, b, out, lambda g: g * xp.exp(a.data - out),
                   lambda g: g * xp.exp(b.data - out))


def logaddexp2(x1, x2):
    """log2(2**x1 + 2**x2).  d/dx1 = 2**x1 / (2**x1 + 2**x2) = 2**(x1 - out)."""
    a, b = _float_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    out = xp.logaddexp2(a.data, b.data)
    return _binary(a, b, out, lambda g: g * xp.exp2(a.data - out),
                   lambda g: g * xp.exp2(b.data - out))


def divide_no_nan(x1, x2):
    """x1 / x2, but 0 wherever x2 == 0.  d/dx1 = 1/x2, d/dx2 = -x1/x2**2 (0 where x2 == 0)."""
    a, b = _float_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    zero = b.data == 0
    safe = xp.where(zero, b.data.dtype.type(1), b.data)
    out = xp.where(zero, b.data.dtype.type(0), a.data / safe)
    return _binary(a, b, out, lambda g: xp.where(zero, 0, g / safe).astype(out.dtype),
                   lambda g: xp.where(zero, 0, -g * out / safe).astype(out.dtype))


def _same_kind_pair(x1, x2):
    """Operands of one dtype, keeping integers integers (fmod, fmax, fmin)."""
    a, b = tensors(x1, x2)
    if a.data.dtype != b.data.dtype:
        common = get_array_module(a.data, b.data).result_type(a.data, b.data)
        a, b = Tensor(a.data.astype(common)), Tensor(b.data.astype(common))
    return a, b


def fmod(x1, x2):
    """The C remainder: x1 - trunc(x1/x2) x2, with the sign of x1.

    d/dx1 = 1, d/dx2 = -trunc(x1/x2).
    """
    a, b = _same_kind_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    out = xp.fmod(a.data, b.data)
    return _binary(a, b, out, lambda g: g,
                   lambda g: -g * xp.trunc(a.data / b.data).astype(g.dtype))


def _choose_ignoring_nan(x1, x2, pick):
    a, b = _same_kind_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    out = pick(xp)(a.data, b.data)
    from_a = (out == a.data) | (xp.isnan(b.data) if b.data.dtype.kind == "f" else False)
    return _binary(a, b, out, lambda g: g * from_a, lambda g: g * ~from_a)


def fmax(x1, x2):
    """The larger of x1 and x2, ignoring a NaN on one side.  The gradient goes to the
    chosen entry (to x1 at ties)."""
    return _choose_ignoring_nan(x1, x2, lambda xp: xp.fmax)


def fmin(x1, x2):
    """The smaller of x1 and x2, ignoring a NaN on one side.  The gradient goes to the
    chosen entry (to x1 at ties)."""
    return _choose_ignoring_nan(x1, x2, lambda xp: xp.fmin)


def heaviside(x1, x2):
    """The step function: 0 for x1 < 0, x2 at x1 == 0, 1 for x1 > 0.

    d/dx1 = 0 almost everywhere; d/dx2 = 1 where x1 == 0.
    """
    a, b = _float_pair(x1, x2)
    xp = get_array_module(a.data, b.data)
    one, zero = a.data.dtype.type(1), a.data.dtype.type(0)
    out = xp.where(a.data > 0, one, xp.where(a.data == 0, b.data, zero))
    out = xp.where(xp.isnan(a.data), a.data, out)  # NaN stays NaN
    return _binary(a, b, out, lambda g: g * 0, lambda g: g * (a.data == 0))


def ldexp(x1, x2):
    """x1 * 2**x2 with integer x2.  d/dx1 = 2**x2."""
    x1 = as_tensor(x1)
    x2 = as_tensor(x2)
    if x2.data.dtype.kind not in "iub":
        raise TypeError(
            f"ldexp: the exponent x2 must be an integer tensor, not {x2.dtype}.")
    a = float_tensor(x1)
    xp = get_array_module(a.data, x2.data)
    out = xp.ldexp(a.data, x2.data.astype("int32"))
    if out.dtype != a.data.dtype:
        out = out.astype(a.data.dtype)
    scale = xp.ldexp(xp.ones_like(a.data), x2.data.astype("int32")).astype(a.data.dtype)
    return record(out, (a,), lambda g: (unbroadcast(g * scale, a.data.shape),))


def nextafter(x1, x2):
    """The next float after x1 in the direction of x2 (not differentiable)."""
    a, b = _float_pair(x1, x2)
    return Tensor(get_array_module(a.data, b.data).nextafter(a.data, b.data))


def isposinf(x):
    """True where x is +inf (not differentiable)."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).isinf(x.data) & (x.data > 0))


def isneginf(x):
    """True where x is -inf (not differentiable)."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).isinf(x.data) & (x.data < 0))



