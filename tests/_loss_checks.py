"""Shared helper for the loss tests: a loss's value and its gradient for y_pred."""

from kerlite.autodiff import GradientTape, Tensor


def value_and_grad(loss, y_true, y_pred, sample_weight=None):
    """``(float(loss(...)), d loss / d y_pred as a NumPy array)``."""
    with GradientTape() as tape:
        prediction = Tensor(y_pred.copy())
        tape.watch(prediction)
        value = loss(y_true, prediction, sample_weight=sample_weight)
    return float(value), tape.gradient(value, prediction).numpy()
