"""LearningRateScheduler: set the optimizer's learning rate at the start of each epoch."""

from kerlite.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    """``schedule(epoch, lr) -> new_lr`` (or ``schedule(epoch)``) is called before each
    epoch; the rate used is also logged as ``learning_rate``."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        current = float(optimizer.learning_rate)
        try:
            learning_rate = self.schedule(epoch, current)
        except TypeError:  # a schedule that takes only the epoch
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (int, float)) and not hasattr(
                learning_rate, "__float__"):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {learning_rate!r}")
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{float(learning_rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
