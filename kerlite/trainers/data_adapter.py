"""Turning what the user passes to fit / evaluate / predict into a stream of batches.

``EpochIterator`` (at the end) is what the loops use: it picks an adapter for the data
and says which batches each epoch runs on. Three kinds of input, one adapter
interface (``num_batches`` and ``batches()``, which yields ``(x, y, sample_weight)``
tuples, any of them possibly nested or ``None``):

* arrays (NumPy arrays, lists, or lists/dicts of them): sliced into ``batch_size``
  batches, shuffled each epoch if asked (the last batch may be smaller);
* a ``PyDataset`` (or Keras 2 ``Sequence``): batch ``i`` is ``dataset[i]``;
* a Python generator or iterator yielding batches: read ``steps`` batches per epoch,
  or until it runs out.

The model's inputs (``x``) leave here ready to compute with: arrays of the active array
library (NumPy, or CuPy on a GPU), floats in ``floatx``. In-memory NumPy data is
converted once per ``fit``; batches from a generator or a PyDataset (and every batch on
a GPU) one at a time, here, so the training step itself never converts data.
"""

import math
import random
import types
import warnings

import numpy

from kerlite import arrays, config
from kerlite.autodiff.tensor import Tensor
from kerlite.common.nest import flatten, map_structure
from kerlite.common.py_dataset import PyDataset
from kerlite.trainers.class_weights import class_weight_to_sample_weight


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


def _host_array(value):
    """``value`` as a NumPy array (None stays None)."""
    if value is None:  # no targets, no sample weights
        return None
    if hasattr(value, "_parents"):  # a kerlite Tensor
        return value.numpy()
    return numpy.asarray(value)


def _to_array(value):
    array = _host_array(value)
    if array is not None and array.dtype == numpy.float64:
        array = array.astype("float32")
    return array


def _floats_in_floatx(array):
    if array.dtype.kind == "f" and array.dtype != arrays.floatx():
        return array.astype(arrays.floatx())
    return array


def input_array(value):
    """One model input as an array of the active array library, floats in ``floatx``
    (a Tensor, or None, stays as it is)."""
    if value is None or isinstance(value, Tensor):
        return value
    return _floats_in_floatx(arrays.convert_to_array(value))


def input_arrays(x):
    """``input_array`` for every input in the structure ``x``."""
    return map_structure(input_array, x)


class ArrayDataAdapter:
    """Batches sliced from in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None):
        self.x = map_structure(_to_host_input, x)
        self.y = map_structure(_to_array, y)
        # With NumPy the inputs are ready now; a GPU receives each batch as it comes.
        self.inputs_ready = arrays.backend() == "numpy"
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


def _to_host_input(value):
    """An input as a NumPy array with floats in ``floatx``, once for the whole fit."""
    array = _host_array(value)
    return None if array is None else _floats_in_floatx(array)


def _take(data, part):
    """Rows ``part`` of every array in ``data`` (a single array is the common case)."""
    if data is None or isinstance(data, numpy.ndarray):
        return None if data is None else _rows(data, part)
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

    def on_epoch_begin(self):
        begin = getattr(self.dataset, "on_epoch_begin", None)  # Keras 2 Sequences lack it
        if begin is not None:
            begin()

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


class EpochIterator:
    """``epoch()`` yields ``(step, (x, y, sample_weight))`` for one epoch.

    Which batches an epoch runs on follows Keras's rules (they change the numbers a run
    produces): without ``steps_per_epoch`` every epoch is one full pass over the data;
    with it, an epoch takes the next ``steps_per_epoch`` batches of the pass in
    progress (6 batches, ``steps_per_epoch=2``: epoch 1 runs batches 0-1, epoch 2
    batches 2-3, epoch 3 batches 4-5). When a pass runs out in the middle of an epoch,
    that epoch ends early (with a warning) and the next one starts a new pass. A
    generator is read as it comes: ``steps`` batches per epoch, or until it runs out.

    ``num_batches`` is what callbacks see as ``params["steps"]``: ``steps_per_epoch``
    when given, otherwise the number of batches in one pass (None if unknown).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None,
                 steps_per_epoch=None, shuffle=False, class_weight=None):
        cap = config.max_steps_per_epoch()
        if cap and (not steps_per_epoch or cap < steps_per_epoch):
            warnings.warn(f"Limiting steps_per_epoch to {cap}")
            steps_per_epoch = cap
        self.adapter = get_data_adapter(x, y, sample_weight, batch_size, steps_per_epoch,
                                        shuffle, class_weight)
        self.steps_per_epoch = steps_per_epoch
        self._pass = None  # the batches of the pass in progress (a generator)
        self._taken = 0  # how many of them earlier epochs took

    @property
    def num_batches(self):
        return self.steps_per_epoch or self.adapter.num_batches

    def epoch(self):
        """The batches of one epoch, between the data's ``on_epoch_begin`` and
        ``on_epoch_end`` (a ``PyDataset``'s hooks, called for fit, evaluate and predict
        as in Keras 3; an epoch that ``stop_training`` cuts short ends them too)."""
        begin = getattr(self.adapter, "on_epoch_begin", None)
        if begin is not None:
            begin()
        try:
            yield from self._epoch_batches()
        finally:
            end = getattr(self.adapter, "on_epoch_end", None)
            if end is not None:
                end()

    def _epoch_batches(self):
        if getattr(self.adapter, "counts_its_own_steps", False):
            yield from enumerate(self._ready_batches())
            return
        per_pass = self.adapter.num_batches
        if self._pass is None or not self.steps_per_epoch:
            self._pass, self._taken = self._ready_batches(), 0
        for step in range(self.steps_per_epoch or per_pass):
            if self._taken >= per_pass:
                warnings.warn(
                    f"Your input ran out of data: one pass holds {per_pass} batches, so "
                    f"this epoch stopped after {step} of steps_per_epoch="
                    f"{self.steps_per_epoch} steps (epochs take consecutive batches of "
                    "one pass, as in Keras). Make steps_per_epoch * epochs at most "
                    f"{per_pass}, or use a generator that repeats.", stacklevel=4)
                break
            self._taken += 1
            yield step, next(self._pass)
        if self._taken >= per_pass:
            self._pass = None

    def _ready_batches(self):
        """The adapter's batches, their inputs converted by ``input_arrays`` unless the
        adapter has converted them already (in-memory NumPy data)."""
        if getattr(self.adapter, "inputs_ready", False):
            return self.adapter.batches()
        return ((input_arrays(x), y, sample_weight)
                for x, y, sample_weight in self.adapter.batches())
