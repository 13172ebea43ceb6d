"""Weight penalties added to the training loss: L1, L2 and both.

``Dense(64, kernel_regularizer=keras.regularizers.l2(0.01))`` adds 0.01 * sum(w**2)
to ``model.losses`` (and so to the loss that ``fit`` minimises).
"""

from kerlite.regularizers.regularizers import (L1, L1L2, L2, OrthogonalRegularizer, Regularizer,
                                               l1, l1_l2, l2, orthogonal_regularizer)

_BY_NAME = {"L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2, "l1_l2": L1L2,
            "OrthogonalRegularizer": OrthogonalRegularizer,
            "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer):
    if regularizer is None:
        return None
    return {"module": "keras.regularizers", "class_name": type(regularizer).__name__,
            "config": regularizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name)
    if cls is None:
        raise ValueError(f"Unknown regularizer: {name!r}.")
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """A regularizer from None, a name (``"l2"``), a config dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(
                f"Could not interpret regularizer identifier: {identifier!r}. Use 'l1', "
                "'l2', 'l1_l2' or a keras.regularizers object."
            )
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
