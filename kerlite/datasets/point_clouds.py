"""Seeded 2-D toy problems for first models: spirals, moons, XOR, blobs, and a regression curve.

Every function returns NumPy arrays: features float32 of shape (n_samples, n_features) and
labels int32 of shape (n_samples,) (targets float32 (n_samples, 1) for regression). The same
``seed`` gives the same data; ``seed=None`` draws fresh data each call.
"""

import numpy


def _rng(seed):
    return numpy.random.default_rng(seed)


def _counts(n_samples, n_classes):
    """Split ``n_samples`` as evenly as possible over the classes (first classes get the extra)."""
    if n_samples < n_classes or n_classes < 1:
        raise ValueError(
            f"Need n_samples >= n_classes >= 1. Received: n_samples={n_samples}, n_classes={n_classes}"
        )
    base, extra = divmod(n_samples, n_classes)
    return [base + (k < extra) for k in range(n_classes)]


def _shuffled(rng, x, y):
    order = rng.permutation(len(x))
    return x[order].astype(numpy.float32), y[order].astype(numpy.int32)


def make_spirals(n_samples=300, n_classes=2, noise=0.1, turns=1.5, seed=None):
    """Interleaved spiral arms, one per class: a classic "a straight line cannot do this" set.

    Arm k at radius r in [0, 1] sits at angle 2*pi*(turns*r + k/n_classes); ``noise`` is the
    standard deviation of Gaussian jitter added to each coordinate.
    """
    rng = _rng(seed)
    xs, ys = [], []
    for label, count in enumerate(_counts(n_samples, n_classes)):
        radius = numpy.linspace(0.05, 1.0, count)
        angle = 2 * numpy.pi * (turns * radius + label / n_classes)
        points = numpy.stack([radius * numpy.cos(angle), radius * numpy.sin(angle)], axis=1)
        xs.append(points + rng.normal(0.0, noise, points.shape) * radius[:, None])
        ys.append(numpy.full(count, label))
    return _shuffled(rng, numpy.concatenate(xs), numpy.concatenate(ys))


def make_moons(n_samples=200, noise=0.1, seed=None):
    """Two interleaving half circles (class 0 on top, class 1 below and shifted right)."""
    rng = _rng(seed)
    n_top, n_bottom = _counts(n_samples, 2)
    top = numpy.linspace(0, numpy.pi, n_top)
    bottom = numpy.linspace(0, numpy.pi, n_bottom)
    x = numpy.concatenate([
        numpy.stack([numpy.cos(top), numpy.sin(top)], axis=1),
        numpy.stack([1 - numpy.cos(bottom), 0.5 - numpy.sin(bottom)], axis=1),
    ])
    x = x + rng.normal(0.0, noise, x.shape)
    y = numpy.concatenate([numpy.zeros(n_top), numpy.ones(n_bottom)])
    return _shuffled(rng, x, y)


def make_xor(n_samples=200, noise=0.1, seed=None):
    """Points in four corner clusters; the label is 1 when x and y have opposite signs (XOR)."""
    rng = _rng(seed)
    corners = numpy.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=numpy.float64)
    counts = _counts(n_samples, 4)
    which = numpy.repeat(numpy.arange(4), counts)
    x = corners[which] * 0.5 + rng.normal(0.0, 0.25 + noise, (n_samples, 2))
    y = (x[:, 0] * x[:, 1] < 0).astype(numpy.int32)
    return _shuffled(rng, x, y)


def make_blobs(n_samples=300, n_classes=3, n_features=2, cluster_std=1.0, center_box=(-8.0, 8.0),
               seed=None):
    """Gaussian clusters, one per class, with centres drawn uniformly in ``center_box``."""
    rng = _rng(seed)
    centres = rng.uniform(center_box[0], center_box[1], (n_classes, n_features))
    counts = _counts(n_samples, n_classes)
    y = numpy.repeat(numpy.arange(n_classes), counts)
    x = centres[y] + rng.normal(0.0, cluster_std, (n_samples, n_features))
    return _shuffled(rng, x, y)


def make_regression(n_samples=200, n_features=1, kind="sine", noise=0.1, seed=None):
    """Inputs x float32 (n, n_features) in [-1, 1] and targets y float32 (n, 1).

    kind="sine": y = sin(pi * sum(x)) + noise (needs a hidden layer to fit);
    kind="linear": y = x @ w + 0.5 + noise with fixed random weights w (linear regression).
    """
    if kind not in ("sine", "linear"):
        raise ValueError(f"`kind` must be 'sine' or 'linear'. Received: kind={kind!r}")
    rng = _rng(seed)
    x = rng.uniform(-1.0, 1.0, (n_samples, n_features))
    if kind == "sine":
        clean = numpy.sin(numpy.pi * x.sum(axis=1, keepdims=True))
    else:
        weights = rng.normal(0.0, 1.0, (n_features, 1))
        clean = x @ weights + 0.5
    y = clean + rng.normal(0.0, noise, clean.shape)
    return x.astype(numpy.float32), y.astype(numpy.float32)
