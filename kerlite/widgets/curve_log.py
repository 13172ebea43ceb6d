"""The data behind live learning curves, kept apart from any drawing.

``CurveLog`` is a plain record of a whole training run: one value per epoch for each
metric (``loss``, ``val_loss``, ``accuracy``...), the epoch numbers, where each ``fit``
call started, and the running value of the epoch in progress. It knows nothing about
matplotlib or notebooks, so tests can check what the curves hold without drawing, and
every view (a figure, a text line) reads the same record.

``Throttle`` decides when a redraw is worth it: drawing a figure costs tens of
milliseconds, a training step may cost less, so views redraw at most every
``min_interval`` seconds (and, if asked, only every ``every_n_batches`` batches).
"""

import math
import time


def _as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class CurveLog:
    """Per-epoch metric values of a training run that may span several ``fit`` calls.

    Epochs are numbered from 1 across the whole run: a second ``fit`` of 3 epochs after
    a first of 5 adds epochs 6, 7 and 8.
    """

    def __init__(self):
        self.points = {}  # metric key -> list of (epoch number, value)
        self.epochs_done = 0
        self.fit_starts = []  # epoch number before which each fit call began
        self.running = {}  # metric key -> (fractional epoch, running value), this epoch
        self.last_logs = {}

    # ---- recording ---------------------------------------------------------------

    def start_fit(self):
        """Mark that a new ``fit`` call begins after the epochs recorded so far."""
        self.fit_starts.append(self.epochs_done)
        self.running = {}

    def add_batch(self, fraction_of_epoch, logs):
        """Record the running averages Keras reports after a batch.

        ``fraction_of_epoch`` is how much of the current epoch is done (0 to 1).
        """
        x = self.epochs_done + fraction_of_epoch
        for key, value in (logs or {}).items():
            value = _as_float(value)
            if value is not None and key not in ("batch", "size"):
                self.running[key] = (x, value)
                self.last_logs[key] = value

    def add_epoch(self, logs):
        """Record the end-of-epoch values (training and validation) of one epoch."""
        self.epochs_done += 1
        self.running = {}
        for key, value in (logs or {}).items():
            value = _as_float(value)
            if value is not None:
                self.points.setdefault(key, []).append((self.epochs_done, value))
        self.last_logs = {k: v for k, v in ((k, _as_float(v)) for k, v in (logs or {}).items())
                          if v is not None}

    # ---- reading -------------------------------------------------------------------

    @property
    def history(self):
        """``{"loss": [...], "val_loss": [...]}``: values per epoch, as ``History.history``."""
        return {key: [value for _, value in pts] for key, pts in self.points.items()}

    def metric_names(self):
        """The metrics to draw, one panel each: ``["loss", "accuracy"]`` (no ``val_``).

        The loss comes first, as Keras prints it; the others keep their order.
        """
        names = []
        for key in list(self.points) + list(self.running):
            base = key[4:] if key.startswith("val_") else key
            if base not in names and base != "learning_rate":
                names.append(base)
        return sorted(names, key=lambda name: name != "loss")

    def series(self, key, with_running=True):
        """``(xs, ys)`` of one key; the epoch in progress is appended when known."""
        pts = list(self.points.get(key, []))
        if with_running and key in self.running:
            pts.append(self.running[key])
        return [x for x, _ in pts], [y for _, y in pts]

    def best(self, key, mode="min"):
        """``(epoch, value)`` of the best recorded value of ``key`` (NaN ignored)."""
        pts = [(x, y) for x, y in self.points.get(key, []) if not math.isnan(y)]
        if not pts:
            return None
        pick = min if mode == "min" else max
        return pick(pts, key=lambda point: point[1])


class Throttle:
    """Lets an action through at most every ``min_interval`` seconds.

    Args:
        min_interval: seconds that must pass between two allowed actions.
        every_n_batches: if set, also wait for this many calls between actions.
        clock: a function returning seconds (``time.monotonic``; tests pass a fake).
    """

    def __init__(self, min_interval=0.5, every_n_batches=None, clock=None):
        if every_n_batches is not None and int(every_n_batches) < 1:
            raise ValueError(
                f"every_n_batches must be a positive integer or None. "
                f"Received: every_n_batches={every_n_batches!r}"
            )
        self.min_interval = float(min_interval)
        self.every_n_batches = every_n_batches
        self.clock = clock or time.monotonic
        self.reset()

    # An action that takes c seconds waits at least this many times c before the next,
    # so slow redraws (a busy machine, many panels) never take over the training time.
    COST_FACTOR = 4.0

    def reset(self):
        """Forget the last action: the next ``ready`` call lets the action through."""
        self._last_time = None
        self._calls_since = 0
        self._cost = 0.0

    def spent(self, seconds):
        """Tell how long the action just took; the next one waits accordingly."""
        self._cost = float(seconds)
        self._last_time = self.clock()

    def ready(self, count_batch=True):
        """True when enough calls and time have passed since the last action.

        ``count_batch=False`` asks about time only (used at the end of an epoch).
        """
        self._calls_since += 1 if count_batch else 0
        if count_batch and self.every_n_batches and self._calls_since < self.every_n_batches:
            return False
        now = self.clock()
        interval = max(self.min_interval, self.COST_FACTOR * self._cost)
        if self._last_time is not None and now - self._last_time < interval:
            return False
        self.mark_done(now)
        return True

    def mark_done(self, now=None):
        """Record that the action just happened (also for actions forced without asking)."""
        self._last_time = self.clock() if now is None else now
        self._calls_since = 0
