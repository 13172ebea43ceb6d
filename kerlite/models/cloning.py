"""Model helpers of ``keras.models``: rebuild a model from JSON, or clone one."""

import json


def model_from_json(json_string, custom_objects=None):
    """The model described by ``model.to_json()`` (new weights, same architecture)."""
    from kerlite.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)


def clone_model(model, custom_objects=None):
    """A new model with the same architecture and freshly initialised weights.

    Layers are re-created from their configs (so they keep their names); the weights
    are not copied: use ``clone.set_weights(model.get_weights())`` for that.
    """
    config = model.get_config()
    if custom_objects:
        return type(model).from_config(config, custom_objects=custom_objects)
    return type(model).from_config(config)
