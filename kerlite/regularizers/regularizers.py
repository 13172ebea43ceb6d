"""L1, L2 and L1L2 penalties: l1 * sum(|w|) and l2 * sum(w**2)."""

from kerlite import arrays, ops


class Regularizer:
    """Base class: ``regularizer(weight) -> scalar penalty``."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _validate(name, value):
    value = float(value)
    if value < 0:
        raise ValueError(
            f"Value for argument `{name}` must be non-negative. Received: {name}={value}")
    return value


class L1(Regularizer):
    """l1 * sum(|w|) (pushes weights to exactly zero)."""

    def __init__(self, l1=0.01):
        self.l1 = _validate("l1", l1)

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.abs(x)), self.l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """l2 * sum(w**2) (weight decay: keeps weights small)."""

    def __init__(self, l2=0.01):
        self.l2 = _validate("l2", l2)

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.square(x)), self.l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """l1 * sum(|w|) + l2 * sum(w**2). Keras 3 defaults both factors to 0."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate("l1", l1)
        self.l2 = _validate("l2", l2)

    def __call__(self, x):
        penalty = ops.multiply(ops.sum(ops.abs(x)), self.l1)
        return ops.add(penalty, ops.multiply(ops.sum(ops.square(x)), self.l2))

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


# Keras 3 exports the classes under these lowercase names too: l2(0.01) is L2(0.01).
l1, l2, l1_l2 = L1, L2, L1L2


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D kernel towards being orthogonal.

    penalty = factor * mean over pairs i < j of |cos(angle between w_i and w_j)|.
    """

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode}")
        self.factor = _validate("factor", factor)
        self.mode = mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={tuple(x.shape)}")
        axis = 1 if self.mode == "rows" else 0
        norms = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
        unit = ops.divide(x, ops.maximum(norms, arrays.epsilon()))
        if self.mode == "rows":
            product, size = ops.matmul(unit, ops.transpose(unit)), x.shape[0]
        else:
            product, size = ops.matmul(ops.transpose(unit), unit), x.shape[1]
        off_diagonal = ops.multiply(product, 1.0 - ops.eye(size, dtype=product.dtype))
        pairs = size * (size - 1.0) / 2.0
        return ops.multiply(ops.sum(ops.abs(off_diagonal)), 0.5 * self.factor / pairs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


orthogonal_regularizer = OrthogonalRegularizer
