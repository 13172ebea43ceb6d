"""Turning what the user passes to fit / evaluate / predict into a stream of batches.

Three kinds of input, one interface (``num_batches`` and ``batches()``, which yields
``(x, y, sample_weight)`` tuples, any of them possibly nested or ``None``):

* arrays (NumPy arrays, lists, or lists/dicts of them): sliced into ``batch_size``
  batches, shuffled each epoch if asked (the last batch may be smaller);
* a ``PyDataset`` (or Keras 2 ``Sequence``): batch ``i`` is ``dataset[i]``;
* a Python generator or iterator yielding batches: read ``steps`` batches per epoch,
  or until it runs out.
"""

import math
import random
import types

import numpy

from kerlite.common.nest import flatten, map_structure
from kerlite.common.py_dataset import PyDataset


def unpack(batch):
    """``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` -> the triple, padded with None."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        return batch, None, None
    if len(batch) == 1:
        return batch[0], None, None
    if len(batch) == 2:
        return batch[0], batch[1], None
    if len(batch) == 3:
        return batch
    raise ValueError(
        "Data is expected to be (x,), (x, y) or (x, y, sample_weight). Received a "
        f"tuple of length {len(batch)}.")


def _to_array(value):
    if value is None:  # no targets, no sample weights
        return None
    if hasattr(value, "_parents"):  # a kerlite Tensor
        return value.numpy()
    array = numpy.asarray(value)
    if array.dtype == numpy.float64:
        array = array.astype("float32")
    return array


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


class ArrayDataAdapter:
    """Batches sliced from in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None):
        self.x, self.y = map_structure(_to_array, x), map_structure(_to_array, y)
        self.sample_weight = map_structure(_to_array, sample_weight)
        lengths = {len(a) for a in flatten((self.x, self.y, self.sample_weight))
                   if a is not None and a.ndim}
        if len(lengths) > 1:
            raise ValueError(
                "Data cardinality is ambiguous: x, y and sample_weight must all have the "
                f"same number of samples. Received sizes {sorted(lengths)}. Make sure "
                "every array has the same first dimension.")
        self.num_samples = lengths.pop() if lengths else 0
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot use `class_weight` and `sample_weight` at "
                                 "the same time. Fold the class weights into the sample "
                                 "weights instead.")
            targets = flatten(self.y)
            if len(targets) != 1:
                raise ValueError("`class_weight` is only supported for models with a "
                                 "single output. Use sample weights per output instead.")
            self.sample_weight = class_weight_to_sample_weight(targets[0], class_weight)
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.num_batches = math.ceil(self.num_samples / self.batch_size)

    def batches(self):
        """One pass over the data, in batches (shuffled anew for each pass)."""
        order = None
        if self.shuffle and self.shuffle != "batch":
            order = numpy.random.permutation(self.num_samples)
        starts = list(range(0, self.num_samples, self.batch_size))
        if self.shuffle == "batch":
            random.shuffle(starts)
        for start in starts:
            if order is None:
                part = slice(start, start + self.batch_size)
            else:
                part = order[start: start + self.batch_size]
            yield tuple(_take(data, part) for data in (self.x, self.y, self.sample_weight))


def _take(data, part):
    """Rows ``part`` of every array in ``data`` (a single array is the common case)."""
    if isinstance(data, numpy.ndarray):
        return _rows(data, part)
    return map_structure(lambda a: _rows(a, part), data)


def _rows(array, part):
    if array is None or not array.ndim:
        return array
    if isinstance(part, slice):
        return array[part]
    return array.take(part, axis=0)  # a gather: a little faster than array[part]


