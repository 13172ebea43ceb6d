"""Lambda: wrap any function of tensors as a layer.

``layers.Lambda(lambda x: ops.square(x))(inputs)``. The output shape is found by a trial
run unless ``output_shape`` is given (a shape without the batch axis, or a function of
the input shape). Prefer a small Layer subclass for anything with weights or to save.
"""

import inspect

from kerlite.common import nest
from kerlite.layers import output_spec
from kerlite.layers.layer import Layer


class Lambda(Layer):
    """Args: function(inputs, **arguments), output_shape, mask, arguments (a dict)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda's `function` must be callable. Received: {function!r} of type "
                f"{type(function).__name__}")
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            parameters = {}
        self._function_takes_mask = "mask" in parameters
        self._function_takes_training = "training" in parameters
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._function_takes_mask:
            kwargs["mask"] = mask
        if self._function_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return Layer.compute_output_shape(self, input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = nest.flatten(input_shape)[0] if input_shape else None
        shape = self._output_shape
        if output_spec.is_shape(shape):
            return (batch_size,) + tuple(shape)
        return [(batch_size,) + tuple(s) for s in shape]

    def compute_output_spec(self, inputs, **kwargs):
        if self._output_shape is None:  # run the function on zeros to see
            return output_spec.infer_output_spec(self, (inputs,), kwargs)
        input_shape = nest.map_structure(lambda t: t.shape, inputs)
        dtype = nest.flatten(inputs)[0].dtype
        return output_spec.shapes_to_tensors(self.compute_output_shape(input_shape), dtype)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the function from its saved form; stored bytecode of a lambda runs
        only when the load was asked with ``safe_mode=False`` (or after
        ``keras.config.enable_unsafe_deserialization()``)."""
        from kerlite.serialization.name_resolution import resolve_function_name
        from kerlite.serialization.serialization_lib import deserialize_keras_object, in_safe_mode

        config = dict(config)
        stored_code = [key for key in ("function", "output_shape")
                       if isinstance(config.get(key), dict)
                       and config[key].get("class_name") == "__lambda__"]
        if stored_code and in_safe_mode() is not False:
            raise ValueError(
                f"Refusing to load the Lambda layer {config.get('name')!r} (class "
                f"Lambda): its {' and '.join(stored_code)} is a Python lambda whose "
                "bytecode is stored in the file, and running code from a file is "
                "unsafe, so safe mode refuses it. If you trust the file, load it with "
                "`keras.saving.load_model(path, safe_mode=False)` or call "
                "`keras.config.enable_unsafe_deserialization()` first.")
        config["function"] = deserialize_keras_object(
            config["function"], custom_objects=custom_objects, safe_mode=in_safe_mode())
        if isinstance(config.get("output_shape"), dict):
            config["output_shape"] = deserialize_keras_object(
                config["output_shape"], custom_objects=custom_objects,
                safe_mode=in_safe_mode())
        if isinstance(config["function"], str):  # a built-in function saved by name
            config["function"] = resolve_function_name(config["function"], custom_objects)
        return super().from_config(config)

    def get_config(self):
        from kerlite.serialization.serialization_lib import serialize_keras_object

        config = super().get_config()
        config.update({"function": serialize_keras_object(self.function),
                       "arguments": self.arguments})
        if self._output_shape is not None and not callable(self._output_shape):
            config["output_shape"] = self._output_shape
        return config
