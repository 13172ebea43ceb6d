"""Discrete Fourier transforms the Keras way: a complex signal is a pair of float tensors
``(real, imag)``, and so is every result.

The DFT is linear, y = F x with F_jk = exp(-2 pi i jk / n). Seen as a real map from
(Re x, Im x) to (Re y, Im y), its adjoint is conj(F) = n * ifft: so the backward of
``fft`` is ``n * ifft`` of the incoming gradient (G_re + i G_im), split into its real
and imaginary parts, and the backward of ``ifft`` is ``fft / n``. ``rfft`` and
``irfft`` are written with them, so their gradients come for free.
"""

import math

from kerlite.autodiff.tensor import Tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor
from kerlite.ops.joining import concatenate, pad
from kerlite.ops.arithmetic import negative
from kerlite.ops.shape import flip


def _pair(x, name):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"{name}: the input must be a tuple (real, imag) of two float "
                         f"tensors; received {type(x).__name__}.")
    real, imag = float_tensor(x[0]), float_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"{name}: real and imaginary parts need the same shape; received "
                         f"{real.shape} and {imag.shape}.")
    if real.dtype != imag.dtype:
        raise ValueError(f"{name}: real and imaginary parts need the same dtype; received "
                         f"{real.dtype} and {imag.dtype}.")
    if real.ndim < 1:
        raise ValueError(f"{name}: the input needs at least one axis.")
    return real, imag


def _transform(x, name, axes, inverse):
    """(real, imag) -> (real, imag) of the (inverse) DFT over ``axes``."""
    real, imag = _pair(x, name)
    if real.ndim < len(axes):
        raise ValueError(f"{name}: the input needs at least {len(axes)} axes; received "
                         f"shape {real.shape}.")
    xp = get_array_module(real.data)
    dtype = real.data.dtype
    forward_fn, inverse_fn = xp.fft.fftn, xp.fft.ifftn
    out = (inverse_fn if inverse else forward_fn)(real.data + 1j * imag.data, axes=axes)
    count = math.prod(real.shape[a] for a in axes)

    def backward(part):
        def rule(g):
            g = g + 0j if part == 0 else 1j * g
            z = forward_fn(g, axes=axes) / count if inverse else \
                inverse_fn(g, axes=axes) * count
            return z.real.astype(dtype), z.imag.astype(dtype)
        return rule

    return (record(out.real.astype(dtype), (real, imag), backward(0)),
            record(out.imag.astype(dtype), (real, imag), backward(1)))


def fft(x):
    """DFT along the last axis: x = (real, imag) -> (real, imag)."""
    return _transform(x, "fft", (-1,), inverse=False)


def fft2(x):
    """2-D DFT over the last two axes: x = (real, imag) -> (real, imag)."""
    return _transform(x, "fft2", (-2, -1), inverse=False)


def ifft2(x):
    """Inverse 2-D DFT over the last two axes (divided by H * W)."""
    return _transform(x, "ifft2", (-2, -1), inverse=True)


def _fit(x, length):
    """``x`` cut or zero-padded to ``length`` entries along the last axis."""
    if x.shape[-1] >= length:
        return x[..., :length]
    return pad(x, [(0, 0)] * (x.ndim - 1) + [(0, length - x.shape[-1])])


