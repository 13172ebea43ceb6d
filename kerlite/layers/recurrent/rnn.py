"""RNN: runs a cell over the time axis of a sequence (``keras.layers.RNN``).

A *cell* is a layer that does ONE time step: ``call(inputs, states) -> (output, new_states)``
and says how big its states are (``state_size``). ``RNN(cell)`` feeds it the steps of a
(batch, time, features) input one after the other, so a student can write a cell with
``kerlite.ops`` and get a trainable recurrent layer. The built-in cells (SimpleRNNCell,
LSTMCell, GRUCell) also offer ``run_sequence``: the whole loop as one fused op with a
hand-written backward pass, used when their activations allow it and the fast paths
(``kerlite.common.fast_paths``) are on; else the loop below calls the cell step by step.

Inputs, states and outputs may be nested (the "RNNs with list/dict inputs" guide): a
tuple of sequences ``(batch, time, ...)`` reaches the cell as a tuple of steps, and a
``state_size``/``output_size`` entry that is a list, such as ``[20, 30]``, is one state (or
output) of shape ``(batch, 20, 30)``. (A stack of cells keeps its own meaning: one list of
states per cell.)

Masks (from ``Embedding(mask_zero=True)`` or ``Masking``) skip padded steps: the states are
carried through unchanged, and the output repeats the previous state (or is zero with
``zero_output_for_mask=True``).
"""

import inspect

from kerlite import arrays, ops
from kerlite.autodiff.variable import Variable
from kerlite.common import fast_paths
from kerlite.common import nest
from kerlite.layers.output_spec import is_shape
from kerlite.layers.layer import Layer
from kerlite.layers.recurrent.stacked_rnn_cells import StackedRNNCells


