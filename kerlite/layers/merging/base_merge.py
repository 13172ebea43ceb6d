"""Merge: the shared logic of the layers that combine a list of tensors.

Add, Subtract, Multiply, Average, Maximum and Minimum combine entry by entry: inputs need
the same shape, or shapes that broadcast (a size-1 axis stretches). Each subclass only
says how two tensors combine (``_merge_function``).
"""

from kerlite import ops
from kerlite.layers.layer import Layer


def _broadcast_shapes(first, second, layer_name):
    if len(first) != len(second):
        raise ValueError(
            f'Layer "{layer_name}": inputs have incompatible shapes (different ranks). '
            f"Received shapes {first} and {second}.")
    shape = []
    for a, b in zip(first, second):
        if a is None or b is None:
            shape.append(b if a == 1 else a if b == 1 else None)
        elif a == b or b == 1:
            shape.append(a)
        elif a == 1:
            shape.append(b)
        else:
            raise ValueError(
                f'Layer "{layer_name}": inputs have incompatible shapes. Received shapes '
                f"{first} and {second}: sizes {a} and {b} can neither match nor "
                "broadcast (one of them would have to be 1).")
    return tuple(shape)


class Merge(Layer):
    """Base class: called on a list of tensors, returns one tensor."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_shapes(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not all(
                isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(
                f'A merge layer ("{self.name}") should be called on a list of inputs, '
                f"e.g. layers.{type(self).__name__}()([x1, x2]). Received: "
                f"input_shape={input_shape} (not a list of shapes)")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. Got tensors with "
                f"shapes {list(input_shape)}")

    def build(self, input_shape):
        self._check_shapes(input_shape)
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        output = inputs[0]
        for other in inputs[1:]:
            output = self._merge_function(output, other)
        return output

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape)
        shape = tuple(input_shape[0])
        for other in input_shape[1:]:
            shape = _broadcast_shapes(shape, tuple(other), self.name)
        return shape

    def compute_mask(self, inputs, mask=None):
        """An entry is valid where every input's mask says so."""
        if mask is None or all(m is None for m in mask):
            return None
        masks = [m for m in mask if m is not None]
        output = masks[0]
        for other in masks[1:]:
            output = ops.logical_and(output, other)
        return output


class Add(Merge):
    """Sum of the inputs (``layers.Add()([x1, x2])``, a residual connection)."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def _merge_function(self, a, b):
        return ops.add(a, b)


class Subtract(Merge):
    """First input minus the second (exactly two inputs)."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def _check_shapes(self, input_shape):
        super()._check_shapes(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}")

    def _merge_function(self, a, b):
        return ops.subtract(a, b)


class Multiply(Merge):
    """Entry-by-entry product of the inputs."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def _merge_function(self, a, b):
        return ops.multiply(a, b)


class Maximum(Merge):
    """Entry-by-entry maximum of the inputs."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def _merge_function(self, a, b):
        return ops.maximum(a, b)


class Minimum(Merge):
    """Entry-by-entry minimum of the inputs."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def _merge_function(self, a, b):
        return ops.minimum(a, b)


class Average(Merge):
    """Mean of the inputs (e.g. to ensemble models: ``layers.average([y1, y2, y3])``)."""

    _base_config_only = True  # its config is Layer's (see layer_config.py)

    def call(self, inputs):
        return ops.divide(super().call(inputs), float(len(inputs)))

    def _merge_function(self, a, b):
        return ops.add(a, b)


def add(inputs, **kwargs):
    """Functional form of ``Add``: ``add([x1, x2])``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)
