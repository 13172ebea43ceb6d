"""Activation functions by name (``activation="relu"``) or as functions."""

from kerlite.activations.activations import (celu, elu, exponential, gelu, glu,
                                             hard_shrink, hard_sigmoid, hard_silu,
                                             hard_swish, hard_tanh, leaky_relu, linear,
                                             log_sigmoid, log_softmax, mish, relu, relu6,
                                             selu, sigmoid, silu, soft_shrink, softmax,
                                             softplus, softsign, sparse_plus,
                                             sparse_sigmoid, sparsemax, squareplus, swish,
                                             tanh, tanh_shrink, threshold)

_BY_NAME = {function.__name__: function for function in (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh,
    leaky_relu, linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu,
    soft_shrink, softmax, softplus, softsign, sparse_plus, sparse_sigmoid, sparsemax,
    squareplus, tanh, tanh_shrink, threshold)}
_BY_NAME.update({"swish": silu, "hard_swish": hard_silu})


def get(identifier):
    """An activation function from a name, ``None`` (linear), a dict or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        function = _BY_NAME.get(identifier)
        if function is None:
            raise ValueError(
                f"Could not interpret activation function identifier: {identifier!r}. "
                f"Known activations: {sorted(_BY_NAME)}"
            )
        return function
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r} "
        f"(of type {type(identifier).__name__}). Use a name such as 'relu' or a function."
    )


def serialize(activation):
    """The name of a built-in activation; other callables via kerlite.saving."""
    name = getattr(activation, "__name__", None)
    if name in _BY_NAME and _BY_NAME[name] is activation:
        return name
    if hasattr(activation, "get_config"):  # an activation layer or object
        from kerlite.serialization.serialization_lib import serialize_keras_object

        return serialize_keras_object(activation)
    from kerlite.serialization.serialization_lib import serialize_keras_object

    return serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    if isinstance(config, str):
        if custom_objects and config in custom_objects:
            return custom_objects[config]
        return get(config)
    from kerlite.serialization.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)