class RNN(Layer):
    """Base class for recurrent layers: loops ``cell`` over the time steps.

    Args:
        cell: an RNN cell (has ``call(inputs, states)`` and ``state_size``), or a list of
            cells, stacked (``StackedRNNCells``).
        return_sequences: return the output of every step (batch, time, units), not only
            the last one (batch, units).
        return_state: also return the last states: ``[output, *states]``.
        go_backwards: read the sequence from its end; outputs come in that reversed order.
        stateful: the last states of batch ``i`` are the initial states of batch ``i`` in the
            next call (needs a fixed batch size); ``reset_state()`` sets them to zero.
        unroll: accepted for compatibility (kerlite always runs a Python loop).
        zero_output_for_mask: masked steps output zeros instead of the previous output.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell, dtype=kwargs.get("dtype"))
        if not callable(getattr(cell, "call", None)):
            raise ValueError(
                f"Argument `cell` should have a `call` method. Received: cell={cell!r}"
            )
        state_size = getattr(cell, "state_size", None)
        if not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (an integer, or a list "
                f"of integers, one per state). Received: cell={cell!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self._stacked = isinstance(cell, StackedRNNCells)
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        self._state_variables = None
        self._expected_batch_size = None

    # --- shapes and masks -------------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        first = _first_shape(sequences_shape)
        batch, length = first[0], first[1]
        output_size = getattr(self.cell, "output_size", None) or self.state_size[0]
        prefix = (batch, length) if self.return_sequences else (batch,)
        if self._stacked or isinstance(output_size, int):
            output_shape = prefix + (output_size,)
        else:  # nested sizes: one output per entry
            output_shape = _shapes_for(output_size, prefix)
        if self.return_state:
            if self._stacked:
                states = [(batch, size) if isinstance(size, int) else
                          [(batch, s) for s in size] for size in self.state_size]
            else:
                states = [_shapes_for(size, (batch,)) for size in self.state_size]
            return (output_shape, *states)
        return output_shape

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    def build(self, sequences_shape, initial_state_shape=None):
        for shape in _flat_shapes(sequences_shape):
            if len(shape) < 3:
                raise ValueError(
                    f"Layer {self.name!r} expects 3D input (batch, timesteps, features). "
                    f"Received input shape {_describe(sequences_shape)}. Reshape the data, "
                    "or put an Embedding layer first for integer sequences."
                )
        step_shape = _map_shapes(lambda shape: (shape[0],) + shape[2:], sequences_shape)
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        batch_size = _first_shape(sequences_shape)[0]
        if self.stateful:
            if batch_size is None:
                raise ValueError(
                    "When using `stateful=True` in a RNN, the batch size must be static. "
                    f"Found dynamic batch size: sequence.shape={_describe(sequences_shape)}. "
                    "Use keras.Input(batch_shape=(batch_size, timesteps, features))."
                )
            self._create_state_variables(batch_size)
        self.built = True

    # --- states -----------------------------------------------------------------------
    @property
    def states(self):
        """The state Variables of a stateful layer (None otherwise)."""
        return self._state_variables

    def _create_state_variables(self, batch_size):
        self._state_variables = nest.map_structure(
            lambda state: Variable(state.data, trainable=False, name="rnn_state"),
            self.get_initial_state(batch_size))
        self._expected_batch_size = batch_size

    def get_initial_state(self, batch_size):
        cell_initial_state = getattr(self.cell, "get_initial_state", None)
        if cell_initial_state is not None:
            states = cell_initial_state(batch_size=batch_size)
            return list(states) if isinstance(states, (list, tuple)) else [states]
        dtype = getattr(self.cell, "compute_dtype", None) or arrays.floatx()
        return [ops.zeros((batch_size,) + _size_dims(size), dtype=dtype)
                for size in self.state_size]

    def reset_state(self):
        """Set the states of a stateful layer back to zero."""
        for variable in nest.flatten(self._state_variables or []):
            variable.assign(variable.data * 0)

    reset_states = reset_state

    # --- the loop ---------------------------------------------------------------------
    def inner_loop(self, sequences, initial_state, mask, training=False):
        """Returns (last_output, outputs, states); outputs in processing order."""
        run_sequence = getattr(self.cell, "run_sequence", None)
        result = None
        if run_sequence is not None and fast_paths.enabled():  # the sequence as one op
            result = run_sequence(sequences, initial_state, mask=mask,
                                  go_backwards=self.go_backwards, training=training)
        if result is None:
            return self._loop_over_cell(sequences, initial_state, mask, training)
        outputs, states = result
        if mask is not None and self.zero_output_for_mask:
            keep = self._processing_order(mask)[:, :, None].astype(outputs.data.dtype)
            outputs = outputs * keep
            return outputs[:, -1], outputs, states
        return states[0], outputs, states

    def _processing_order(self, mask):
        mask = ops.convert_to_tensor(mask).data
        return mask[:, ::-1] if self.go_backwards else mask

    def _loop_over_cell(self, sequences, initial_state, mask, training):
        """The general loop: call the cell once per time step (any cell written with ops)."""
        steps = nest.flatten(sequences)[0].shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        # A masked step repeats the previous output. For the built-in cells that is the
        # first state; a cell whose outputs differ from its first state (nested, other
        # sizes) has its outputs remembered instead, zeros before the first step.
        output_size = getattr(self.cell, "output_size", None)
        track_outputs = (not self._stacked and output_size is not None
                         and output_size != self.state_size[0])
        previous = None  # the last kept outputs, when tracked
        cell_kwargs = {}
        if "training" in inspect.signature(self.cell.call).parameters:
            cell_kwargs["training"] = training
        mask_data = None if mask is None else ops.convert_to_tensor(mask).data.astype(bool)
        states, outputs = list(initial_state), []
        for t in order:
            step = nest.map_structure(lambda sequence: sequence[:, t], sequences)
            output, new_states = self.cell(step, states, **cell_kwargs)
            new_states = list(new_states) if isinstance(new_states, (list, tuple)) \
                else [new_states]
            if mask_data is not None and track_outputs:
                keep = mask_data[:, t]
                if previous is None or self.zero_output_for_mask:
                    previous = nest.map_structure(lambda out: out * 0, output)
                kept = [_where(keep, new, old) for new, old in
                        zip(nest.flatten(output), nest.flatten(previous))]
                output = previous = nest.pack_like(output, kept)
                kept = [_where(keep, new, old)
                        for new, old in zip(nest.flatten(new_states), nest.flatten(states))]
                new_states = nest.pack_like(new_states, kept)
            elif mask_data is not None:
                keep = mask_data[:, t]
                output = _where(keep, output, output * 0 if self.zero_output_for_mask
                                else _previous_output(states))
                kept = [_where(keep, new, old)
                        for new, old in zip(nest.flatten(new_states), nest.flatten(states))]
                new_states = nest.pack_like(new_states, kept)
            states = new_states
            outputs.append(output)
        stacked = None
        if self.return_sequences:  # one (batch, time, ...) tensor per output leaf
            stacked = nest.pack_like(outputs[0], [
                ops.stack(list(leaves), axis=1)
                for leaves in zip(*(nest.flatten(output) for output in outputs))])
        return outputs[-1], stacked, states

    def call(self, sequences, initial_state=None, mask=None, training=False):
        sequences = nest.map_structure(ops.convert_to_tensor, sequences)
        batch_size = nest.flatten(sequences)[0].shape[0]
        if initial_state is None:
            if self.stateful:
                initial_state = self._state_variables
            else:
                initial_state = self.get_initial_state(batch_size)
        if self.stateful and batch_size != self._expected_batch_size:
            raise ValueError(
                f"Layer {self.name!r} is stateful for batches of {self._expected_batch_size} "
                f"sequences but received a batch of {batch_size}. Pass batch_size="
                f"{self._expected_batch_size} to fit/predict and drop the last partial batch."
            )
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        if len(initial_state) != len(self.state_size):
            raise ValueError(
                f"Layer {self.name!r} has {len(self.state_size)} state(s) of sizes "
                f"{self.state_size}, but initial_state holds {len(initial_state)} tensor(s). "
                "An LSTM needs [h, c]; GRU and SimpleRNN need [h]."
            )
        dtype = getattr(self.cell, "compute_dtype", None) or arrays.floatx()
        initial_state = nest.map_structure(lambda state: _as_state(state, dtype),
                                           list(initial_state))
        if isinstance(mask, (list, tuple, dict)):  # one mask for every input: the first
            mask = nest.flatten(mask)[0] if nest.flatten(mask) else None
        try:
            last_output, outputs, states = self.inner_loop(
                sequences, initial_state, mask, training=training)
        finally:
            for cell in getattr(self.cell, "cells", [self.cell]):
                if hasattr(cell, "reset_dropout_mask"):
                    cell.reset_dropout_mask()
                    cell.reset_recurrent_dropout_mask()
        if self.stateful:
            for variable, state in zip(nest.flatten(self._state_variables),
                                       nest.flatten(states)):
                variable.assign(state.data)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def get_config(self):
        from kerlite.serialization import serialization_lib

        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialization_lib.serialize_keras_object(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerlite.serialization import serialization_lib

        config = dict(config)
        cell = serialization_lib.deserialize_keras_object(
            config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _previous_output(states):
    """What a masked step outputs: the previous state (the last cell's, when stacked)."""
    first = states[0]
    return states[-1][0] if isinstance(first, (list, tuple)) else first


def _where(keep, new, old):
    """``new`` for the batch rows where ``keep`` (batch,) is True, else ``old``."""
    return ops.where(keep.reshape(keep.shape + (1,) * (new.ndim - 1)), new, old)


def _as_state(value, dtype):
    """A state as a Tensor of the cell's dtype (cast with ops, so gradients flow back)."""
    state = ops.convert_to_tensor(value)
    return state if state.dtype == dtype else ops.cast(state, dtype)


def _map_shapes(function, shapes):
    """``function`` applied to each shape of a (nested) structure of shapes."""
    if is_shape(shapes):
        return function(tuple(shapes))
    if isinstance(shapes, dict):
        return {key: _map_shapes(function, value) for key, value in shapes.items()}
    return type(shapes)(_map_shapes(function, item) for item in shapes)


def _flat_shapes(shapes):
    found = []
    _map_shapes(found.append, shapes)
    return found


def _first_shape(shapes):
    return _flat_shapes(shapes)[0]


def _describe(shapes):
    return tuple(shapes) if is_shape(shapes) else shapes


def _size_dims(size):
    """A state or output size as the dims after the batch axis: 4 -> (4,), [2, 3] -> (2, 3)."""
    return (size,) if isinstance(size, int) else tuple(size)


def _shapes_for(size, prefix):
    """Shapes for a (nested) ``output_size`` entry: ``[10, [20, 30]]`` with prefix
    ``(batch,)`` gives ``[(batch, 10), (batch, 20, 30)]``."""
    if isinstance(size, int) or (isinstance(size, (list, tuple))
                                 and all(isinstance(d, int) for d in size)):
        return prefix + _size_dims(size)
    return [_shapes_for(item, prefix) for item in size]
