"""Projection: the dense maps inside MultiHeadAttention (Keras builds them as EinsumDense).

It maps the last ``num_input_axes`` axes of its input onto new axes ``output_shape``:
``y[..., o] = sum_i x[..., i] * kernel[i, o] + bias[o]``, with ``i`` and ``o`` groups of
axes. The query projection turns (batch, T, dim) into (batch, T, heads, key_dim) with a
kernel of shape (dim, heads, key_dim); the output projection contracts (heads, value_dim)
back to (dim,). Written as one matrix product on flattened axes, so BLAS does the work.
"""

import math

from kerlite import activations, constraints, initializers, ops, regularizers
from kerlite.initializers.random_initializers import with_fan_axes
from kerlite.layers.layer import Layer


class Projection(Layer):
    """Args: num_input_axes (how many trailing input axes are summed over),
    output_shape (the new trailing axes), use_bias, activation, and the usual
    kernel/bias initializers, regularizers and constraints.

    Weights (Keras's EinsumDense order): ``kernel`` of shape
    ``input_shape[-num_input_axes:] + output_shape``, then ``bias`` of ``output_shape``.
    """

    def __init__(self, num_input_axes, output_shape, use_bias=True, activation=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.num_input_axes = int(num_input_axes)
        self.projected_shape = tuple(int(n) for n in output_shape)
        self.use_bias = use_bias
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        contracted = tuple(input_shape[-self.num_input_axes:])
        if None in contracted:
            raise ValueError(
                f'Layer "{self.name}" needs to know the sizes of the last '
                f"{self.num_input_axes} axes of its input to create its kernel, but "
                f"received input_shape={tuple(input_shape)}.")
        self.kernel = self.add_weight(
            shape=contracted + self.projected_shape,
            initializer=with_fan_axes(  # fans over the contracted and the new axes
                self.kernel_initializer, range(self.num_input_axes),
                range(self.num_input_axes, self.num_input_axes + len(self.projected_shape))),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
            name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self.projected_shape, initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                name="bias")

    def call(self, inputs):
        leading = tuple(inputs.shape[:-self.num_input_axes])
        contracted = math.prod(inputs.shape[-self.num_input_axes:])
        flat = ops.reshape(inputs, (-1, contracted))
        kernel = ops.reshape(self.kernel, (contracted, math.prod(self.projected_shape)))
        outputs = ops.reshape(ops.matmul(flat, kernel), leading + self.projected_shape)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-self.num_input_axes]) + self.projected_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_input_axes": self.num_input_axes,
            "output_shape": self.projected_shape,
            "use_bias": self.use_bias,
            "activation": activations.serialize(self.activation),
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
