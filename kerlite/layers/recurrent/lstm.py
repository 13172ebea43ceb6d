"""LSTMCell and LSTM: long short-term memory (Hochreiter & Schmidhuber, 1997).

One step, with the Keras gate order i, f, c, o packed in one kernel:
``z = x @ kernel + h @ recurrent_kernel + bias``; ``i, f, o = recurrent_activation(z_i, z_f,
z_o)``; ``c = f * c + i * activation(z_c)``; ``h = o * activation(c)``.
Weights: kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,). ``unit_forget_bias``
starts the forget-gate bias at 1, so the cell remembers by default.
"""

from kerlite import activations, initializers, ops, regularizers
from kerlite.layers.layer import Layer
from kerlite.layers.recurrent.cell_config import (CellConfig, forward_cell_properties,
                                                  layer_config_from_cell)
from kerlite.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from kerlite.layers.recurrent.rnn import RNN
from kerlite.random import SeedGenerator


class LSTMCell(CellConfig, DropoutRNNCell, Layer):
    """One step of an LSTM; use it inside ``keras.layers.RNN``.

    With ``recurrent_dropout``, each of the four gates gets its own input and recurrent
    dropout masks, as in Keras (see DropoutRNNCell).
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        self._check_units(units)
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self._use_gate_masks(self.recurrent_dropout, gates=4)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], gates=4)
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(4 * self.units,), name="bias", initializer=self._bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def _bias_initializer(self, shape, dtype=None):
        if not self.unit_forget_bias:
            return self.bias_initializer(shape, dtype=dtype)
        u = self.units
        return ops.concatenate([
            ops.convert_to_tensor(self.bias_initializer((u,), dtype=dtype)),
            ops.ones((u,), dtype=dtype),
            ops.convert_to_tensor(self.bias_initializer((2 * u,), dtype=dtype)),
        ])

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        input_masks, recurrent_masks = self._step_masks(inputs, h_previous, training)
        z = (self.gate_projection(self.gate_parts(inputs, input_masks, 4), self.kernel)
             + self.gate_projection(self.gate_parts(h_previous, recurrent_masks, 4),
                                    self.recurrent_kernel))
        if self.bias is not None:
            z = z + self.bias
        u = self.units
        i = self.recurrent_activation(z[:, :u])
        f = self.recurrent_activation(z[:, u:2 * u])
        c = f * c_previous + i * self.activation(z[:, 2 * u:3 * u])
        o = self.recurrent_activation(z[:, 3 * u:])
        h = o * self.activation(c)
        return h, [h, c]

    def run_sequence(self, sequences, initial_state, mask=None, go_backwards=False,
                     training=False):
        """The whole sequence as one fused op (None if an activation is not supported)."""
        names = self._fused_activation_names()
        if names is None:
            return None
        outputs, h, c = ops.lstm(
            sequences, initial_state[0], initial_state[1], self.kernel,
            self.recurrent_kernel, self.bias, mask=mask, go_backwards=go_backwards,
            activation=names[0], recurrent_activation=names[1],
            recurrent_dropout_mask=self._recurrent_mask_array(initial_state[0], training),
            input_dropout_mask=self._input_mask_array(sequences, training))
        return outputs, [h, c]

    def get_config(self):
        config = super().get_config()
        config.update(self._cell_config())
        return config


class LSTM(RNN):
    """Long short-term memory layer.

    ``keras.layers.LSTM(units, activation="tanh", recurrent_activation="sigmoid", ...)``:
    input (batch, timesteps, features); output (batch, units), or (batch, timesteps, units)
    with ``return_sequences=True``; with ``return_state=True`` also the last ``h`` and ``c``.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="lstm_cell",
            implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    def get_config(self):
        return layer_config_from_cell(self, super().get_config())

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


forward_cell_properties(LSTM, LSTMCell)
