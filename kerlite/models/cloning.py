"""Model helpers of ``keras.models``: rebuild a model from JSON, or clone one."""

import inspect

from kerlite.common import nest
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.input_layer import Input, InputLayer
from kerlite.models.functional import Functional
from kerlite.models.sequential import Sequential
from kerlite.serialization.serialization_lib import (deserialize_keras_object,
                                                     deserialize_model, parse_config_json,
                                                     serialize_keras_object)


def model_from_json(json_string, custom_objects=None):
    """The model described by ``model.to_json()`` (new weights, same architecture).

    The JSON is untrusted input, read in safe mode (stored lambdas are refused unless
    ``keras.config.enable_unsafe_deserialization()`` was called), within the load limits;
    anything but a model is refused with a ValueError.
    """
    config = parse_config_json(json_string, "model JSON")
    return deserialize_model(config, custom_objects=custom_objects,
                             source="model JSON")


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """A new model that runs the same graph with new layers (new, freshly initialised
    weights), as ``keras.models.clone_model``.

    A Functional model is called again, layer by layer, on new ``Input``s (or on
    ``input_tensors``); a Sequential model is rebuilt from its cloned layers; a compiled
    model's clone is compiled the same way. Each layer is cloned by ``clone_function``
    (default: ``layer.__class__.from_config(layer.get_config())``; ``lambda layer: layer``
    reuses the layers) and, in a Functional model, called by
    ``call_function(layer, *args, **kwargs)`` (default: ``layer(*args, **kwargs)``), which
    can add layers around a call. With ``recursive=True``, models inside the model are
    cloned with these same functions. A subclassed model is rebuilt from its config
    (``get_config``/``from_config``); the three functions are refused there, as its
    layers are not a graph. Copy the weights with ``clone.set_weights(model.get_weights())``.
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs)}")
    if isinstance(model, (Sequential, Functional)):
        clone_layer = _cached_clone_function(clone_function, call_function, recursive,
                                             {} if cache is None else cache)
        if isinstance(model, Sequential):
            if call_function is not None:
                raise ValueError(
                    "`call_function` is not supported with Sequential models: their "
                    "layers are listed, not called, when the model is made. Use it "
                    f"with Functional models only. Received model of type "
                    f"'{type(model).__name__}', with call_function={call_function}")
            return _clone_sequential(model, clone_layer, input_tensors)
        return _clone_functional(model, clone_layer, call_function, input_tensors)
    if clone_function is not None or input_tensors is not None:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for "
            f"Sequential models or Functional models. Received model of type "
            f"'{type(model).__name__}', with clone_function={clone_function} and "
            f"input_tensors={input_tensors}")
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received "
            f"model of type '{type(model).__name__}', with call_function={call_function}")

    return deserialize_keras_object(serialize_keras_object(model),
                                    custom_objects={type(model).__name__: type(model)})


def _cached_clone_function(clone_function, call_function, recursive, cache):
    """``clone_function`` that clones each layer once (a layer used twice stays shared in
    the clone) and, with ``recursive``, clones inner models with ``clone_model``."""

    def clone_by_config(layer):
        return layer.__class__.from_config(layer.get_config())

    clone_function = clone_function or clone_by_config
    if not callable(clone_function):
        raise ValueError("Expected `clone_function` argument to be a callable. "
                         f"Received: clone_function={clone_function}")

    def clone_layer(layer):
        if id(layer) not in cache:
            if recursive and isinstance(layer, (Sequential, Functional)):
                cache[id(layer)] = clone_model(
                    layer, clone_function=clone_function, recursive=True, cache=cache,
                    call_function=None if isinstance(layer, Sequential) else call_function)
            else:
                cache[id(layer)] = clone_function(layer)
        return cache[id(layer)]

    return clone_layer


def _clone_sequential(model, clone_layer, input_tensors):
    """The cloned layers in a new Sequential, on the same Input (or ``input_tensors``)."""
    layers = [clone_layer(layer) for layer in model.layers]
    first = model._layers[0] if model._layers else None
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError("Argument `input_tensors` must be a KerasTensor. Received "
                             f"invalid value: input_tensors={input_tensors}")
        layers.insert(0, Input(tensor=input_tensors,
                               name=first.name if isinstance(first, InputLayer) else None))
    elif isinstance(first, InputLayer):
        layers.insert(0, Input(batch_shape=first.batch_shape, dtype=first.dtype,
                               name=first.name))
    clone = Sequential(layers, name=model.name, trainable=model.trainable)
    return _compiled_like(model, clone)


def _clone_functional(model, clone_layer, call_function, input_tensors):
    """Run ``model``'s graph again, node by node, with cloned layers on new inputs."""
    if input_tensors is None:
        input_tensors = nest.pack_like(model.input, [
            Input(batch_shape=x.shape, dtype=x.dtype, name=name)
            for x, name in zip(model.inputs, model.input_names)])
    else:
        flat = nest.flatten(input_tensors)
        if not all(isinstance(x, KerasTensor) for x in flat):
            raise ValueError("All entries in `input_tensors` must be KerasTensors. "
                             f"Received invalid values: inputs_tensors={input_tensors}")
        if len(flat) != len(model.inputs):
            raise ValueError(
                "`input_tensors` must have the same structure as model.input\n"
                f"Reference structure: {model.input}\nReceived structure: {input_tensors}")
    values = {id(x): new for x, new in zip(model.inputs, nest.flatten(input_tensors))}

    def new_value(value):
        return values[id(value)] if isinstance(value, KerasTensor) else value

    for node in model._nodes_to_run:
        layer = clone_layer(node.layer)
        args = nest.map_structure(new_value, node.call_args)
        kwargs = nest.map_structure(new_value, node.call_kwargs)
        if call_function is not None:
            outputs = call_function(layer, *args, **kwargs)
        else:
            outputs = layer(*args, **kwargs)
        for old, new in zip(node.outputs, nest.flatten(outputs)):
            values[id(old)] = new
    output_tensors = nest.pack_like(model.output, [values[id(x)] for x in model.outputs])
    cls = type(model) if _functional_like_constructor(type(model)) else Functional
    return _compiled_like(model, cls(input_tensors, output_tensors, name=model.name))


def _functional_like_constructor(cls):
    """True if ``cls(inputs, outputs, name=...)`` makes a model of that class."""
    def positional(function):
        return [p.name for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]

    return positional(cls.__init__) == positional(Functional.__init__)


def _compiled_like(model, clone):
    """Compile ``clone`` as ``model`` was (a new optimizer of the same config)."""
    if getattr(model, "compiled", False):
        clone.compile_from_config(model.get_compile_config())
    return clone
