"""Softmax: exp(x) / sum(exp(x)) along ``axis`` as a layer, with an optional mask.

A mask (1/True = keep) is applied the Keras way: masked logits are replaced by a large
negative number before the softmax, so they get (almost) no probability, and their
outputs are then set to exactly 0; a fully masked row gives all zeros.
"""

from kerlite import ops
from kerlite.layers.layer import Layer


class Softmax(Layer):
    """``keras.layers.Softmax(axis=-1)``; ``axis`` may be an int or a list of ints.

    Call arguments:
        inputs: the logits.
        mask: optional, broadcastable to ``inputs`` (each axis 1 or the input's size,
            and no more axes than ``inputs``); non-boolean masks keep entries > 0.5.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._boolean_mask(inputs, mask)
            inputs = ops.where(mask, inputs, _large_negative_number(inputs.dtype))
        outputs = ops.softmax(inputs, axis=self.axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, 0.0)
        return outputs

    def _boolean_mask(self, inputs, mask):
        """Check that ``mask`` broadcasts to ``inputs``; return it as booleans."""
        mask = ops.convert_to_tensor(mask)
        if mask.ndim > inputs.ndim:
            raise ValueError(
                f'Softmax layer "{self.name}": the `mask` must be broadcastable to '
                "`inputs` and must not have more dimensions. Received: "
                f"inputs.shape={inputs.shape}, mask.shape={mask.shape}")
        for mask_size, input_size in zip(mask.shape[::-1], inputs.shape[::-1]):
            if mask_size not in (1, input_size):
                raise ValueError(
                    f'Softmax layer "{self.name}": the `mask` must be broadcastable to '
                    "`inputs`. Each mask dimension must be 1 or match the corresponding "
                    f"input dimension. Received: inputs.shape={inputs.shape}, "
                    f"mask.shape={mask.shape}")
        if mask.dtype != "bool":
            mask = ops.greater(mask, 0.5)
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _large_negative_number(dtype):
    """Stands in for -inf on masked logits: -1e9, or -3e4 where float16 cannot hold it."""
    return -3e4 if dtype == "float16" else -1e9
