"""ActivityRegularization: passes its inputs through and adds a penalty on them to the loss.

    loss += (l1 * sum(|x|) + l2 * sum(x**2)) / batch_size

The penalty is the layer's ``activity_regularizer`` (an ``L1L2``), so it reaches
``layer.losses``, ``model.losses`` and the training loss like any activity regularizer.
"""

from kerlite import regularizers
from kerlite.layers.layer import Layer


class ActivityRegularization(Layer):
    """``keras.layers.ActivityRegularization(l1=0.0, l2=0.0)``; both factors are >= 0."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)  # rebuilt from l1 and l2
        config.update({"l1": self.l1, "l2": self.l2})
        return config
