"""Model helpers of ``keras.models``: rebuild a model from JSON, or clone one."""


def model_from_json(json_string, custom_objects=None):
    """The model described by ``model.to_json()`` (new weights, same architecture).

    The JSON is untrusted input, read in safe mode (stored lambdas are refused unless
    ``keras.config.enable_unsafe_deserialization()`` was called), within the load limits;
    anything but a model is refused with a ValueError.
    """
    from kerlite.serialization.serialization_lib import deserialize_model, parse_config_json

    config = parse_config_json(json_string, "model JSON")
    return deserialize_model(config, custom_objects=custom_objects,
                             source="model JSON")


def clone_model(model, custom_objects=None):
    """A new model with the same architecture and freshly initialised weights.

    Layers are re-created from their configs (so they keep their names); the weights
    are not copied: use ``clone.set_weights(model.get_weights())`` for that.
    """
    config = model.get_config()
    if custom_objects:
        return type(model).from_config(config, custom_objects=custom_objects)
    return type(model).from_config(config)
