"""What "better" means for a monitored quantity, shared by EarlyStopping,
ModelCheckpoint and ReduceLROnPlateau."""

import warnings

_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "top_k", "f1", "fbeta", "r2",
                     "iou", "io_u", "cosine_similarity", "correlation", "sensitivity",
                     "specificity")


def resolve_mode(monitor, mode, owner):
    """``"min"`` or ``"max"``: ``"auto"`` decides from the name (accuracy-like -> max)."""
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{owner} mode {mode!r} is unknown, falling back to 'auto' mode.")
        mode = "auto"
    if mode != "auto":
        return mode
    name = monitor.removeprefix("val_")
    if "loss" in name or "error" in name or name in ("mse", "mae", "mape", "msle"):
        return "min"
    if any(word in name for word in _HIGHER_IS_BETTER):
        return "max"
    raise ValueError(
        f"{owner} callback received monitor={monitor!r}, but cannot tell whether that "
        "metric should be maximized or minimized. Pass mode='max' to keep the highest "
        "value, or mode='min' to keep the lowest.")


def is_improvement(current, reference, mode, min_delta=0.0):
    """True if ``current`` beats ``reference`` by more than ``min_delta``."""
    if reference is None:
        return True
    if mode == "min":
        return current + abs(min_delta) < reference
    return current - abs(min_delta) > reference