class PyDatasetAdapter:
    """Batches read by index from a ``PyDataset``."""

    def __init__(self, dataset, shuffle=False, class_weight=None):
        self.dataset = dataset
        self.shuffle = shuffle
        self.class_weight = class_weight
        self.num_batches = len(dataset)

    def batches(self):
        """One pass over the dataset (in a new random order for each pass if shuffled)."""
        indices = list(range(len(self.dataset)))
        if self.shuffle:
            random.shuffle(indices)
        for index in indices:
            yield _with_class_weight(unpack(self.dataset[index]), self.class_weight)

    def on_epoch_end(self):
        self.dataset.on_epoch_end()


class GeneratorDataAdapter:
    """Batches pulled from a generator; it is not restarted between epochs."""

    counts_its_own_steps = True  # ``batches()`` stops after ``steps`` batches itself

    def __init__(self, generator, steps=None, class_weight=None):
        self.iterator = iter(generator)
        self.num_batches = steps
        self.class_weight = class_weight

    def batches(self):
        count = 0
        while self.num_batches is None or count < self.num_batches:
            try:
                batch = next(self.iterator)
            except StopIteration:
                if self.num_batches is not None and count == 0:
                    raise ValueError(
                        "The generator ran out of data before the epoch began. Make it "
                        "loop forever (`while True:`) or lower `steps_per_epoch`.")
                return
            count += 1
            yield _with_class_weight(unpack(batch), self.class_weight)


def _with_class_weight(batch, class_weight):
    x, y, sample_weight = batch
    if class_weight is not None and y is not None and sample_weight is None:
        sample_weight = class_weight_to_sample_weight(flatten(y)[0], class_weight)
    return x, y, sample_weight


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None,
                     shuffle=False, class_weight=None):
    """The adapter for this kind of input (see the module docstring). ``steps`` is used
    by generators only: for the others ``EpochIterator`` decides where an epoch ends."""
    if isinstance(x, PyDataset) or _looks_like_sequence(x):
        _no_separate_targets(x, y, sample_weight, batch_size, "a PyDataset")
        return PyDatasetAdapter(x, shuffle, class_weight)
    if isinstance(x, types.GeneratorType) or (hasattr(x, "__next__") and hasattr(
            x, "__iter__")):
        _no_separate_targets(x, y, sample_weight, batch_size, "a generator")
        return GeneratorDataAdapter(x, steps, class_weight)
    if x is None:
        raise ValueError("Expected input data `x`; received x=None.")
    return ArrayDataAdapter(x, y, sample_weight, batch_size, shuffle, class_weight)


def _looks_like_sequence(x):
    """A Keras-2-style Sequence from another library: __getitem__ + __len__ + on_epoch_end."""
    return hasattr(x, "on_epoch_end") and hasattr(x, "__getitem__") and hasattr(
        x, "__len__") and not isinstance(x, (list, tuple, dict, numpy.ndarray))


def _no_separate_targets(x, y, sample_weight, batch_size, kind):
    if y is not None or sample_weight is not None:
        raise ValueError(f"When x is {kind}, it must yield the targets itself: pass "
                         "y=None and sample_weight=None.")


def split_validation(x, y, sample_weight, validation_split):
    """(train, validation) parts: the LAST ``validation_split`` fraction is held out,
    before any shuffling, as in Keras."""
    if not 0 < validation_split < 1:
        raise ValueError("`validation_split` must be a float between 0 and 1. "
                         f"Received: validation_split={validation_split}")
    arrays = flatten((x, y, sample_weight))
    if any(a is not None and not hasattr(a, "__len__") for a in arrays) or isinstance(
            x, (PyDataset, types.GeneratorType)):
        raise ValueError("`validation_split` is only supported for array inputs. For "
                         "generators or PyDataset, pass `validation_data` instead.")
    data = map_structure(_to_array, (x, y, sample_weight))
    total = len(flatten(data[0])[0])
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise ValueError(
            f"Training data contains {total} samples, which is not enough to split it "
            f"into a training and a validation set with validation_split="
            f"{validation_split}.")
    train = map_structure(lambda a: None if a is None else a[:split_at], data)
    validation = map_structure(lambda a: None if a is None else a[split_at:], data)
    return train, validation
