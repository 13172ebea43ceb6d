"""PyDataset (Keras 2's ``Sequence``): a dataset you write as a Python class.

Implement ``__len__`` (the number of batches) and ``__getitem__(index)`` returning
one batch ``(x, y)`` or ``(x, y, sample_weight)``; ``fit``, ``evaluate`` and ``predict``
call ``on_epoch_begin`` before each epoch and ``on_epoch_end`` after it (shuffle your
index there, for example)::

    class Batches(keras.utils.PyDataset):
        def __init__(self, x, y, batch_size=32, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, index):
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
            return self.x[part], self.y[part]
"""


class PyDataset:
    """Base class for datasets indexed by batch number.

    ``workers``, ``use_multiprocessing`` and ``max_queue_size`` are accepted for
    compatibility; kerlite loads batches in the training thread.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __getitem__(self, index):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __getitem__(index), returning the "
            "batch number `index` as (x, y) or (x, y, sample_weight).")

    def __len__(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __len__(), the number of batches.")

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_begin(self):
        """Called before every epoch of ``fit``, ``evaluate`` and ``predict``; does nothing
        by default."""

    def on_epoch_end(self):
        """Called after every epoch of ``fit``, ``evaluate`` and ``predict`` (once its
        batches are read, before validation); does nothing by default."""


Sequence = PyDataset
