"""SimpleRNNCell and SimpleRNN: the fully-connected recurrent layer.

One step: ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``; the
output is the new state. Weights (Keras layout): kernel (features, units),
recurrent_kernel (units, units), bias (units,).
"""

from kerlite import activations, initializers, ops, regularizers
from kerlite.layers.layer import Layer
from kerlite.layers.recurrent.cell_config import (CellConfig, forward_cell_properties,
                                                  layer_config_from_cell)
from kerlite.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from kerlite.layers.recurrent.rnn import RNN
from kerlite.random import SeedGenerator


class SimpleRNNCell(CellConfig, DropoutRNNCell, Layer):
    """One step of a SimpleRNN; use it inside ``keras.layers.RNN``."""

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        self._check_units(units)
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], gates=1)
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def call(self, sequence, states, training=False):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        if training and 0 < self.dropout < 1:
            sequence = sequence * self.get_dropout_mask(sequence)
        h = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = h + self.bias
        if training and 0 < self.recurrent_dropout < 1:
            previous = previous * self.get_recurrent_dropout_mask(previous)
        output = h + ops.matmul(previous, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        new_state = [output] if isinstance(states, (list, tuple)) else output
        return output, new_state

    def run_sequence(self, sequences, initial_state, mask=None, go_backwards=False,
                     training=False):
        """The whole sequence as one fused op (None if the activation is not supported)."""
        names = self._fused_activation_names()
        if names is None:
            return None
        outputs, last = ops.simple_rnn(
            self._dropped_sequences(sequences, training), initial_state[0], self.kernel,
            self.recurrent_kernel, self.bias, mask=mask, go_backwards=go_backwards,
            activation=names[0],
            recurrent_dropout_mask=self._recurrent_mask_array(initial_state[0], training))
        return outputs, [last]

    def get_config(self):
        config = super().get_config()
        config.update(self._cell_config())
        return config


class SimpleRNN(RNN):
    """Fully-connected RNN where the output is fed back as the next input state.

    ``keras.layers.SimpleRNN(units, activation="tanh", return_sequences=False, ...)``:
    input (batch, timesteps, features); output (batch, units), or (batch, timesteps,
    units) with ``return_sequences=True``.
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    def get_config(self):
        config = layer_config_from_cell(self, super().get_config())
        config.pop("seed")  # as Keras: SimpleRNN's config has no seed
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


forward_cell_properties(SimpleRNN, SimpleRNNCell)
