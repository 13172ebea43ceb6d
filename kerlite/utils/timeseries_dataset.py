"""``timeseries_dataset_from_array``: sliding windows over a time series, in batches.

Window ``k`` starts at time ``s_k = start_index + k * sequence_stride`` and takes the
``sequence_length`` steps ``data[s_k], data[s_k + rate], ...`` (``rate`` is
``sampling_rate``); its target is ``targets[s_k]``. Keras returns a ``tf.data``
dataset; kerlite returns a ``PyDataset`` of NumPy batches, which ``fit``, ``evaluate``
and ``predict`` take and a ``for`` loop can iterate.
"""

import math

import numpy

from kerlite.common.py_dataset import PyDataset


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False,
                                  seed=None, start_index=None, end_index=None,
                                  format="tf"):
    """Batches of windows ``(x, y)`` (or just ``x`` when ``targets`` is None)."""
    length = len(data)
    _check(start_index is None or 0 <= start_index < length,
           f"`start_index` must be 0 or greater and lower than the length of the data "
           f"({length}). Received: start_index={start_index}")
    _check(end_index is None or (0 < end_index < length and
                                 (not start_index or end_index > start_index)),
           f"`end_index` must be higher than 0 and than `start_index`, and lower than the "
           f"length of the data ({length}). Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate),
                        ("sequence_stride", sequence_stride)):
        _check(0 < value < length, f"`{name}` must be higher than 0 and lower than the "
               f"length of the data ({length}). Received: {name}={value}")
    _check(format in ("tf", "grain"),
           f'`format` should be either "tf" or "grain". Received: format={format}')
    start = start_index or 0
    end = length if end_index is None else end_index
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets) - start)
    return TimeseriesDataset(numpy.asarray(data)[start:end],
                             None if targets is None else numpy.asarray(targets)[start:],
                             numpy.arange(0, max(count, 0), sequence_stride),
                             sequence_length, sampling_rate, batch_size, shuffle, seed)


class TimeseriesDataset(PyDataset):
    """Windows of a series, cut on demand: batch ``i`` is built when it is asked for."""

    def __init__(self, data, targets, starts, sequence_length, sampling_rate, batch_size,
                 shuffle, seed):
        super().__init__()
        self.data, self.targets = data, targets
        self.starts = starts
        self.offsets = numpy.arange(sequence_length) * sampling_rate
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = numpy.random.RandomState(seed)
        if shuffle:
            self._rng.shuffle(self.starts)

    def __len__(self):
        if self.batch_size is None:
            return len(self.starts)
        return math.ceil(len(self.starts) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch {index} is out of range: there are {len(self)}")
        if self.batch_size is None:
            starts = self.starts[index]
        else:
            starts = self.starts[index * self.batch_size:(index + 1) * self.batch_size]
        windows = self.data[numpy.add.outer(starts, self.offsets)]
        if self.targets is None:
            return windows
        return windows, self.targets[starts]

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def on_epoch_end(self):
        """A new order of the windows for the next epoch, when shuffling."""
        if self.shuffle:
            self._rng.shuffle(self.starts)


def _check(condition, message):
    if not condition:
        raise ValueError(message)
