"""The Keras activation functions, each one line over ``kerlite.ops``.

``Dense(64, activation="relu")`` looks the name up here (``activations.get``).
"""

from kerlite import ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0); optionally a slope below ``threshold`` and a ceiling ``max_value``."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    if threshold == 0.0 and max_value is None:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    shifted = ops.subtract(x, threshold)
    positive = ops.add(ops.relu(shifted), threshold)
    keep = ops.multiply(positive, ops.sign(ops.relu(shifted)))
    if max_value is not None:
        keep = ops.minimum(keep, max_value)
    if negative_slope != 0.0:
        negative = ops.relu(ops.negative(shifted))
        keep = ops.subtract(keep, ops.multiply(negative, negative_slope))
    return keep


def leaky_relu(x, negative_slope=0.2):
    """x for x >= 0, negative_slope * x below."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """min(max(x, 0), 6)."""
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) below."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU (self-normalising; use with lecun_normal)."""
    return ops.selu(x)


def celu(x, alpha=1.0):
    return ops.celu(x, alpha=alpha)


def softplus(x):
    """log(exp(x) + 1)."""
    return ops.softplus(x)


def softsign(x):
    """x / (|x| + 1)."""
    return ops.softsign(x)


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """relu6(x + 3) / 6: a piecewise-linear sigmoid."""
    return ops.hard_sigmoid(x)


def log_sigmoid(x):
    return ops.log_sigmoid(x)


def tanh(x):
    return ops.tanh(x)


def silu(x):
    """x * sigmoid(x) (also called swish)."""
    return ops.silu(x)


def hard_silu(x):
    """x * hard_sigmoid(x) (also called hard_swish)."""
    return ops.hard_silu(x)


def gelu(x, approximate=False):
    """x * Phi(x), Phi the standard normal CDF (exact unless ``approximate``)."""
    return ops.gelu(x, approximate=approximate)


def mish(x):
    """x * tanh(softplus(x))."""
    return ops.mish(x)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``: probabilities that sum to 1."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis=axis)


def hard_tanh(x):
    """clip(x, -1, 1): a piecewise-linear tanh."""
    return ops.hard_tanh(x)


def tanh_shrink(x):
    """x - tanh(x): near 0 for small x, close to x - sign(x) for large |x|."""
    return ops.tanh_shrink(x)


def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """x moved towards 0 by ``threshold`` (0 where |x| <= threshold)."""
    return ops.soft_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    """x where x > threshold, else ``default_value``."""
    return ops.threshold(x, threshold, default_value)


def squareplus(x, b=4):
    """(x + sqrt(x**2 + b)) / 2: a smooth relu; larger ``b`` is smoother."""
    return ops.squareplus(x, b=b)


def sparse_plus(x):
    """0 for x <= -1, (x + 1)**2 / 4 between, x for x >= 1: softplus with exact zeros."""
    return ops.sparse_plus(x)


def sparse_sigmoid(x):
    """clip((x + 1) / 2, 0, 1): a sigmoid that reaches 0 and 1 exactly."""
    return ops.sparse_sigmoid(x)


def glu(x, axis=-1):
    """Gated linear unit: split x into halves a, b along ``axis``; a * sigmoid(b)."""
    return ops.glu(x, axis=axis)


def sparsemax(x, axis=-1):
    """Like softmax (outputs sum to 1), but small entries become exactly 0."""
    return ops.sparsemax(x, axis=axis)


def exponential(x):
    return ops.exp(x)


def linear(x):
    """The identity: ``activation=None`` means this."""
    return x


swish = silu
hard_swish = hard_silu
