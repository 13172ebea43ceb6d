"""Which batches each epoch of ``fit`` (or one ``evaluate``/``predict``) runs on.

Keras's rules, which change the numbers a run produces, so kerlite follows them:

* without ``steps_per_epoch`` every epoch is one full pass over the data;
* with ``steps_per_epoch`` an epoch takes the next ``steps_per_epoch`` batches of the
  pass in progress: with 6 batches and ``steps_per_epoch=2``, epoch 1 runs batches 0-1,
  epoch 2 batches 2-3, epoch 3 batches 4-5. When a pass runs out in the middle of an
  epoch, that epoch ends early (with a warning) and the next epoch starts a new pass.
* a generator is read as it comes: ``steps`` batches per epoch, or until it runs out.
"""

import warnings

from kerlite import config
from kerlite.trainers.data_adapter import get_data_adapter


class EpochIterator:
    """``epoch()`` yields ``(step, (x, y, sample_weight))`` for one epoch.

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
        if getattr(self.adapter, "counts_its_own_steps", False):
            yield from enumerate(self.adapter.batches())
            return
        per_pass = self.adapter.num_batches
        if self._pass is None or not self.steps_per_epoch:
            self._pass, self._taken = self.adapter.batches(), 0
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
