"""Metrics (``keras.metrics``): accuracy, regression, confusion-matrix, F-score, IoU,
correlation and mean metrics.

``get("accuracy")`` needs the shapes to choose binary / categorical / sparse accuracy;
``compile`` does that with ``get_accuracy(y_true, y_pred)`` once it sees the data.
"""

import difflib

from kerlite.metrics.accuracy_metrics import (Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                              SparseCategoricalAccuracy,
                                              SparseTopKCategoricalAccuracy,
                                              TopKCategoricalAccuracy, accuracy,
                                              binary_accuracy, categorical_accuracy,
                                              sparse_categorical_accuracy,
                                              sparse_top_k_categorical_accuracy,
                                              top_k_categorical_accuracy)
from kerlite.metrics.confusion_metrics import (AUC, FalseNegatives, FalsePositives,
                                               Precision, Recall, TrueNegatives,
                                               TruePositives)
from kerlite.metrics.correlation_metrics import (ConcordanceCorrelation,
                                                 PearsonCorrelation,
                                                 concordance_correlation,
                                                 pearson_correlation)
from kerlite.metrics.f_score_metrics import F1Score, FBetaScore
from kerlite.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kerlite.metrics.metric import Metric
from kerlite.metrics.operating_point_metrics import (PrecisionAtRecall, RecallAtPrecision,
                                                     SensitivityAtSpecificity,
                                                     SpecificityAtSensitivity)
from kerlite.metrics.probabilistic_metrics import (BinaryCrossentropy,
                                                   CategoricalCrossentropy,
                                                   CategoricalHinge, Hinge, KLDivergence,
                                                   Poisson, SparseCategoricalCrossentropy,
                                                   SquaredHinge)
from kerlite.metrics.r2_score import R2Score
from kerlite.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from kerlite.metrics.regression_metrics import (CosineSimilarity, LogCoshError,
                                                MeanAbsoluteError,
                                                MeanAbsolutePercentageError,
                                                MeanSquaredError,
                                                MeanSquaredLogarithmicError,
                                                RootMeanSquaredError)
from kerlite.losses import (binary_crossentropy, binary_focal_crossentropy,
                            categorical_crossentropy, categorical_focal_crossentropy,
                            categorical_hinge, hinge, huber, kl_divergence, log_cosh,
                            mean_absolute_error,
                            mean_absolute_percentage_error, mean_squared_error,
                            mean_squared_logarithmic_error, poisson,
                            sparse_categorical_crossentropy, squared_hinge)
from kerlite.common.naming import to_snake_case as _to_snake_case

_CLASSES = (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
            TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC, Precision, Recall,
            TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Mean, Sum,
            MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity,
            LogCoshError, BinaryCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
            CategoricalHinge, F1Score, FBetaScore, R2Score, PearsonCorrelation,
            ConcordanceCorrelation, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
            PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
            SpecificityAtSensitivity)
# Classes Keras also finds by their snake_case name ("f1_score" -> F1Score()).
_SNAKE_CASE_CLASSES = (F1Score, FBetaScore, R2Score, PearsonCorrelation,
                       ConcordanceCorrelation, IoU, MeanIoU, BinaryIoU, OneHotIoU,
                       OneHotMeanIoU, PrecisionAtRecall, RecallAtPrecision,
                       SensitivityAtSpecificity, SpecificityAtSensitivity)
_FUNCTIONS = (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
              top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
              mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, binary_crossentropy,
              categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence,
              poisson, hinge, squared_hinge, categorical_hinge, huber, log_cosh,
              binary_focal_crossentropy, categorical_focal_crossentropy)
ALL_OBJECTS = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS.update({_to_snake_case(cls.__name__): cls for cls in _SNAKE_CASE_CLASSES})
ALL_OBJECTS.update(mse=mean_squared_error, MSE=mean_squared_error,
                   mae=mean_absolute_error, MAE=mean_absolute_error,
                   mape=mean_absolute_percentage_error,
                   MAPE=mean_absolute_percentage_error,
                   msle=mean_squared_logarithmic_error,
                   MSLE=mean_squared_logarithmic_error, auc=AUC, AUC=AUC,
                   precision=Precision, recall=Recall,
                   rmse=RootMeanSquaredError, RMSE=RootMeanSquaredError,
                   bce=BinaryCrossentropy, BCE=BinaryCrossentropy)
# As in Keras, every class is also found by its snake_case name ("cosine_similarity",
# "true_positives", "root_mean_squared_error"); a function of that name wins.
for _cls in _CLASSES:
    ALL_OBJECTS.setdefault(_to_snake_case(_cls.__name__), _cls)
del _cls


def get_accuracy(y_true_shape, y_pred_shape, name="accuracy"):
    """Keras's choice for ``"accuracy"``: binary if the output has one unit, sparse
    categorical if the labels lack the class axis, else categorical."""
    if y_pred_shape[-1:] == (1,) or len(y_pred_shape) == 0:
        return BinaryAccuracy(name=name)
    if len(y_true_shape) < len(y_pred_shape) or (
            y_true_shape[-1:] == (1,) and y_pred_shape[-1] > 1):
        return SparseCategoricalAccuracy(name=name)
    return CategoricalAccuracy(name=name)


def serialize(metric):
    return {"module": "keras.metrics", "class_name": type(metric).__name__,
            "config": metric.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    known = dict(ALL_OBJECTS, **(custom_objects or {}))
    if isinstance(config, str):
        return get(config)
    name = config["class_name"]
    if name not in known:
        raise ValueError(f"Unknown metric {name!r}. Pass it in `custom_objects`.")
    return known[name].from_config(config["config"])


def get(identifier):
    """A metric (instance or function) from a name, a config dict, a class or a callable."""
    if isinstance(identifier, dict):
        return deserialize(identifier)
    obj = ALL_OBJECTS.get(identifier) if isinstance(identifier, str) else identifier
    if isinstance(obj, type) and issubclass(obj, Metric):
        return obj()
    if callable(obj):
        return obj
    close = difflib.get_close_matches(identifier, list(ALL_OBJECTS) + ["accuracy", "acc"],
                                      n=3) if isinstance(identifier, str) else []
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ValueError(
        f"Could not interpret metric identifier: {identifier!r}.{hint} A metric is a "
        "name from keras.metrics (such as 'accuracy', 'mae', 'mse', 'auc', 'precision', "
        "'recall'), a keras.metrics.Metric instance, or a function (y_true, y_pred) -> "
        "values.")
