"""Learning-rate schedules (``keras.optimizers.schedules``)."""

from kerlite.optimizers.schedules.learning_rate_schedule import (
    CosineDecay, ExponentialDecay, LearningRateSchedule, PiecewiseConstantDecay)

_SCHEDULES = {cls.__name__: cls for cls in
              (ExponentialDecay, PiecewiseConstantDecay, CosineDecay)}


def serialize(schedule):
    """``{"class_name": ..., "config": ...}`` for a schedule (Keras's layout)."""
    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuild a schedule from ``serialize``'s output."""
    classes = dict(_SCHEDULES, **(custom_objects or {}))
    name = config["class_name"]
    if name not in classes:
        raise ValueError(f"Unknown learning rate schedule {name!r}. Known: "
                         f"{sorted(classes)}. Pass custom ones in `custom_objects`.")
    return classes[name].from_config(config["config"])
