"""A layer's state: weights (trainable or not), freezing, and losses.

Mixed into ``Layer``. Weight order is Keras's: the layer's own weights in creation
order, then each nested layer's. ``get_weights``/``set_weights`` speak NumPy.
"""

import math

import numpy

from kerlite.common import nest

from kerlite import arrays, safe_loading
from kerlite.autodiff.variable import Variable
from kerlite.layers.call_context import CallContext

# Attributes that refer to layers without owning them (graph links, caches).
_NOT_SUBLAYER_ATTRIBUTES = frozenset(("_inbound_nodes", "_outbound_nodes", "_loss_sources"))


class WeightsMixin:
    """add_weight, weights, trainable/non-trainable weights, counting, losses."""

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Create a weight (a ``kerlite.Variable``) owned by this layer.

        ``initializer`` defaults to ``"glorot_uniform"`` for floats, ``"zeros"`` else.
        """
        from kerlite import constraints, initializers, regularizers

        dtype = arrays.standardize_dtype(dtype or self.dtype)
        shape = () if shape is None else tuple(shape)
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        if safe_loading.loading_in_progress():  # sizes chosen by a file
            safe_loading.check_array_bytes(
                math.prod(shape) * numpy.dtype(dtype).itemsize,
                f"a weight of shape {shape} in layer {self.name!r}")
        initializer = initializers.get(initializer)
        variable = Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                            name=name or "variable")
        variable.path = f"{self.name}/{variable.name}"
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        if trainable:
            self._trainable_variables.append(variable)
            if not self._trainable:
                variable.trainable = False
        else:
            self._non_trainable_variables.append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, name=None,
                     **kwargs):
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, name=name, **kwargs)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freeze (False) or unfreeze this layer and every layer inside it."""
        value = bool(value)
        self._trainable = value
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def weights(self):
        """All weights: this layer's own, in creation order, then nested layers'."""
        weights, seen = [], set()
        own = self._trainable_variables + self._non_trainable_variables
        for variable in own + [w for layer in self._sublayers() for w in layer.weights]:
            if id(variable) not in seen:
                seen.add(id(variable))
                weights.append(variable)
        return weights

    @property
    def variables(self):
        """All state: the weights plus the state of each ``SeedGenerator`` the layer
        holds (``seed_generator_state``, as in Keras 3). Not counted as parameters."""
        variables, seen = [], set()
        own = self._trainable_variables + self._non_trainable_variables
        own += [generator.state for generator in self._seed_generators()]
        for variable in own + [v for layer in self._sublayers() for v in layer.variables]:
            if id(variable) not in seen:
                seen.add(id(variable))
                variables.append(variable)
        return variables

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def trainable_variables(self):
        if not self._trainable:
            return []
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def non_trainable_variables(self):
        """Frozen weights and random-seed states."""
        if not self._trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    def _seed_generators(self):
        from kerlite.random.seed_generator import SeedGenerator

        found = []
        for key, value in self.__dict__.items():
            if isinstance(value, SeedGenerator):
                found.append(value)
            elif type(value) in (list, tuple) and value:
                found.extend(v for v in value if isinstance(v, SeedGenerator))
        return found

    # --- saving (called by model.save / load_model, as in Keras 3) --------------------
    def save_own_variables(self, store):
        """Write this layer's own variables into ``store`` as "0", "1", ... (trainable
        first). Override it, with ``load_own_variables``, to save state your way."""
        for index, variable in enumerate(self._trainable_variables
                                         + self._non_trainable_variables):
            store[str(index)] = variable

    def load_own_variables(self, store):
        """Read back what ``save_own_variables`` wrote."""
        variables = self._trainable_variables + self._non_trainable_variables
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' expected {len(variables)} variables, but received "
                f"{len(store.keys())} variables during loading. Expected: "
                f"{[v.name for v in variables]}")
        for index, variable in enumerate(variables):
            variable.assign(store[str(index)])

    def get_weights(self):
        """The weights as NumPy arrays (copies), in ``weights`` order."""
        return [numpy.array(arrays.to_numpy(v.data)) for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from a list of arrays in ``weights`` order (shapes checked)."""
        variables = self.weights
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(
                f'You called `set_weights(weights)` on layer "{self.name}" with a '
                f"weight list of length {len(weights)}, but the layer was expecting "
                f"{len(variables)} weights: "
                f"{[(v.name, v.shape) for v in variables]}."
            )
        for variable, value in zip(variables, weights):
            value_shape = tuple(numpy.shape(value))
            if value_shape != variable.shape:
                raise ValueError(
                    f'Layer "{self.name}" weight shape {variable.shape} '
                    f"({variable.path}) is not compatible with provided weight shape "
                    f"{value_shape}."
                )
        for variable, value in zip(variables, weights):
            variable.assign(value)

    def count_params(self):
        """How many numbers the weights hold (the summary's "Param #")."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the "
                "layer isn't built. You can build it manually via: "
                "`layer.build(input_shape)`."
            )
        return int(sum(int(numpy.prod(v.shape)) for v in self.weights))

    # --- nested layers ---------------------------------------------------------------
    def _sublayers(self):
        """Layers held directly in attributes (also inside lists, tuples and dicts)."""
        found = []
        for key, value in self.__dict__.items():
            if key in _NOT_SUBLAYER_ATTRIBUTES:
                continue
            if isinstance(value, WeightsMixin):
                found.append(value)
            elif type(value) in (list, tuple, dict) and value:
                found.extend(v for v in nest.flatten(value) if isinstance(v, WeightsMixin))
        return found

    def _flatten_layers(self, include_self=True):
        """This layer and all nested layers, each once, parents before children."""
        result, seen, stack = [], set(), [self]
        while stack:
            layer = stack.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            if layer is not self or include_self:
                result.append(layer)
            stack[0:0] = layer._sublayers()
        return result

    # --- losses ----------------------------------------------------------------------
    def add_loss(self, loss):
        """Add a scalar to ``losses`` (cleared at the start of each top-level call)."""
        from kerlite.graph.keras_tensor import KerasTensor

        if isinstance(loss, KerasTensor):
            return  # symbolic losses have no value; the eager call adds the real one
        self._losses.append(loss)
        CallContext.layers_with_losses.add(self)

    def _clear_losses(self):
        """Forget the add_loss values of this layer and the layers inside it."""
        for layer in self._flatten_layers():
            losses = layer.__dict__.get("_losses")
            if losses:
                losses.clear()
                CallContext.layers_with_losses.discard(layer)

    @property
    def losses(self):
        """``add_loss`` values of this and nested layers, then weight regularizers."""
        losses = []
        for layer in self._flatten_layers():
            losses.extend(layer._losses)
        for variable in self.trainable_weights:
            if variable.regularizer is not None:
                losses.append(variable.regularizer(variable))
        return losses
