"""TimeDistributed: apply the same layer (or a whole model) to every time step.

Input (batch, time, ...): the wrapped layer sees each (batch, ...) slice with the same
weights. kerlite folds time into the batch, ``(batch * time, ...)``, calls the layer once
and unfolds the result: one big call instead of one per step (same numbers, except for
layers that compute batch statistics in training, like BatchNormalization, which then
see all steps together).
"""

import inspect

from kerlite import ops
from kerlite.layers.wrappers.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """``keras.layers.TimeDistributed(layer)``, e.g. an image classifier over video frames::

        frames = keras.Input(shape=(20, 784))
        per_frame = layers.TimeDistributed(image_model)(frames)   # (None, 20, 10)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"`TimeDistributed` Layer should be passed an `input_shape` with at least "
                f"3 dimensions (batch, time, ...), received: {input_shape}"
            )
        return (input_shape[0], *input_shape[2:])

    def _child_output_shape(self, child_input_shape):
        try:
            return tuple(self.layer.compute_output_shape(child_input_shape))
        except (NotImplementedError, AttributeError, TypeError):
            outputs = getattr(self.layer, "outputs", None)  # a functional model
            if not outputs or len(outputs) != 1:
                raise
            return (child_input_shape[0], *outputs[0].shape[1:])

    def compute_output_shape(self, input_shape):
        child_output = self._child_output_shape(self._child_input_shape(input_shape))
        return (child_output[0], input_shape[1], *child_output[1:])

    def build(self, input_shape):
        super().build(self._child_input_shape(input_shape))

    def call(self, inputs, training=None, mask=None):
        inputs = ops.convert_to_tensor(inputs)
        batch, steps = inputs.shape[0], inputs.shape[1]
        folded = ops.reshape(inputs, (batch * steps, *inputs.shape[2:]))
        call_arguments = inspect.signature(self.layer.call).parameters
        kwargs = {}
        if "training" in call_arguments:
            kwargs["training"] = training
        if mask is not None and "mask" in call_arguments:
            mask_data = ops.convert_to_tensor(mask).data
            if tuple(mask_data.shape[:2]) != (batch, steps):
                raise ValueError(
                    f"The mask passed to TimeDistributed has shape {tuple(mask_data.shape)}, "
                    f"which does not start with the input's (batch, time) = "
                    f"({batch}, {steps})."
                )
            kwargs["mask"] = ops.reshape(mask, (batch * steps, *mask_data.shape[2:]))
        outputs = self.layer(folded, **kwargs)
        return ops.reshape(outputs, (batch, steps, *outputs.shape[1:]))
