"""Functional: a model defined by a graph of layers, ``keras.Model(inputs, outputs)``.

At creation, ``map_graph`` orders the nodes between the inputs and the outputs once.
Calling the model on data runs that list: each node's layer is called on the values of
its input tensors. Calling it on new symbolic tensors records one node for the whole
model, so a model can be used as a layer (nested models, ensembles).
"""

import numpy

from kerlite import ops
from kerlite.autodiff.tensor import Tensor
from kerlite.common import nest
from kerlite.layers.call_context import CallContext
from kerlite.graph.input_spec import InputSpec, assert_input_compatibility
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.graph.map_graph import map_graph
from kerlite.layers.core.operation_layer import is_op_layer
from kerlite.layers import output_spec
from kerlite.models.model import Model


def _standardize_structure(structure, role):
    if isinstance(structure, KerasTensor):
        return structure
    if isinstance(structure, dict):
        return dict(structure)
    if isinstance(structure, (list, tuple)):
        if len(structure) == 0:
            raise ValueError(f"A model needs at least one {role[:-1]}. Received: {role}=[]")
        return list(structure)
    raise ValueError(
        f"`{role}` of a functional model must be a KerasTensor, or a list or dict of "
        f"them (made by keras.Input and by calling layers). Received: {structure!r} of "
        f"type {type(structure).__name__}"
    )