def rfft(x, fft_length=None):
    """DFT of a real signal along the last axis, keeping the n // 2 + 1 non-negative
    frequencies: ``(real, imag)``.  ``fft_length`` cuts or zero-pads the signal first."""
    x = float_tensor(x)
    n = x.shape[-1] if fft_length is None else int(fft_length)
    x = _fit(x, n)
    real, imag = fft((x, Tensor(x.data * 0)))
    return real[..., :n // 2 + 1], imag[..., :n // 2 + 1]


def irfft(x, fft_length=None):
    """Real signal of length ``fft_length`` (default 2 * (m - 1)) from the m
    non-negative frequencies ``(real, imag)`` of a real signal's DFT.

    The negative frequencies are the mirrored conjugates: X[n - k] = conj(X[k]).
    """
    real, imag = _pair(x, "irfft")
    n = 2 * (real.shape[-1] - 1) if fft_length is None else int(fft_length)
    if n < 1:
        raise ValueError(f"irfft: fft_length must be positive; received {n}.")
    half = n // 2 + 1
    real, imag = _fit(real, half), _fit(imag, half)
    mirrored = slice(1, n - half + 1)
    full_real = concatenate([real, flip(real[..., mirrored], -1)], axis=-1)
    full_imag = concatenate([imag, negative(flip(imag[..., mirrored], -1))], axis=-1)
    out_real, _ = _transform((full_real, full_imag), "irfft", (-1,), inverse=True)
    return out_real


# --- short-time Fourier transforms ---------------------------------------------------------
def _window(window, sequence_length, fft_length, like):
    """The analysis window, zero-padded equally on both sides to ``fft_length``.

    "hann" and "hamming" are the periodic windows of spectral analysis:
    a - (1 - a) cos(2 pi n / N) with a = 0.5 or 0.54.
    """
    xp = get_array_module(like)
    if window is None:
        return xp.ones(fft_length, dtype=like.dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"window must be 'hann', 'hamming', a tensor or None; "
                             f"received {window!r}.")
        a = 0.5 if window == "hann" else 0.54
        n = xp.arange(sequence_length)
        win = a - (1 - a) * xp.cos(2 * math.pi * n / sequence_length)
    else:
        win = xp.asarray(float_tensor(window).data)
    if win.ndim != 1 or win.shape[0] != sequence_length:
        raise ValueError(f"The window must have shape ({sequence_length},); received "
                         f"{tuple(win.shape)}.")
    left = (fft_length - sequence_length) // 2
    return xp.pad(win, (left, fft_length - sequence_length - left)).astype(like.dtype)


def _check_stft_sizes(sequence_length, sequence_stride, fft_length):
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError(f"sequence_stride must be a positive int; received "
                         f"{sequence_stride!r}.")
    if fft_length < sequence_length:
        raise ValueError(f"fft_length ({fft_length}) must be at least sequence_length "
                         f"({sequence_length}).")


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis: the ``rfft`` of each windowed
    frame, ``(real, imag)`` of shape (..., frames, fft_length // 2 + 1).

    With ``center`` the signal is first reflect-padded by fft_length // 2 on both
    sides, so frame t is centred on sample t * sequence_stride.
    """
    from kerlite.ops.arithmetic import multiply
    from kerlite.ops.nn_linalg.structural import extract_sequences

    x = float_tensor(x)
    if x.dtype not in ("float32", "float64"):
        raise TypeError(f"stft needs a float32 or float64 input; received {x.dtype}.")
    _check_stft_sizes(sequence_length, sequence_stride, fft_length)
    win = _window(window, sequence_length, fft_length, x.data)
    if center:
        half = fft_length // 2
        x = pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)], mode="reflect")
    frames = multiply(extract_sequences(x, fft_length, sequence_stride), Tensor(win))
    return rfft(frames, fft_length)


def _overlap_add(frames, stride):
    """(..., T, n) frames added into one (..., n + stride * (T - 1)) signal, frame t
    starting at t * stride.  Backward: each frame reads its stretch of the gradient."""
    xp = get_array_module(frames.data)
    count, n = frames.shape[-2:]
    index = xp.arange(count)[:, None] * stride + xp.arange(n)[None, :]
    length = n + stride * (count - 1)
    batch = frames.shape[:-2]
    flat = frames.data.reshape((-1, count * n))
    out = xp.zeros((flat.shape[0], length), dtype=frames.data.dtype)
    for t in range(count):  # T vectorised adds: no repeats inside one frame
        out[:, t * stride:t * stride + n] += flat[:, t * n:(t + 1) * n]

    def backward(g):
        return (g[..., index],)

    return record(out.reshape(batch + (length,)), (frames,), backward)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse of ``stft``: the ``irfft`` of each frame, windowed and overlap-added,
    divided by the overlap-added squared window (where that is not ~0).

    ``length`` cuts the result to that many samples; with ``center`` the
    fft_length // 2 padded samples at each end are dropped.
    """
    from kerlite.ops.arithmetic import multiply

    real, imag = _pair(x, "istft")
    if real.ndim < 2:
        raise ValueError(f"istft needs inputs of rank >= 2; received shape {real.shape}.")
    _check_stft_sizes(sequence_length, sequence_stride, fft_length)
    xp = get_array_module(real.data)
    win = _window(window, sequence_length, fft_length, real.data)
    divisor = win.sum() if window is not None else sequence_stride
    frames = irfft((real, imag), fft_length)
    frames = multiply(frames, Tensor((win * (win.sum() / divisor)).astype(win.dtype)))
    signal = _overlap_add(frames, sequence_stride)
    norm = _overlap_add(Tensor(xp.broadcast_to(win * win, (real.shape[-2], fft_length))),
                        sequence_stride).data
    signal = multiply(signal, Tensor((1 / xp.where(norm > 1e-10, norm, 1)).astype(win.dtype)))
    start = fft_length // 2 if center else 0
    if length is not None:
        return signal[..., start:start + length]
    if center:
        return signal[..., start:signal.shape[-1] - fft_length // 2]
    return signal
