"""ConvLSTM1D/2D/3D: an LSTM whose gates are convolutions (Shi et al., 2015).

For sequences of images (video frames, weather maps): the state keeps its spatial layout,
and the matrix products of an LSTM become convolutions:
``z = conv(x_t, kernel) + conv(h, recurrent_kernel, padding="same") + bias``, split into the
gates i, f, c, o along the channels; then ``c = f*c + i*tanh(z_c)``, ``h = o*tanh(c)``.
The cell is written with ``kerlite.ops`` and looped by ``RNN`` (channels_last only).
"""

from kerlite import activations, initializers, ops, regularizers
from kerlite.layers.layer import Layer
from kerlite.layers.recurrent.cell_config import (CellConfig, forward_cell_properties,
                                                  layer_config_from_cell)
from kerlite.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from kerlite.layers.recurrent.rnn import RNN
from kerlite.random import SeedGenerator


def _tuple(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


def _conv_length(size, kernel, stride, padding, dilation):
    if padding == "same":
        return -(-size // stride)
    return (size - dilation * (kernel - 1) - 1) // stride + 1


class ConvLSTMCell(CellConfig, DropoutRNNCell, Layer):
    """One step of a ConvLSTM of ``rank`` spatial dimensions (1, 2 or 3)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ValueError(
                f"kerlite's ConvLSTM supports data_format='channels_last' only. Received: "
                f"data_format={data_format!r}. Move the channels last with "
                "layers.Permute first."
            )
        self.rank, self.filters = rank, filters
        self.kernel_size = _tuple(kernel_size, rank)
        self.strides = _tuple(strides, rank)
        self.padding = padding.lower()
        self.data_format = "channels_last"
        self.dilation_rate = _tuple(dilation_rate, rank)
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
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.dropout_mask_count = 4  # as Keras's ConvLSTMCell: always one mask per gate
        self.state_size = [filters, filters]  # h and c, each (batch, *space, filters)
        self.output_size = filters

    def build(self, input_shape):
        self.spatial_dims = tuple(input_shape[1:-1])
        if None in self.spatial_dims or input_shape[-1] is None:
            raise ValueError(
                "ConvLSTM layers need static spatial and channel sizes. Received input "
                f"shape {tuple(input_shape)}."
            )
        self.input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, 4 * self.filters), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, 4 * self.filters),
            name="recurrent_kernel", initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(4 * self.filters,), name="bias",
                initializer=self._bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def _bias_initializer(self, shape, dtype=None):
        if not self.unit_forget_bias:
            return self.bias_initializer(shape, dtype=dtype)
        f = self.filters  # the forget gate starts open: its bias is 1
        return ops.concatenate([ops.convert_to_tensor(self.bias_initializer((f,), dtype=dtype)),
                                ops.ones((f,), dtype=dtype),
                                ops.convert_to_tensor(self.bias_initializer((2 * f,),
                                                                            dtype=dtype))])

    def state_shape(self, input_shape):
        """(batch, *output space, filters) for a (batch, *space, channels) step input."""
        space = tuple(_conv_length(n, k, s, self.padding, d) for n, k, s, d in zip(
            input_shape[1:-1], self.kernel_size, self.strides, self.dilation_rate))
        return (input_shape[0],) + space + (self.filters,)

    def get_initial_state(self, batch_size=None):
        shape = self.state_shape((batch_size,) + self.spatial_dims + (self.input_dim,))
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        input_masks, recurrent_masks = self._step_masks(inputs, h_previous, training)
        z = self._gate_convolutions(self.gate_parts(inputs, input_masks, 4), self.kernel,
                                    strides=self.strides, padding=self.padding,
                                    dilation_rate=self.dilation_rate)
        z = z + self._gate_convolutions(self.gate_parts(h_previous, recurrent_masks, 4),
                                        self.recurrent_kernel, strides=1, padding="same")
        if self.bias is not None:
            z = z + self.bias
        f = self.filters
        i = self.recurrent_activation(z[..., :f])
        forget = self.recurrent_activation(z[..., f:2 * f])
        c = forget * c_previous + i * self.activation(z[..., 2 * f:3 * f])
        h = self.recurrent_activation(z[..., 3 * f:]) * self.activation(c)
        return h, [h, c]

    def _gate_convolutions(self, parts, kernel, **conv_options):
        """``conv(parts[g], kernel's gate-g filters)`` side by side on the last axis: one
        convolution when every gate has the same part (no per-gate dropout)."""
        if all(part is parts[0] for part in parts):
            return ops.conv(parts[0], kernel, **conv_options)
        f = self.filters
        return ops.concatenate(
            [ops.conv(part, kernel[..., g * f:(g + 1) * f], **conv_options)
             for g, part in enumerate(parts)], axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update(self._cell_config())
        config.update(rank=self.rank, **_conv_settings(self))
        return config


def _conv_settings(cell):
    return {"filters": cell.filters, "kernel_size": cell.kernel_size, "strides": cell.strides,
            "padding": cell.padding, "data_format": cell.data_format,
            "dilation_rate": cell.dilation_rate}


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: input (batch, time, *space, channels)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.state_shape((batch,) + tuple(sequences_shape[2:]))
        output = (batch, steps) + state[1:] if self.return_sequences else state
        return (output, state, state) if self.return_state else output

    def get_config(self):
        config = layer_config_from_cell(self, super().get_config())
        config.update(_conv_settings(self.cell))
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


class ConvLSTM1D(ConvLSTM):
    """``keras.layers.ConvLSTM1D(filters, kernel_size, ...)``: (batch, time, steps, channels)."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(1, filters, kernel_size, **kwargs)


class ConvLSTM2D(ConvLSTM):
    """``keras.layers.ConvLSTM2D(filters, kernel_size, ...)``: (batch, time, rows, cols,
    channels), e.g. predicting the next frame of a video."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(2, filters, kernel_size, **kwargs)


class ConvLSTM3D(ConvLSTM):
    """``keras.layers.ConvLSTM3D(filters, kernel_size, ...)``: 3-D volumes over time."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(3, filters, kernel_size, **kwargs)


forward_cell_properties(ConvLSTM, ConvLSTMCell)
for _name in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"):
    setattr(ConvLSTM, _name, property(lambda self, name=_name: getattr(self.cell, name)))
