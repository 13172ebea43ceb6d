"""Weight constraints by name (``"non_neg"``) or as objects (``MaxNorm(2.0)``)."""

from kerlite.constraints.constraints import (Constraint, MaxNorm, MinMaxNorm, NonNeg,
                                             UnitNorm, max_norm, min_max_norm, non_neg,
                                             unit_norm)

_BY_NAME = {"MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm, "NonNeg": NonNeg,
            "UnitNorm": UnitNorm, "max_norm": MaxNorm, "min_max_norm": MinMaxNorm,
            "non_neg": NonNeg, "unit_norm": UnitNorm}


def serialize(constraint):
    if constraint is None:
        return None
    if not isinstance(constraint, Constraint):  # a plain function w -> w
        from kerlite.serialization.serialization_lib import serialize_keras_object

        return serialize_keras_object(constraint)
    return {"module": "keras.constraints", "class_name": type(constraint).__name__,
            "config": constraint.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name)
    if cls is None:
        raise ValueError(f"Unknown constraint: {name!r}.")
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """A constraint from None, a name, a config dict, or a callable ``w -> w``."""
    if identifier is None:
        return None
    if isinstance(identifier, dict) and identifier.get("module") == "keras.constraints":
        return deserialize(identifier)
    if isinstance(identifier, dict):
        from kerlite.serialization.serialization_lib import deserialize_keras_object

        return deserialize_keras_object(identifier)
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(
                f"Could not interpret constraint identifier: {identifier!r}. Known: "
                f"{sorted(n for n in _BY_NAME if n.islower())}")
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
