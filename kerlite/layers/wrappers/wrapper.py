"""Wrapper: the base of layers that take another layer and change how it is applied."""

from kerlite.layers.layer import Layer


class Wrapper(Layer):
    """``keras.layers.Wrapper(layer)``: holds ``self.layer``; builds it on first use."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__} wraps a Keras layer (or model). Received: "
                f"{layer!r} of type {type(layer).__name__}. Pass a layer instance, e.g. "
                f"{type(self).__name__}(layers.Dense(10))."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        from kerlite.serialization import serialization_lib

        config = super().get_config()
        config["layer"] = serialization_lib.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerlite.serialization import serialization_lib

        config = dict(config)
        layer = serialization_lib.deserialize_keras_object(
            config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
