"""PReLU: a leaky ReLU whose negative slope ``alpha`` is learned, one per input unit.

    f(x) = x for x >= 0,  alpha * x below;  computed as relu(x) - alpha * relu(-x).

``alpha`` has the shape of one sample (``input_shape[1:]``); each axis listed in
``shared_axes`` gets size 1, so e.g. a Conv2D feature map can learn one slope per channel.
"""

from kerlite import constraints, initializers, ops, regularizers
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer


class PReLU(Layer):
    """``keras.layers.PReLU(alpha_initializer="Zeros", alpha_regularizer=None,
    alpha_constraint=None, shared_axes=None)``.

    One trainable weight, ``alpha``. ``shared_axes`` counts the batch axis as 0, so it
    takes positive axes 1 .. rank-1 (an int or a list of them).
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        rank = len(input_shape)
        shared = self.shared_axes or []
        for axis in shared:
            if not isinstance(axis, int) or not 1 <= axis < rank:
                raise ValueError(
                    f'PReLU layer "{self.name}": shared_axes must be axes 1 .. {rank - 1} '
                    f"of its rank-{rank} input (axis 0 is the batch). Received: "
                    f"shared_axes={self.shared_axes}, input_shape={tuple(input_shape)}.")
        param_shape = [1 if axis in shared else input_shape[axis] for axis in range(1, rank)]
        if None in param_shape:
            raise ValueError(
                f'PReLU layer "{self.name}" needs to know every non-shared axis of its '
                f"input to create alpha, but received input_shape={tuple(input_shape)}. "
                "Give the axis a size, or list it in `shared_axes`.")
        self.alpha = self.add_weight(
            shape=param_shape, name="alpha", initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        axes = {axis: input_shape[axis] for axis in range(1, rank) if axis not in shared}
        self.input_spec = InputSpec(ndim=rank, axes=axes)

    def call(self, inputs):
        return ops.subtract(ops.relu(inputs),
                            ops.multiply(self.alpha, ops.relu(ops.negative(inputs))))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        })
        return config
