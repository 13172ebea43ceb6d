"""BatchNormalization: normalise each channel with the statistics of the batch.

Training: ``out = gamma * (x - mean_batch) / sqrt(var_batch + epsilon) + beta``, and the
running averages follow the batch: ``moving = moving * momentum + batch * (1 - momentum)``.
Inference (``training=False``, and always when the layer is frozen): the same formula
with the moving averages instead of the batch statistics, so one sample alone gets a
stable answer. ``moving_mean`` / ``moving_variance`` are non-trainable weights: the
optimizer never touches them, and summary() counts them as non-trainable.
"""

from kerlite import constraints, initializers, ops, regularizers
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer
from kerlite.layers.normalization.standardize import standardize


class BatchNormalization(Layer):
    """``keras.layers.BatchNormalization``; ``axis`` is the channel (feature) axis."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.synchronized = synchronized  # one process here: nothing to synchronise
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(
                f'Layer "{self.name}": axis={self.axis} is out of range for an input of '
                f"shape {tuple(input_shape)}."
            )
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}": the normalised axis {self.axis} of the input shape '
                f"{tuple(input_shape)} must be known (not None)."
            )
        shape = (channels,)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})

    def call(self, inputs, training=None, mask=None):
        ndim = inputs.ndim
        axis = self.axis % ndim
        broadcast = [1] * ndim
        broadcast[axis] = inputs.shape[axis]
        gamma = None if self.gamma is None else _as_broadcast(self.gamma, broadcast)
        beta = None if self.beta is None else _as_broadcast(self.beta, broadcast)
        if training and self.trainable:
            reduced = tuple(i for i in range(ndim) if i != axis)
            outputs, mean, variance = standardize(inputs, reduced, self.epsilon, gamma, beta)
            self._update_moving_statistics(mean.reshape(-1), variance.reshape(-1))
            return outputs
        # inference: a fixed affine map per channel
        multiplier = ops.rsqrt(_as_broadcast(self.moving_variance, broadcast) + self.epsilon)
        if gamma is not None:
            multiplier = multiplier * gamma
        outputs = (inputs - _as_broadcast(self.moving_mean, broadcast)) * multiplier
        return outputs if beta is None else outputs + beta

    def _update_moving_statistics(self, mean, variance):
        keep = self.moving_mean.data.dtype.type(self.momentum)
        self.moving_mean.assign(self.moving_mean.data * keep + mean * (1 - keep))
        self.moving_variance.assign(self.moving_variance.data * keep + variance * (1 - keep))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
        })
        return config


def _as_broadcast(weight, shape):
    """A per-channel weight reshaped to broadcast against the input (a no-op if channels last)."""
    if len(shape) and shape[-1] == weight.shape[0] and all(n == 1 for n in shape[:-1]):
        return weight
    return ops.reshape(weight, tuple(shape))
