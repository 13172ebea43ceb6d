"""More of keras.ops' NumPy-like functions: extra elementwise maths, statistics and the
nan* reductions, array building and rearranging, integer ops and window functions."""

from kerlite.ops.numpy_like.arranging import (angle, append, argpartition, array,
                                              array_split, conj, conjugate, copy, cross,
                                              diag, diagflat, diagonal, dsplit, dstack,
                                              empty, empty_like, fliplr, flipud, geomspace,
                                              hsplit, hstack, imag, inner, kron, logspace,
                                              meshgrid, nonzero, real, roll, rot90, select,
                                              trapezoid, unique, unravel_index, vander,
                                              vdot, vsplit, vstack)
from kerlite.ops.numpy_like.elementwise import (arccos, arccosh, arcsin, arcsinh, arctan2,
                                                arctanh, cbrt, cosh, deg2rad, divide_no_nan,
                                                erfc, erfinv, exp2, fabs, fmax, fmin, fmod,
                                                heaviside, hypot, i0, isneginf, isposinf,
                                                ldexp, log10, log2, logaddexp, logaddexp2,
                                                nan_to_num, nextafter, rad2deg, signbit,
                                                sinc, sinh, trunc)
from kerlite.ops.numpy_like.integers import (bartlett, bitwise_and, bitwise_invert,
                                             bitwise_left_shift, bitwise_not, bitwise_or,
                                             bitwise_right_shift, bitwise_xor, blackman, gcd,
                                             hamming, hanning, kaiser, lcm, left_shift,
                                             right_shift)
from kerlite.ops.numpy_like.statistics import (allclose, average, bincount, corrcoef,
                                               correlate, cumprod, diff, digitize,
                                               histogram, isin, isreal, median, nanargmax,
                                               nanargmin, nancumprod, nancumsum, nanmax,
                                               nanmean, nanmedian, nanmin, nanpercentile,
                                               nanprod, nanquantile, nanstd, nansum, nanvar,
                                               percentile, ptp, quantile, searchsorted,
                                               trace)

__all__ = [
    # elementwise maths
    "arccos", "arccosh", "arcsin", "arcsinh", "arctan2", "arctanh", "cbrt", "cosh",
    "deg2rad", "divide_no_nan", "erfc", "erfinv", "exp2", "fabs", "fmax", "fmin", "fmod",
    "heaviside", "hypot", "i0", "isneginf", "isposinf", "ldexp", "log10", "log2",
    "logaddexp", "logaddexp2", "nan_to_num", "nextafter", "rad2deg", "signbit", "sinc",
    "sinh", "trunc",
    # statistics and reductions
    "allclose", "average", "bincount", "corrcoef", "correlate", "cumprod", "diff",
    "digitize", "histogram", "isin", "isreal", "median", "nanargmax", "nanargmin",
    "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin",
    "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "percentile",
    "ptp", "quantile", "searchsorted", "trace",
    # arrays
    "angle", "append", "argpartition", "array", "array_split", "conj", "conjugate",
    "copy", "cross", "diag", "diagflat", "diagonal", "dsplit", "dstack", "empty",
    "empty_like", "fliplr", "flipud", "geomspace", "hsplit", "hstack", "imag", "inner",
    "kron", "logspace", "meshgrid", "nonzero", "real", "roll", "rot90", "select",
    "trapezoid", "unique", "unravel_index", "vander", "vdot", "vsplit", "vstack",
    # integers and windows
    "bartlett", "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not",
    "bitwise_or", "bitwise_right_shift", "bitwise_xor", "blackman", "gcd", "hamming",
    "hanning", "kaiser", "lcm", "left_shift", "right_shift",
]
