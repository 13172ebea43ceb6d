"""Integer ops (bitwise logic, shifts, gcd, lcm) and window functions (hamming, ...).

None is differentiable: integers carry no gradient, and a window depends only on its
length.
"""

from kerlite import arrays
from kerlite.autodiff.tensor import array_of, as_tensor, Tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors


def _integer_pair(x, y, name, allow_bool=True):
    a, b = tensors(x, y)
    for t in (a, b):
        kind = t.data.dtype.kind
        if kind not in ("iub" if allow_bool else "iu"):
            raise TypeError(f"{name} needs integer{' or boolean' if allow_bool else ''} "
                            f"tensors, got {t.dtype}.")
    if a.data.dtype != b.data.dtype:
        common = get_array_module(a.data, b.data).result_type(a.data, b.data)
        a, b = Tensor(a.data.astype(common)), Tensor(b.data.astype(common))
    return a, b


def _apply(x, y, name, ufunc, allow_bool=True):
    a, b = _integer_pair(x, y, name, allow_bool)
    return Tensor(getattr(get_array_module(a.data, b.data), ufunc)(a.data, b.data))


def bitwise_and(x, y):
    """Bits set in both x and y."""
    return _apply(x, y, "bitwise_and", "bitwise_and")


def bitwise_or(x, y):
    """Bits set in x or y."""
    return _apply(x, y, "bitwise_or", "bitwise_or")


def bitwise_xor(x, y):
    """Bits set in exactly one of x and y."""
    return _apply(x, y, "bitwise_xor", "bitwise_xor")


def bitwise_invert(x):
    """Every bit flipped (~x; logical not for booleans)."""
    x = as_tensor(x)
    if x.data.dtype.kind not in "iub":
        raise TypeError(f"bitwise_invert needs integer or boolean tensors, got {x.dtype}.")
    return Tensor(get_array_module(x.data).invert(x.data))


bitwise_not = bitwise_invert


def left_shift(x, y):
    """x shifted left by y bits: x * 2**y."""
    return _apply(x, y, "left_shift", "left_shift", allow_bool=False)


def right_shift(x, y):
    """x shifted right by y bits: floor(x / 2**y)."""
    return _apply(x, y, "right_shift", "right_shift", allow_bool=False)


bitwise_left_shift = left_shift
bitwise_right_shift = right_shift


def gcd(x1, x2):
    """The greatest common divisor of |x1| and |x2|."""
    return _apply(x1, x2, "gcd", "gcd", allow_bool=False)


def lcm(x1, x2):
    """The least common multiple of |x1| and |x2|."""
    return _apply(x1, x2, "lcm", "lcm", allow_bool=False)


# --- windows (for signal processing): a length-x tensor of floatx ----------------------

def _window(name, length, *args):
    """Computed on the host with NumPy (a few numbers), then moved to the backend."""
    import numpy

    length = int(array_of(length))
    values = getattr(numpy, name)(length, *args).astype(arrays.floatx())
    return Tensor(arrays.convert_to_array(values))


def bartlett(x):
    """The triangular Bartlett window of length x: peaks at 1 in the middle."""
    return _window("bartlett", x)


def blackman(x):
    """The Blackman window: 0.42 - 0.5 cos(2 pi n/(x-1)) + 0.08 cos(4 pi n/(x-1))."""
    return _window("blackman", x)


def hamming(x):
    """The Hamming window: 0.54 - 0.46 cos(2 pi n/(x-1))."""
    return _window("hamming", x)


def hanning(x):
    """The Hann window: 0.5 - 0.5 cos(2 pi n/(x-1))."""
    return _window("hanning", x)


def kaiser(x, beta):
    """The Kaiser window: I0(beta sqrt(1 - (2n/(x-1) - 1)**2)) / I0(beta)."""
    return _window("kaiser", x, float(array_of(beta)))
