"""Random initializers. ``seed=None`` draws from the global generator (set it with
``keras.utils.set_random_seed``); an int seed gives the same values at every call.

Variance scaling (Glorot, He, LeCun) keeps activations' variance steady across layers:
variance = scale / n, with n = fan_in, fan_out or their mean.
"""

import math

import numpy

from kerlite import arrays, ops, random
from kerlite.initializers.initializer import Initializer


class RandomInitializer(Initializer):
    def __init__(self, seed=None):
        if seed is not None and not isinstance(seed, (int, random.SeedGenerator)):
            raise ValueError(
                "`seed` must be None, an int or a keras.random.SeedGenerator. "
                f"Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self):
        return {"seed": self.seed if isinstance(self.seed, (int, type(None))) else None}


class RandomNormal(RandomInitializer):
    """Normal samples N(mean, stddev**2)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Uniform samples on [minval, maxval)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(shape, self.minval, self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Normal samples, redrawn if further than two standard deviations from the mean."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(shape, self.mean, self.stddev, dtype=dtype,
                                       seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out): inputs and outputs per unit; conv kernels count the window.

    ``input_axes``/``output_axes`` name the axes to multiply, for unusual kernels.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[axis] for axis in input_axes),
                math.prod(shape[axis] for axis in output_axes))
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Samples with variance ``scale / n``; ``n`` set by ``mode``."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(
                f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"Invalid `mode` argument: {mode}. Please use one of "
                "'fan_in', 'fan_out', 'fan_avg'")
        distribution = distribution.lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. Please use one of "
                "'uniform', 'truncated_normal', 'untruncated_normal'")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, n[self.mode])
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978  # std of N(0,1) cut at 2
            return random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config(), "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def with_fan_axes(initializer, input_axes, output_axes):
    """``initializer`` counting its fans over these kernel axes, as Keras's EinsumDense does
    (not over the last two axes, as for a conv kernel): a VarianceScaling initializer
    (Glorot, He, LeCun...) that names no axes itself gets a copy with them, same seed;
    any other initializer is returned as it is."""
    if not isinstance(initializer, VarianceScaling) or (
            initializer.input_axes is not None and initializer.output_axes is not None):
        return initializer
    config = initializer.get_config()
    config.update(seed=initializer.seed, input_axes=list(input_axes),
                  output_axes=list(output_axes))
    return type(initializer).from_config(config)


def _variance_scaling_class(name, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes,
                                 output_axes)

    def get_config(self):
        return {"seed": RandomInitializer.get_config(self)["seed"],
                "input_axes": self.input_axes, "output_axes": self.output_axes}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                           "__doc__": doc, "__module__": __name__})


GlorotUniform = _variance_scaling_class(
    "GlorotUniform", 1.0, "fan_avg", "uniform",
    "Uniform on [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)) (Keras's default).")
GlorotNormal = _variance_scaling_class(
    "GlorotNormal", 1.0, "fan_avg", "truncated_normal",
    "Truncated normal, stddev = sqrt(2 / (fan_in + fan_out)).")
HeUniform = _variance_scaling_class(
    "HeUniform", 2.0, "fan_in", "uniform", "Uniform, limit = sqrt(6 / fan_in) (for ReLU).")
HeNormal = _variance_scaling_class(
    "HeNormal", 2.0, "fan_in", "truncated_normal",
    "Truncated normal, stddev = sqrt(2 / fan_in) (for ReLU).")
LecunUniform = _variance_scaling_class(
    "LecunUniform", 1.0, "fan_in", "uniform", "Uniform, limit = sqrt(3 / fan_in).")
LecunNormal = _variance_scaling_class(
    "LecunNormal", 1.0, "fan_in", "truncated_normal",
    "Truncated normal, stddev = sqrt(1 / fan_in) (for SELU).")


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (rows or columns orthonormal), times ``gain``.

    The QR decomposition of a normal random matrix, with signs fixed so the result is
    uniformly distributed; shapes with more than 2 axes are flattened to 2-D first.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        values = random.normal(flat, dtype="float64", seed=self.seed).numpy()
        q, r = numpy.linalg.qr(values)
        q = q * numpy.sign(numpy.diag(r))
        if rows < cols:
            q = q.T
        return ops.convert_to_tensor(self.gain * q.reshape(tuple(shape)),
                                         arrays.standardize_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


OrthogonalInitializer = Orthogonal
