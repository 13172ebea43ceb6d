"""The activations the fused recurrent ops know, each with its derivative.

Every derivative is written with the activation's OUTPUT y only (tanh' = 1 - y*y,
sigmoid' = y (1 - y), ...), so the forward pass keeps gate outputs, not inputs.
"""


def _sigmoid(xp, z):
    return 0.5 * (xp.tanh(0.5 * z) + 1)  # = 1 / (1 + exp(-z)) without overflow warnings


def _softplus(xp, z):
    return xp.logaddexp(z, 0 * z)


def _elu(xp, z):
    return xp.where(z > 0, z, xp.expm1(xp.minimum(z, 0)))


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _selu(xp, z):
    return _SELU_SCALE * xp.where(z > 0, z, _SELU_ALPHA * xp.expm1(xp.minimum(z, 0)))


# name -> (y = f(z), dy/dz written with y only, so only outputs need to be kept)
ACTIVATIONS = {
    "tanh": (lambda xp, z: xp.tanh(z), lambda xp, y: 1 - y * y),
    "sigmoid": (_sigmoid, lambda xp, y: y * (1 - y)),
    "relu": (lambda xp, z: xp.maximum(z, 0), lambda xp, y: (y > 0).astype(y.dtype)),
    "hard_sigmoid": (lambda xp, z: xp.clip(z / 6 + 0.5, 0, 1),
                     lambda xp, y: ((y > 0) & (y < 1)).astype(y.dtype) / 6),
    "linear": (lambda xp, z: z, lambda xp, y: xp.ones_like(y)),
    "exponential": (lambda xp, z: xp.exp(z), lambda xp, y: y),
    "softplus": (_softplus, lambda xp, y: -xp.expm1(-y)),
    "softsign": (lambda xp, z: z / (1 + xp.abs(z)), lambda xp, y: (1 - xp.abs(y)) ** 2),
    "elu": (_elu, lambda xp, y: xp.where(y > 0, 1, y + 1).astype(y.dtype)),
    "selu": (_selu, lambda xp, y: xp.where(y > 0, _SELU_SCALE,
                                           y + _SELU_SCALE * _SELU_ALPHA).astype(y.dtype)),
}


def fused_activation_name(name):
    """``name`` if the fused ops know that activation (None: linear), else None."""
    if name is None:
        return "linear"
    return name if name in ACTIVATIONS else None


def activate_in_place(xp, name, z):
    """``z[...] = f(z)`` for the activation ``name``; tanh and sigmoid without temporaries."""
    if name == "tanh":
        xp.tanh(z, out=z)
    elif name == "sigmoid":  # (tanh(z / 2) + 1) / 2
        z *= 0.5
        xp.tanh(z, out=z)
        z *= 0.5
        z += 0.5
    else:
        z[...] = ACTIVATIONS[name][0](xp, z)
    return z


def activation_pair(name):
    if name not in ACTIVATIONS:
        raise ValueError(
            f"The fused recurrent ops support the activations {sorted(ACTIVATIONS)}. "
            f"Received: {name!r}. Use the layer (it loops over a cell) for other functions."
        )
    return ACTIVATIONS[name]
