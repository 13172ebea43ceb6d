"""LayerNormalization: normalise each sample over its feature axis (no batch statistics).

``out = gamma * (x - mean) / sqrt(var + epsilon) + beta`` with mean and variance over
``axis`` of each sample alone, so training and inference behave the same (Transformers
and RNNs use it). ``gamma`` and ``beta`` have the shape of the normalised axes.
"""

from kerlite import constraints, initializers, ops, regularizers
from kerlite.layers.layer import Layer
from kerlite.layers.normalization.standardize import standardize


class LayerNormalization(Layer):
    """``keras.layers.LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)``."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}"
            )
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def _axes(self, ndim):
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        return sorted(a % ndim for a in axes)

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)

    def call(self, inputs):
        ndim = inputs.ndim
        axes = tuple(self._axes(ndim))
        broadcast = [inputs.shape[i] if i in axes else 1 for i in range(ndim)]

        def shaped(weight):
            if weight is None or axes == (ndim - 1,):
                return weight
            return ops.reshape(weight, tuple(broadcast))

        if self.rms_scaling:  # Keras's (deprecated) variant: divide by the std only
            outputs = inputs * ops.rsqrt(ops.var(inputs, axis=axes, keepdims=True) + self.epsilon)
            return outputs * shaped(self.gamma)
        outputs, _, _ = standardize(inputs, axes, self.epsilon, shaped(self.gamma),
                                    shaped(self.beta))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale, "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        })
        return config
