"""GroupNormalization: normalise each sample over groups of channels.

The channels are split into ``groups`` groups; each sample's group is normalised over
its channels and all positions. ``groups=1`` is LayerNormalization over everything,
``groups=channels`` is InstanceNormalization. Independent of the batch size, so it works
with tiny batches where BatchNormalization struggles. ``gamma``/``beta`` are per channel.
"""

from kerlite import constraints, initializers, ops, regularizers
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer
from kerlite.layers.normalization.standardize import standardize


class GroupNormalization(Layer):
    """``keras.layers.GroupNormalization(groups=32, axis=-1, epsilon=1e-3)``."""

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} of input tensor should have a '
                f"defined dimension but the layer received an input with shape "
                f"{tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of "
                f"channels ({channels})."
            )
        if channels % self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of "
                f"channels ({channels})."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=(channels,),
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=(channels,),
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)

    def call(self, inputs):
        shape = inputs.shape
        axis = self.axis % len(shape)
        channels = shape[axis]
        grouped_shape = shape[:axis] + (self.groups, channels // self.groups) + shape[axis + 1:]
        grouped = ops.reshape(inputs, grouped_shape)
        reduced = tuple(i for i in range(1, len(grouped_shape)) if i != axis)
        weight_shape = [1] * len(grouped_shape)
        weight_shape[axis], weight_shape[axis + 1] = self.groups, channels // self.groups

        def shaped(weight):
            return None if weight is None else ops.reshape(weight, tuple(weight_shape))

        outputs, _, _ = standardize(grouped, reduced, self.epsilon, shaped(self.gamma),
                                    shaped(self.beta))
        return ops.reshape(outputs, shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        })
        return config
