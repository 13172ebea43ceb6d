"""Losses (``keras.losses``): classes, function forms and the strings ``compile`` takes.

``get("mse")`` returns the function ``mean_squared_error``; ``get("MeanSquaredError")``
returns an instance of the class, as in Keras.
"""

import difflib

from kerlite.losses.circle import Circle, circle
from kerlite.losses.focal import (BinaryFocalCrossentropy, CategoricalFocalCrossentropy,
                                  binary_focal_crossentropy, categorical_focal_crossentropy)
from kerlite.losses.generalized_cross_entropy import (CategoricalGeneralizedCrossEntropy,
                                                      categorical_generalized_cross_entropy)
from kerlite.losses.hinge import (CategoricalHinge, Hinge, SquaredHinge, categorical_hinge,
                                  hinge, squared_hinge)
from kerlite.losses.loss import Loss, LossFunctionWrapper
from kerlite.losses.overlap import Dice, Tversky, dice, tversky
from kerlite.losses.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy,
                                          KLDivergence, Poisson,
                                          SparseCategoricalCrossentropy,
                                          binary_crossentropy, categorical_crossentropy,
                                          kl_divergence, poisson,
                                          sparse_categorical_crossentropy)
from kerlite.losses.regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                                       MeanAbsolutePercentageError, MeanSquaredError,
                                       MeanSquaredLogarithmicError, cosine_similarity, huber,
                                       log_cosh, mean_absolute_error,
                                       mean_absolute_percentage_error, mean_squared_error,
                                       mean_squared_logarithmic_error)

# Keras's short names for the same functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy

_CLASSES = (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredLogarithmicError, Huber, LogCosh, CosineSimilarity,
            BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
            KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
            BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky, Circle,
            CategoricalGeneralizedCrossEntropy)
_FUNCTIONS = (mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, huber, log_cosh, cosine_similarity,
              binary_crossentropy, categorical_crossentropy,
              sparse_categorical_crossentropy, kl_divergence, poisson, hinge,
              squared_hinge, categorical_hinge, binary_focal_crossentropy,
              categorical_focal_crossentropy, dice, tversky, circle)
# Not by name: categorical_generalized_cross_entropy (its `q` has no default, as in
# Keras); the class CategoricalGeneralizedCrossEntropy (q=0.5) is.
ALL_OBJECTS = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS.update(mse=mse, MSE=mse, mae=mae, MAE=mae, mape=mape, MAPE=mape, msle=msle,
                   MSLE=msle, kld=kld, KLD=kld, bce=bce, BCE=bce, logcosh=log_cosh,
                   huber_loss=huber)


def serialize(loss):
    """A Loss as ``{"class_name", "config"}``; a function as its name."""
    if isinstance(loss, Loss):
        return {"module": "keras.losses", "class_name": type(loss).__name__,
                "config": loss.get_config(), "registered_name": None}
    return getattr(loss, "__name__", loss)


def deserialize(config, custom_objects=None):
    """Rebuild a loss from ``serialize``'s output."""
    known = dict(ALL_OBJECTS, **(custom_objects or {}))
    if isinstance(config, str):
        if config not in known:
            raise ValueError(f"Unknown loss {config!r}. Known names: {sorted(known)}.")
        return known[config]
    name = config["class_name"]
    if name not in known:
        raise ValueError(f"Unknown loss class {name!r}. Pass it in `custom_objects`.")
    return known[name].from_config(config["config"])


def get(identifier):
    """A loss from a name, a config dict, a class, a Loss or a function."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    obj = ALL_OBJECTS.get(identifier) if isinstance(identifier, str) else identifier
    if isinstance(obj, type) and issubclass(obj, Loss):
        return obj()
    if callable(obj):
        return obj
    close = difflib.get_close_matches(identifier, list(ALL_OBJECTS), n=3) if isinstance(
        identifier, str) else []
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}.{hint} A loss is a name "
        "from keras.losses (such as 'mse', 'mae', 'binary_crossentropy', "
        "'categorical_crossentropy', 'sparse_categorical_crossentropy', 'huber'), a "
        "keras.losses.Loss instance, or a function (y_true, y_pred) -> loss.")