class Functional(Model):
    """A model made from its input and output tensors (see ``keras.Model``)."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        self._inputs_struct = _standardize_structure(inputs, "inputs")
        self._outputs_struct = _standardize_structure(outputs, "outputs")
        self.inputs = nest.flatten(self._inputs_struct)
        self.outputs = nest.flatten(self._outputs_struct)
        nodes, nodes_by_depth, layers, layers_by_depth = map_graph(self.inputs, self.outputs)
        self._nodes = nodes
        self._nodes_to_run = [node for node in nodes if not node.is_input]
        self._nodes_by_depth = nodes_by_depth
        self._operations = layers
        self._layers_by_depth = layers_by_depth
        self._input_specs = [
            InputSpec(shape=(None,) + tuple(x.shape[1:]), name=x.name) for x in self.inputs]
        # Decided once here, not in every call: each input's dtype as NumPy names it,
        # and whether the model has a single output (then no structure to rebuild).
        self._input_numpy_dtypes = [_numpy_dtype(x.dtype) for x in self.inputs]
        self._single_output = isinstance(self._outputs_struct, KerasTensor)
        self.built = True

    # --- structure -----------------------------------------------------------------
    def _sublayers(self):
        return list(self._operations)

    @property
    def layers(self):
        """The layers of the graph, inputs first (InputLayers included, as Keras 3).

        Operations written with Python operators (``x + 1``) are left out, as Keras
        does; ``model.operations`` lists them too.
        """
        return [layer for layer in self._operations if not is_op_layer(layer)]

    @property
    def operations(self):
        """Every operation of the graph in order, the ops (``keras.ops.add(x, y)``, ``x + 1``)
        included, as Keras 3's ``model.operations``."""
        return list(self._operations)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return nest.map_structure(lambda x: x.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return nest.map_structure(lambda x: x.shape, self._outputs_struct)

    @property
    def input_names(self):
        return [x._keras_history.operation.name for x in self.inputs]

    @property
    def output_names(self):
        return [x._keras_history.operation.name for x in self.outputs]

    @property
    def input_dtype(self):
        return [x.dtype for x in self.inputs]

    # --- running ------------------------------------------------------------------
    def _flat_inputs(self, inputs):
        """The call's inputs as a list aligned with ``self.inputs``."""
        if isinstance(inputs, dict):
            if isinstance(self._inputs_struct, dict):
                keys = list(self._inputs_struct)
            else:
                keys = self.input_names
            missing = [key for key in keys if key not in inputs]
            if missing:
                raise ValueError(
                    f'Model "{self.name}" expects inputs named {keys}, but the dict '
                    f"it received has keys {list(inputs)} (missing: {missing}).")
            return [inputs[key] for key in keys]
        if len(self.inputs) == 1 and not isinstance(inputs, (list, tuple)):
            return [inputs]  # the common case: one input, one array
        flat = nest.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f'Model "{self.name}" expects {len(self.inputs)} input(s), but it '
                f"received {len(flat)} input tensors. Pass a list with one array per "
                f"input, in the order of model.inputs ({self.input_names}).")
        return flat

    def call(self, inputs, training=None, mask=None):
        """Run the graph on concrete inputs; returns outputs in the model's structure."""
        flat = [self._standardize_input(value, x, spec, dtype) for value, x, spec, dtype in
                zip(self._flat_inputs(inputs), self.inputs, self._input_specs,
                    self._input_numpy_dtypes)]
        values = {id(x): value for x, value in zip(self.inputs, flat)}
        if mask is not None:
            for value, value_mask in zip(flat, nest.flatten(mask)):
                _set_mask(value, value_mask)
        saved = CallContext.training
        if training is not None:
            CallContext.training = training
        try:
            for node in self._nodes_to_run:
                if node.single_input is not None:  # the common case: layer(x)
                    outputs = node.layer(values[id(node.single_input)])
                else:
                    args = nest.map_structure(lambda v: _value_of(v, values), node.call_args)
                    kwargs = nest.map_structure(lambda v: _value_of(v, values),
                                                node.call_kwargs)
                    outputs = node.layer(*args, **kwargs)
                if isinstance(outputs, Tensor):  # the common case: one output
                    values[id(node.outputs[0])] = outputs
                else:
                    for tensor, value in zip(node.outputs, nest.flatten(outputs)):
                        values[id(tensor)] = value
        finally:
            CallContext.training = saved
        if self._single_output:
            return values[id(self.outputs[0])]
        return nest.pack_like(self._outputs_struct, [values[id(x)] for x in self.outputs])

    def _convert_inputs(self, inputs):
        return inputs  # each input is converted to its Input's dtype in call()

    def _standardize_input(self, value, symbolic, spec, numpy_dtype):
        """One input as a Tensor of its Input's dtype and rank (Keras 3 adds or drops a
        last axis of size 1: data of shape (n,) fits ``Input(shape=(1,))``).
        ``numpy_dtype`` is that dtype as NumPy names it (None: compare by name)."""
        if value is None:
            return None
        if not hasattr(value, "_parents"):
            value = ops.convert_to_tensor(value, symbolic.dtype)
        elif (value.data.dtype != numpy_dtype if numpy_dtype is not None
              else value.dtype != symbolic.dtype):
            value = ops.cast(value, symbolic.dtype)
        rank, expected = value.ndim, len(symbolic.shape)
        if rank == expected + 1 and value.shape[-1] == 1:
            value = ops.squeeze(value, axis=-1)
        elif rank == expected - 1 and symbolic.shape[-1] == 1:
            value = ops.expand_dims(value, axis=-1)
        if value.shape[1:] != symbolic.shape[1:]:  # the Input's exact shape fits it
            assert_input_compatibility(spec, value, self.name)
        return value

    def compute_output_spec(self, inputs, training=None, mask=None):
        """Output KerasTensors for a symbolic call: the graph's own shapes if the inputs
        have the graph's input shapes, else a trial run (a Sequential built on a batch
        of 7 called on ``Input(shape)`` gives outputs with batch size None)."""
        flat = self._flat_inputs(inputs)
        same = all(tuple(x.shape) == tuple(y.shape) for x, y in zip(flat, self.inputs))
        if same:
            return nest.pack_like(
                self._outputs_struct,
                [KerasTensor(x.shape, dtype=x.dtype) for x in self.outputs])
        return output_spec.infer_output_spec(self, (inputs,), {})

    def get_config(self):
        from kerlite.models.functional_config import functional_config

        return functional_config(self)


def _numpy_dtype(name):
    """The NumPy dtype called ``name``, or None where NumPy names it otherwise ("string")."""
    try:
        dtype = numpy.dtype(name)
    except TypeError:
        return None
    return dtype if dtype.name == name else None


def _value_of(value, values):
    if isinstance(value, KerasTensor):
        return values[id(value)]
    return value


def _set_mask(value, mask):
    try:
        value._keras_mask = mask
    except AttributeError:
        pass
