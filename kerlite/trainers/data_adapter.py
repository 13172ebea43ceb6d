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
import warnings

import numpy

from kerlite import config
from kerlite.trainers.structure import flatten, map_structure
from kerlite.utils.py_dataset import PyDataset


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


class ArrayDataAdapter:
    """Batches sliced from in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, steps=None,
                 shuffle=False, class_weight=None):
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
        full = math.ceil(self.num_samples / self.batch_size)
        self.num_batches = min(full, steps) if steps else full

    def batches(self):
        order = None
        if self.shuffle and self.shuffle != "batch":
            order = numpy.random.permutation(self.num_samples)
        starts = list(range(0, self.num_samples, self.batch_size))[: self.num_batches]
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
    if not array.ndim:
        return array
    if isinstance(part, slice):
        return array[part]
    return array.take(part, axis=0)  # a gather: a little faster than array[part]


class PyDatasetAdapter:
    """Batches read by index from a ``PyDataset``."""

    def __init__(self, dataset, steps=None, shuffle=False, class_weight=None):
        self.dataset = dataset
        self.shuffle = shuffle
        self.class_weight = class_weight
        self.num_batches = min(len(dataset), steps) if steps else len(dataset)

    def batches(self):
        indices = list(range(len(self.dataset)))
        if self.shuffle:
            random.shuffle(indices)
        for index in indices[: self.num_batches]:
            yield _with_class_weight(unpack(self.dataset[index]), self.class_weight)

    def on_epoch_end(self):
        self.dataset.on_epoch_end()


class GeneratorDataAdapter:
    """Batches pulled from a generator; it is not restarted between epochs."""

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
    """The adapter for this kind of input (see the module docstring)."""
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):  # keras.config.set_max_steps_per_epoch
        warnings.warn(f"Limiting steps_per_epoch to {cap}")
        steps = cap
    if isinstance(x, PyDataset) or _looks_like_sequence(x):
        _no_separate_targets(x, y, sample_weight, batch_size, "a PyDataset")
        return PyDatasetAdapter(x, steps, shuffle, class_weight)
    if isinstance(x, types.GeneratorType) or (hasattr(x, "__next__") and hasattr(
            x, "__iter__")):
        _no_separate_targets(x, y, sample_weight, batch_size, "a generator")
        return GeneratorDataAdapter(x, steps, class_weight)
    if x is None:
        raise ValueError("Expected input data `x`; received x=None.")
    return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight)


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
    train = map_structure(lambda a: a[:split_at], data)
    validation = map_structure(lambda a: a[split_at:], data)
    return train, validation
