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


def exponential(x):
    return ops.exp(x)


def linear(x):
    """The identity: ``activation=None`` means this."""
    return x


swish = silu
hard_swish = hard_silu
