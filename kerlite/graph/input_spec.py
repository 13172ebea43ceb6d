"""InputSpec: what a layer accepts (rank, sizes of some axes), checked at call time.

A wrong input fails at the line that connects it, naming the layer and both shapes::

    Input 0 of layer "dense_1" is incompatible with the layer: expected axis -1 of
    input shape to have value 784, but received input with shape (None, 32)
"""

from kerlite.common import nest


class InputSpec:
    """The expected rank and axis sizes of one input (as ``keras.layers.InputSpec``)."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(axis): value for axis, value in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self):
        parts = [f"{key}={value}" for key, value in (
            ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
            ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
            ("axes", self.axes or None)) if value is not None]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _problem(spec, shape):
    """What is wrong with ``shape`` for ``spec`` (a sentence), or None if it fits."""
    ndim = len(shape)
    if spec.ndim is not None and ndim != spec.ndim and not (
            spec.allow_last_axis_squeeze and ndim == spec.ndim + 1 and shape[-1] == 1):
        return f"expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}"
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        return (f"expected max_ndim={spec.max_ndim}, found ndim={ndim}. "
                f"Full shape received: {shape}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        return (f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                f"Full shape received: {shape}")
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if not -ndim <= axis < ndim:
            return (f"expected axis {axis} of input shape to have value {value}, but "
                    f"received input with shape {shape}")
        if shape[axis] is not None and shape[axis] != value:
            return (f"expected axis {axis} of input shape to have value {value}, but "
                    f"received input with shape {shape}")
    if spec.shape is not None and ndim == len(spec.shape):
        for expected, got in zip(spec.shape, shape):
            if expected is not None and got is not None and expected != got:
                return f"expected shape={spec.shape}, found shape={shape}"
    return None


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise ValueError if ``inputs`` do not fit ``input_spec`` (a spec or a list)."""
    if input_spec is None:
        return
    if isinstance(input_spec, InputSpec) and hasattr(inputs, "shape"):  # the common case
        problem = _problem(input_spec, tuple(inputs.shape))
        if problem:
            raise ValueError(
                f'Input 0 of layer "{layer_name}" is incompatible with the layer: {problem}')
        return
    specs = nest.flatten(input_spec)
    tensors = nest.flatten(inputs)
    if len(specs) > 1 and len(tensors) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(tensors)} input tensors. Inputs received: {inputs}"
        )
    for index, (spec, tensor) in enumerate(zip(specs, tensors)):
        if spec is None or tensor is None:
            continue
        shape = getattr(tensor, "shape", None)
        if shape is None:
            continue
        problem = _problem(spec, tuple(shape))
        if problem:
            raise ValueError(
                f'Input {index} of layer "{layer_name}" is incompatible with the '
                f"layer: {problem}"
            )
