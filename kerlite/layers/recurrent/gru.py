"""GRUCell and GRU: the gated recurrent unit (Cho et al., 2014).

One step, with the Keras gate order z (update), r (reset), h (candidate):
``z, r = recurrent_activation(x W_zr + h U_zr + b_zr)``;
``hh = activation(x W_h + r * (h U_h + b'_h))`` with ``reset_after=True`` (the default, the
cuDNN form, bias of shape (2, 3u): input row and recurrent row), or
``hh = activation(x W_h + (r * h) U_h + b_h)`` with ``reset_after=False`` (bias (3u,));
then ``h = z * h + (1 - z) * hh``.
"""

from kerlite import activations, initializers, ops, regularizers
from kerlite.layers.layer import Layer
from kerlite.layers.recurrent.cell_config import (CellConfig, forward_cell_properties,
                                                  layer_config_from_cell)
from kerlite.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from kerlite.layers.recurrent.rnn import RNN
from kerlite.random import SeedGenerator


class GRUCell(CellConfig, DropoutRNNCell, Layer):
    """One step of a GRU; use it inside ``keras.layers.RNN``."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
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
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.reset_after = reset_after
        self._use_gate_masks(self.recurrent_dropout, gates=3)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], gates=3)
        if self.use_bias:
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = self.add_weight(
                shape=shape, name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def call(self, inputs, states, training=False):
        h_previous = states[0] if isinstance(states, (list, tuple)) else states
        input_masks, recurrent_masks = self._step_masks(inputs, h_previous, training)
        h_gates = self.gate_parts(h_previous, recurrent_masks, 3)  # for z, r, h
        u = self.units
        x_part = self.gate_projection(self.gate_parts(inputs, input_masks, 3), self.kernel)
        if self.bias is not None:
            x_part = x_part + (self.bias[0] if self.reset_after else self.bias)
        if self.reset_after:
            h_part = self.gate_projection(h_gates, self.recurrent_kernel)
            if self.bias is not None:
                h_part = h_part + self.bias[1]
        else:
            h_part = self.gate_projection(h_gates[:2], self.recurrent_kernel[:, :2 * u])
        z = self.recurrent_activation(x_part[:, :u] + h_part[:, :u])
        r = self.recurrent_activation(x_part[:, u:2 * u] + h_part[:, u:2 * u])
        if self.reset_after:
            reset_part = r * h_part[:, 2 * u:]
        else:
            reset_part = ops.matmul(r * h_gates[2], self.recurrent_kernel[:, 2 * u:])
        candidate = self.activation(x_part[:, 2 * u:] + reset_part)
        h = z * h_previous + (1 - z) * candidate
        return h, ([h] if isinstance(states, (list, tuple)) else h)

    def run_sequence(self, sequences, initial_state, mask=None, go_backwards=False,
                     training=False):
        """The whole sequence as one fused op (None if an activation is not supported)."""
        names = self._fused_activation_names()
        if names is None:
            return None
        outputs, last = ops.gru(
            sequences, initial_state[0], self.kernel, self.recurrent_kernel, self.bias,
            mask=mask, go_backwards=go_backwards, activation=names[0],
            recurrent_activation=names[1], reset_after=self.reset_after,
            recurrent_dropout_mask=self._recurrent_mask_array(initial_state[0], training),
            input_dropout_mask=self._input_mask_array(sequences, training))
        return outputs, [last]

    def get_config(self):
        config = super().get_config()
        config.update(self._cell_config())
        return config


class GRU(RNN):
    """Gated recurrent unit layer (``reset_after=True`` by default, as Keras 3).

    Input (batch, timesteps, features); output (batch, units), or (batch, timesteps, units)
    with ``return_sequences=True``.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="gru_cell", implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    def get_config(self):
        return layer_config_from_cell(self, super().get_config())

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


forward_cell_properties(GRU, GRUCell)
