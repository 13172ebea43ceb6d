"""BaseConv: what Conv1D, Conv2D and Conv3D share (arguments, weights, shapes, config).

A convolution slides ``filters`` small kernels over the input; each output value is the
dot product of one kernel with the window under it, plus a bias:

    out[n, p, f] = activation(bias[f] + sum_{k,c} x[n, p*strides + k*dilation, c] * w[k, c, f])

The kernel ``w`` has Keras's layout ``(*kernel_size, in_channels // groups, filters)``. ``call``
reads as convolution, bias, activation; with the fast paths on
(``kerlite.common.fast_paths``) convolution + bias + relu run as one fused op,
``kerlite.ops.convolution.fused_conv`` (im2col + one matrix product).
"""

from kerlite import activations, arrays, constraints, initializers, ops, regularizers
from kerlite.common import fast_paths
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer
from kerlite.ops.convolution import fused_conv
from kerlite.ops.sliding_windows import normalize_tuple, output_length


class BaseConv(Layer):
    """N-D convolution layer; ``rank`` is the number of spatial dimensions (1, 2 or 3)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        check_conv_arguments(self)

    @property
    def channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_shape[self.channel_axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}" needs to know the number of input channels, but '
                f"the channel axis of its input shape {tuple(input_shape)} is None."
            )
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}": the number of input channels must be evenly '
                f"divisible by the number of groups. Received groups={self.groups}, but "
                f"the input has {channels} channels (full input shape is "
                f"{tuple(input_shape)})."
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self.channel_axis: channels})
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, trainable=True)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                trainable=True)

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":  # pad the past only, so step t never sees t+1
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            widths = [[0, 0], [0, 0], [0, 0]]
            widths[1 if self.channel_axis == -1 else 2] = [left, 0]
            inputs, padding = ops.pad(inputs, widths), "valid"
        if fast_paths.enabled():  # the same numbers with fewer ops: _fast_conv below
            return self._fast_conv(inputs, padding)
        outputs = ops.conv(inputs, self.kernel, self.strides, padding, self.data_format,
                           self.dilation_rate)
        if self.bias is not None:
            bias = self.bias
            if self.channel_axis != -1:  # channels_first: (filters, 1, ..., 1)
                bias = ops.reshape(bias, (self.filters,) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def _fast_conv(self, inputs, padding):
        """conv + bias (+ kerlite's relu) as one op; other activations come after it."""
        relu = self.activation is activations.get("relu")
        outputs = fused_conv(inputs, self.kernel, self.bias, "relu" if relu else None,
                             self.strides, padding, self.data_format, self.dilation_rate)
        if self.activation is not None and not relu:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        spatial = spatial_shape(input_shape, self.data_format)
        padding = self.padding
        if padding == "causal":  # the layer pads the past, then runs a "valid" convolution
            extra = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            spatial = [None if n is None else n + extra for n in spatial]
            padding = "valid"
        out = [output_length(n, k, s, d, padding) for n, k, s, d in
               zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
        check_fits(self, input_shape, out, "kernel", self.kernel_size)
        return assemble_shape(input_shape[0], out, self.filters, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters, "kernel_size": self.kernel_size,
            "strides": self.strides, "padding": self.padding,
            "data_format": self.data_format, "dilation_rate": self.dilation_rate,
            "groups": self.groups, "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config


# --- helpers shared by every convolution and pooling layer ----------------------------
def standardize_padding(padding, allow_causal=False):
    value = str(padding).lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if value not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={padding!r}"
        )
    return value


def standardize_data_format(data_format):
    value = arrays.image_data_format() if data_format is None else str(data_format).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return value


def check_conv_arguments(layer):
    if layer.filters is not None and (not isinstance(layer.filters, int) or layer.filters <= 0):
        raise ValueError(
            "Invalid value for argument `filters`. Expected a strictly positive value. "
            f"Received filters={layer.filters}."
        )
    if not isinstance(layer.groups, int) or layer.groups <= 0:
        raise ValueError(
            f"The number of groups must be a positive integer. Received: groups={layer.groups}."
        )
    if layer.filters is not None and layer.filters % layer.groups:
        raise ValueError(
            "The number of filters must be evenly divisible by the number of groups. "
            f"Received: groups={layer.groups}, filters={layer.filters}."
        )
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={layer.strides} and dilation_rate={layer.dilation_rate}"
        )


def spatial_shape(input_shape, data_format):
    """The spatial sizes of an input shape (batch and channel axes removed)."""
    return list(input_shape[1:-1] if data_format == "channels_last" else input_shape[2:])


def assemble_shape(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def check_fits(layer, input_shape, out_spatial, what, size):
    """The friendly error when a kernel or pool is larger than the (padded) input."""
    if any(n is not None and n <= 0 for n in out_spatial):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): a {what} of size {size} does not '
            f"fit the input of shape {tuple(input_shape)} with padding={layer.padding!r} "
            f"(the output would have spatial shape {tuple(out_spatial)}). Use a smaller "
            f"{what}_size, padding='same', or a larger input (remove a pooling layer before it)."
        )
