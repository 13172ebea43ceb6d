"""Keras-style metric text: ``loss: 0.3124 - accuracy: 0.9050 - val_loss: 0.3301``."""

import math


def format_value(value):
    """Four decimals, or scientific notation for tiny values (as Keras's progress bar)."""
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


def format_logs(logs):
    """The ``logs`` dict of a callback as one line of Keras-style text.

    Non-numeric entries (rare, but callbacks may add them) are left out.
    """
    parts = []
    for name, value in (logs or {}).items():
        try:
            parts.append(f"{name}: {format_value(value)}")
        except (TypeError, ValueError):
            continue
    return " - ".join(parts)
