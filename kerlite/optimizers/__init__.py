"""Optimizers (``keras.optimizers``): SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta,
Adamax, Nadam, Lion, Ftrl, Lamb, Adafactor, and ``get`` for the strings ``compile``
accepts ("adam", "sgd", "lion", ...)."""

from kerlite.optimizers import schedules
from kerlite.optimizers.adadelta import Adadelta
from kerlite.optimizers.adafactor import Adafactor
from kerlite.optimizers.adagrad import Adagrad
from kerlite.optimizers.adam import Adam
from kerlite.optimizers.adamax import Adamax
from kerlite.optimizers.adamw import AdamW
from kerlite.optimizers.ftrl import Ftrl
from kerlite.optimizers.lamb import Lamb
from kerlite.optimizers.lion import Lion
from kerlite.optimizers.nadam import Nadam
from kerlite.optimizers.optimizer import Optimizer
from kerlite.optimizers.rmsprop import RMSprop
from kerlite.optimizers.sgd import SGD

_ALL = (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl, Lamb,
        Adafactor)
_BY_NAME = {cls.__name__.lower(): cls for cls in _ALL}


def serialize(optimizer):
    """``{"class_name": ..., "config": ...}`` as Keras writes it."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuild an optimizer from ``serialize``'s output (or from a name)."""
    if isinstance(config, str):
        return get(config)
    classes = {cls.__name__: cls for cls in _ALL}
    classes.update(custom_objects or {})
    name = config["class_name"]
    if name not in classes and name.lower() not in _BY_NAME:
        raise ValueError(f"Unknown optimizer {name!r}. Known: {sorted(classes)}. "
                         "Pass custom optimizers in `custom_objects`.")
    cls = classes.get(name) or _BY_NAME[name.lower()]
    return cls.from_config(config["config"])


def get(identifier):
    """An Optimizer from a name ("adam", "rmsprop", ...), a config dict or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Use one of "
        f"{sorted(_BY_NAME)} or an optimizer instance such as "
        "keras.optimizers.Adam(learning_rate=1e-3).")
