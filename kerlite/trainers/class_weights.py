"""``class_weight``: checked before training, then turned into one weight per sample.

``fit(..., class_weight={0: 1.0, 1: 5.0})`` makes every sample of class 1 count five
times as much in the loss; kerlite does it as Keras does, by giving each sample the
weight of its class (``class_weight_to_sample_weight``).
"""

import numpy

from kerlite.common.nest import flatten


def class_weight_to_sample_weight(y, class_weight):
    """One weight per sample: ``class_weight[label]`` (one-hot labels are argmaxed)."""
    labels = numpy.asarray(y)
    if labels.ndim > 1:
        labels = labels.argmax(axis=-1) if labels.shape[-1] != 1 else labels[..., 0]
    labels = numpy.round(labels).astype("int64")
    lookup = numpy.vectorize(lambda label: class_weight.get(int(label), 1.0), otypes=["f"])
    return lookup(labels).astype("float32") if labels.size else labels.astype("float32")


def check_class_weight(class_weight, y=None, class_count=None):
    """Refuse a ``class_weight`` that cannot do what its author meant: keys that are not
    class indices (integers from 0), or classes that the targets cannot contain.

    ``class_count`` is how many classes the model's output can predict (None if
    unknown); one-hot targets ``y`` tell it too. Keras silently ignores such keys.
    """
    if not isinstance(class_weight, dict):
        raise ValueError("`class_weight` must be a dict mapping class indices to weights, "
                         "e.g. {0: 1.0, 1: 5.0}. Received: "
                         f"class_weight={class_weight!r} of type {type(class_weight).__name__}")
    for key, weight in class_weight.items():
        integral = isinstance(key, (int, numpy.integer)) and not isinstance(key, bool) or (
            isinstance(key, (float, numpy.floating)) and float(key).is_integer())
        if not integral or key < 0:
            raise ValueError(
                f"`class_weight` has the key {key!r}, which is not a class index: the keys "
                "must be integers 0, 1, 2... (the class numbers of the targets). "
                f"Received: class_weight={class_weight!r}")
        try:
            float(weight)
        except (TypeError, ValueError):
            raise ValueError(f"`class_weight` maps class {key} to {weight!r}, which is not "
                             "a number.") from None
    targets = flatten(y) if y is not None else []
    if len(targets) == 1 and getattr(targets[0], "ndim", 0) > 1 and (
            targets[0].shape[-1] > 1):
        class_count = targets[0].shape[-1]  # one-hot targets: one column per class
    if class_count is None:
        return
    impossible = sorted(int(key) for key in class_weight if int(key) >= class_count)
    if impossible:
        raise ValueError(
            f"`class_weight` names the class(es) {impossible}, but the targets can only "
            f"contain the classes 0 to {class_count - 1} (the model's output predicts "
            f"{class_count} classes). Received: class_weight={class_weight!r}. Remove "
            "those keys, or check that the class numbers start at 0.")
