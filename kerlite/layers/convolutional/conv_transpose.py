"""Conv1DTranspose, Conv2DTranspose, Conv3DTranspose: learned upsampling.

A transposed convolution runs a convolution "backwards": every input pixel stamps a
weighted copy of the kernel onto the output, ``strides`` pixels apart, so strides 2
doubles the size. Decoders and autoencoders use it to grow feature maps back into
images. Kernel layout as Keras: ``(*kernel_size, filters, in_channels)``.
"""

from kerlite import ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.convolutional.base_conv import (BaseConv, assemble_shape, check_fits,
                                                    spatial_shape)
from kerlite.ops.convolution_transpose import output_window
from kerlite.layers.sample_size_limit import check_sample_size


class BaseConvTranspose(BaseConv):
    """N-D transposed convolution; output size per axis: ``n * strides`` with "same"."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, filters, kernel_size, strides, padding, data_format,
                         dilation_rate, 1, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = tuple(
                int(v) for v in normalize_tuple_allowing_zero(output_padding, rank))
            for stride, extra in zip(self.strides, self.output_padding):
                if extra >= stride:
                    raise ValueError(
                        "Strides must be greater than output padding. Received strides="
                        f"{self.strides}, output_padding={self.output_padding}."
                    )

    def build(self, input_shape):
        channels = input_shape[self.channel_axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}" needs to know the number of input channels, but '
                f"the channel axis of its input shape {tuple(input_shape)} is None."
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self.channel_axis: channels})
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, trainable=True)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                trainable=True)

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        outputs = ops.conv_transpose(inputs, self.kernel, self.strides, self.padding,
                                     self.output_padding, self.data_format,
                                     self.dilation_rate)
        if self.use_bias:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (bias.shape[0],) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        extras = self.output_padding or (None,) * self.rank
        out = [None if n is None else output_window(n, k, s, d, self.padding, extra)[1]
               for n, k, s, d, extra in zip(spatial_shape(input_shape, self.data_format),
                                            self.kernel_size, self.strides,
                                            self.dilation_rate, extras)]
        check_fits(self, input_shape, out, "kernel", self.kernel_size)
        return check_sample_size(self, assemble_shape(input_shape[0], out, self.filters,
                                                      self.data_format), f"strides={self.strides}")

    def get_config(self):
        config = super().get_config()
        config.pop("groups")
        config["output_padding"] = self.output_padding
        return config


def normalize_tuple_allowing_zero(value, rank):
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(value)
    if len(value) != rank or any(v < 0 for v in value):
        raise ValueError(
            f"The `output_padding` argument must be an int or a tuple of {rank} "
            f"non-negative ints. Received: output_padding={value!r}"
        )
    return value


class Conv1DTranspose(BaseConvTranspose):
    """Transposed 1-D convolution: upsamples sequences."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, **kwargs)


class Conv2DTranspose(BaseConvTranspose):
    """Transposed 2-D convolution: upsamples images (decoders, autoencoders)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, **kwargs)


class Conv3DTranspose(BaseConvTranspose):
    """Transposed 3-D convolution: upsamples volumes."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, **kwargs)
