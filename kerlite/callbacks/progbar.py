"""Progbar: the Keras-style text progress line.

    750/750 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step - accuracy: 0.9012 - loss: 0.3120

In a terminal the line is redrawn in place (at most every ``interval`` seconds); when
the output is a file or a pipe only the finished line is written. ``verbose=2`` writes
one short line when the target is reached.
"""

import math
import time

from kerlite.common.io_utils import message_stream


def _is_interactive(stream):
    """A terminal or a Jupyter output stream: places where a line can be redrawn."""
    if type(stream).__module__.startswith("ipykernel"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def format_value(value):
    """4 decimals, or scientific notation for tiny values (as Keras); a vector-valued
    metric (F1Score per class) shows its mean, as Keras's bar does."""
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (int, float)) for v in value):
        value = sum(value) / len(value)
    if isinstance(value, (int, float)):
        return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"
    return str(value)


def format_duration(seconds, unit_name="step"):
    """``" 2ms/step"``: seconds per unit in s, ms or us."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds):
    """``"1:02:03"``, ``"2:03"`` or ``"3s"``."""
    seconds = int(seconds)
    if seconds > 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if seconds > 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


class Progbar:
    """A progress bar for ``target`` steps (``None`` when the number is unknown)."""

    def __init__(self, target, width=20, verbose=1, interval=0.05, unit_name="step",
                 stream=None):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stream = stream or message_stream()
        self._dynamic = _is_interactive(self.stream)
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._previous_width = 0

    def _step_duration(self, current, now):
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        if self._time_after_first_step is None:
            self._time_after_first_step = now
        return (now - self._start) / current

    def _bar(self, current):
        if not self.target:
            return f"{current:7d}/Unknown"
        digits = int(math.log10(self.target)) + 1
        filled = int(self.width * current / self.target)
        count = f"{current:{digits}d}/{self.target}"
        done, todo = "━" * filled, "━" * (self.width - filled)
        if self._dynamic:  # bold count, green done part, grey rest (ANSI colours)
            return f"\x1b[1m{count}\x1b[0m \x1b[32m{done}\x1b[0m\x1b[37m{todo}\x1b[0m"
        return f"{count} {done}{todo}"

    def update(self, current, values=None, finalize=None):
        """Show progress at step ``current`` with ``values`` ``[(name, value), ...]``."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = time.time()
        per_step = self._step_duration(current, now)
        metrics = "".join(f" - {name}: {format_value(value)}" for name, value in values or ())
        if self.verbose == 1:
            if not finalize and (now - self._last_update < self.interval
                                 or not self._dynamic):
                return
            if self.target and not finalize:
                timing = " " + format_eta(per_step * (self.target - current))
            else:
                timing = f" {now - self._start:.0f}s"
            line = self._bar(current) + timing + format_duration(per_step, self.unit_name)
            line += metrics
            visible = len(line)
            padding = " " * max(self._previous_width - visible, 0)
            prefix = "\r" if self._dynamic else ""
            self.stream.write(prefix + line + padding + ("\n" if finalize else ""))
            self.stream.flush()
            self._previous_width = visible
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            self.stream.write(f"{current:{digits}d}/{self.target} - "
                              f"{now - self._start:.0f}s -"
                              f"{format_duration(per_step, self.unit_name)}{metrics}\n")
            self.stream.flush()
        self._last_update = now
