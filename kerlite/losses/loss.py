"""Loss: the base class, and how per-sample losses become one number.

A loss's ``call(y_true, y_pred)`` returns one value per sample (the last axis already
averaged or summed). ``__call__`` then applies ``sample_weight`` and reduces, Keras-3
style: ``"sum_over_batch_size"`` (the default) is ``sum(losses * weights) / losses.size``
(note: divided by the number of values, not by the sum of the weights).
"""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.common.naming import to_snake_case, unique_name

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean",
              "mean_with_sample_weight")


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                         f"{REDUCTIONS}. Received: reduction={reduction!r}")
    return reduction


class Loss:
    """Base class of losses: subclass it and write ``call(y_true, y_pred)``.

    Example::

        class MyMeanSquaredError(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return ops.mean(ops.square(y_pred - y_true), axis=-1)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self.dtype = arrays.standardize_dtype(dtype)

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Masked steps of y_pred (padding after Embedding(mask_zero=True)) and values a
        # loss function marks as not counting (Circle: rows without a positive pair)
        # are left out of the mean, as in Keras.
        prediction_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = as_float_tensor(y_pred, self.dtype)
        if y_pred.data.dtype != self.dtype:  # a Loss computes in its own dtype, as Keras's
            y_pred = y_pred.astype(self.dtype)  # (float64 arrays give a float32 loss)
        if not isinstance(self, LossFunctionWrapper):  # built-in functions convert
            y_true = true_values(y_true, self.dtype)  # their targets themselves
        losses = self.call(y_true, y_pred)
        mask = combined_mask(prediction_mask, getattr(losses, "_keras_mask", None),
                             getattr(losses, "shape", None))
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError(
            f"{type(self).__name__} must implement call(y_true, y_pred), returning "
            "one loss value per sample.")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A Loss made from a function ``fn(y_true, y_pred, **kwargs)`` (how ``compile``
    wraps ``"mse"`` or your own function)."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None,
                 **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config


def as_float_tensor(value, dtype=None):
    """``y_pred`` as a float Tensor (kept as is when it already is one)."""
    tensor = as_tensor(value)
    if tensor.data.dtype.kind != "f":
        tensor = Tensor(tensor.data.astype(dtype or arrays.floatx()))
    return tensor


def true_values(value, dtype=None):
    """``y_true`` as a float array: targets never receive gradients."""
    data = value.data if isinstance(value, Tensor) else arrays.convert_to_array(value)
    if data.dtype.kind != "f" or (dtype is not None and data.dtype != dtype):
        data = data.astype(dtype if dtype is not None else arrays.floatx())
    return data


def match_ranks(y_true, y_pred_data):
    """Keras's rule: when ranks differ by one and the extra axis has size 1, drop it
    (or, for a rank-1 partner, add it), so ``(n,)`` labels meet ``(n, 1)`` outputs."""
    if y_true.ndim == y_pred_data.ndim + 1 and y_true.shape[-1] == 1:
        return y_true.reshape(y_true.shape[:-1])
    if y_pred_data.ndim == y_true.ndim + 1 and y_pred_data.shape[-1] == 1:
        return y_true.reshape(y_true.shape + (1,))
    return y_true


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size"):
    """Weight the per-sample ``values`` (a Tensor) and reduce them to one Tensor.

    One fused op: ``sum(values * w) / divisor``, backward ``g * w / divisor``.
    """
    values = as_tensor(values)
    data = values.data
    xp = arrays.get_array_module(data)
    weight = _combined_weight(sample_weight, mask, data, reduction)
    if data.ndim == 0 and weight is not None and weight.ndim and reduction not in (
            None, "none"):  # one value for the batch (Dice with axis=None): spread it
        values = values * xp.ones(weight.shape, data.dtype)  # over the weights
        data = values.data
    if reduction in (None, "none") or data.ndim == 0 or data.shape == (0,):
        return values if weight is None else values * weight.astype(data.dtype)
    if reduction == "sum":
        divisor = 1.0
    elif reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(weight.sum())
    else:
        divisor = float(data.size)
    scale = data.dtype.type(1.0 / divisor) if divisor else data.dtype.type(0.0)
    if weight is None:
        total = data.sum() * scale

        def backward(g):
            return (xp.full(data.shape, g * scale, dtype=data.dtype),)
    else:
        weight = weight * scale
        total = (data * weight).sum()

        def backward(g):
            return (xp.broadcast_to(weight * g, data.shape).astype(data.dtype),)

    return record(xp.asarray(total, dtype=data.dtype), (values,), backward)


def combined_mask(prediction_mask, loss_mask, shape):
    """Both masks ANDed, as boolean arrays; a prediction mask counts only where it has the
    shape of the per-sample values (e.g. (batch, steps) for a sequence output)."""
    masks = [m.data if isinstance(m, Tensor) else m
             for m in (prediction_mask, loss_mask) if m is not None]
    if prediction_mask is not None and tuple(masks[0].shape) != tuple(shape or ()):
        masks = masks[1:]
    if not masks:
        return None
    return masks[0].astype(bool) if len(masks) == 1 else (masks[0].astype(bool)
                                                           & masks[1].astype(bool))


def _combined_weight(sample_weight, mask, data, reduction):
    """Sample weights times the mask (a mask rescaled so the mean counts valid values)."""
    weight = None
    if mask is not None:
        mask = mask.astype(data.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            valid = float(mask.sum())
            mask = mask * data.dtype.type(mask.size / valid if valid else 0.0)
        weight = mask
    if sample_weight is not None:
        sample_weight = true_values(sample_weight, data.dtype)
        if sample_weight.ndim == data.ndim + 1 and sample_weight.shape[-1] == 1:
            sample_weight = sample_weight.reshape(sample_weight.shape[:-1])
        elif data.ndim == sample_weight.ndim + 1 and data.shape[-1] == 1:
            sample_weight = sample_weight.reshape(sample_weight.shape + (1,))
        while sample_weight.ndim < data.ndim:
            sample_weight = sample_weight.reshape(sample_weight.shape + (1,))
        weight = sample_weight if weight is None else weight * sample_weight
    return weight
