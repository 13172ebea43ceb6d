"""Sequential: a plain stack of layers, each feeding the next.

Internally it is a Functional graph (``Input -> layer 1 -> layer 2 ...``), built as soon
as the input shape is known: from an ``Input`` added first, from ``input_shape=`` on the
first layer, from ``build(input_shape)``, or from the first data it is called on (then,
as in Keras 3, with that data's full shape, batch size included: the summary shows it).

As in Keras, a Sequential checks only the rank of its input; each layer checks its own
input. So a model built on sequences of length 10 runs on sequences of length 20.
"""

from kerlite.graph.input_spec import InputSpec
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.layer_snapshot import LayerSnapshot
from kerlite.layers.input_layer import InputLayer
from kerlite.layers.layer import Layer
from kerlite.models.functional import Functional
from kerlite.models.model import Model


class Sequential(Model):
    """``keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])``."""

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        self._layers = []
        self._functional = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def _sublayers(self):
        return list(self._layers)

    @property
    def layers(self):
        """The layers, without the InputLayer (as Keras 3)."""
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[1:]
        return list(self._layers)

    def add(self, layer, rebuild=True):
        """Append a layer (or set the input with a ``keras.Input`` tensor)."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise TypeError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})")
        if any(known.name == layer.name for known in self._layers):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update '
                "the `name` argument to pass a unique name.")
        if isinstance(layer, InputLayer):
            if self._layers and isinstance(self._layers[0], InputLayer):
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use "
                    f"input shape {self._layers[0].batch_shape}. You cannot add a "
                    "different Input layer to it.")
            self._layers.insert(0, layer)
            if rebuild:
                self._rebuild()
            return
        if not self._layers:
            # The input shape is known when the first layer says it (input_shape=...)
            # or is itself a model with one input (Keras builds such a Sequential too).
            known_shape = getattr(layer, "_input_shape_arg", None)
            if known_shape is None and isinstance(layer, Functional) and len(layer.inputs) == 1:
                known_shape = layer.inputs[0].shape
            if known_shape is not None:
                self._layers.append(InputLayer(batch_shape=known_shape))
        self._layers.append(layer)
        try:
            if self._functional is not None:  # extend the graph by one call
                output = layer(self._functional.outputs[0])
                self._set_graph(self._functional.inputs[0], output)
            elif rebuild:
                self._rebuild()
        except Exception:
            self._layers.pop()  # a layer that does not fit is not kept
            raise

    def pop(self, rebuild=True):
        """Remove the last layer and return it."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        if self._functional is not None and len(self._layers) > 1:
            previous = self._layers[-1]
            node = next(n for n in self._functional._nodes if n.layer is previous)
            self._set_graph(self._functional.inputs[0], node.outputs[0])
        else:
            self._functional = None
            self.built = False
            if rebuild:
                self._rebuild()
        return layer

    def _set_graph(self, inputs, outputs):
        graph = Functional(inputs, outputs, name=f"{self.name}_graph")
        graph._input_specs = [InputSpec(ndim=len(x.shape)) for x in graph.inputs]
        self._functional = graph
        self.built = True

    def _rebuild(self):
        self._functional = None
        self.built = False
        if self._layers and isinstance(self._layers[0], InputLayer) and len(self._layers) > 1:
            self.build(self._layers[0].batch_shape)

    def build(self, input_shape=None):
        """Connect the layers from an Input of ``input_shape`` (batch axis included)."""
        if input_shape is None:
            raise ValueError(
                f"You must provide an `input_shape` argument to build Sequential model "
                f"'{self.name}', e.g. model.build((None, 784)).")
        if not self.layers:
            raise ValueError(
                f"Sequential model {self.name} cannot be built because it has no layers. "
                "Call `model.add(layer)`.")
        input_shape = tuple(input_shape)
        if isinstance(self._layers[0], InputLayer):
            if tuple(self._layers[0].batch_shape) != input_shape:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use "
                    f"input shape {self._layers[0].batch_shape}. You cannot build it "
                    f"with input_shape {input_shape}")
        snapshot = LayerSnapshot(self)  # a layer that does not fit undoes the whole build
        try:
            if not isinstance(self._layers[0], InputLayer):
                self._layers.insert(0, InputLayer(
                    batch_shape=input_shape,
                    dtype=getattr(self, "_first_input_dtype", None)))
            inputs = self._layers[0].output
            x = inputs
            for layer in self._layers[1:]:
                x = layer(x)
            self._set_graph(inputs, x)
        except BaseException:
            snapshot.restore()
            raise

    def _build_from_inputs(self, args):
        """First call on data: an Input of that data's shape (as Keras 3 builds it).
        Text stays text: string data gets a ``dtype="string"`` Input, not a float one."""
        data = args[0]
        array = getattr(data, "data", data)  # a Tensor's array, or the array itself
        is_text = getattr(getattr(array, "dtype", None), "kind", None) in ("U", "S")
        self._first_input_dtype = "string" if is_text else None
        try:
            self.build(tuple(data.shape))
        finally:
            self._first_input_dtype = None

    def call(self, inputs, training=None, mask=None):
        return self._functional.call(inputs, training=training, mask=mask)

    def compute_output_spec(self, inputs, training=None, mask=None):
        return self._functional.compute_output_spec(inputs, training=training, mask=mask)

    # --- the graph's view, once built ------------------------------------------------
    def _graph(self, attribute):
        if self._functional is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {attribute} yet: give it "
                "an input shape first (keras.Input(shape=...) as first layer, "
                "model.build(input_shape), or call it on data).")
        return self._functional

    @property
    def inputs(self):
        return self._graph("inputs").inputs

    @property
    def outputs(self):
        return self._graph("outputs").outputs

    @property
    def input(self):
        return self._graph("input").input

    @property
    def output(self):
        return self._graph("output").output

    @property
    def input_shape(self):
        return self._graph("input_shape").input_shape

    @property
    def output_shape(self):
        return self._graph("output_shape").output_shape

    @property
    def input_names(self):
        return self._graph("input_names").input_names

    @property
    def output_names(self):
        return self._graph("output_names").output_names

    @property
    def _operations(self):
        return self._graph("layers")._operations

    def get_config(self):
        from kerlite.serialization.serialization_lib import serialize_keras_object

        config = Layer.get_config(self)
        config["layers"] = [serialize_keras_object(layer) for layer in self._layers]
        if self._functional is not None:
            config["build_input_shape"] = self._layers[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerlite.serialization.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer_configs = config.pop("layers")
        build_input_shape = config.pop("build_input_shape", None)
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in layer_configs:
            model.add(deserialize_keras_object(layer_config, custom_objects=custom_objects),
                      rebuild=False)
        model._rebuild()
        if model._functional is None and build_input_shape is not None and model.layers:
            model.build(build_input_shape)
        return model
