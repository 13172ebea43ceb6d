"""Working out what a layer returns for symbolic inputs.

A layer that defines ``compute_output_shape`` is asked directly. Otherwise (a user layer
with only ``call``) the call is run on small arrays of zeros with no gradient recording.
If some input sizes are unknown (None), it runs twice with different stand-in sizes, and
an output axis whose size changes between the two runs is unknown (None) too.
"""

import math

from kerlite import arrays, safe_loading
from kerlite.autodiff.tensor import Tensor, _Recording
from kerlite.common import nest
from kerlite.layers.call_context import CallContext, note_losses
from kerlite.graph.keras_tensor import KerasTensor

_BATCH_SIZES = (2, 3)  # stand-ins for an unknown batch axis, one per trial run
_AXIS_SIZES = (24, 37)  # stand-ins for any other unknown axis


def is_shape(value):
    """True for one shape: a tuple/list of ints and Nones (not a list of shapes)."""
    return isinstance(value, (tuple, list)) and all(
        n is None or isinstance(n, int) for n in value)


def shapes_to_tensors(shapes, dtype):
    """KerasTensors for a shape or a (nested) structure of shapes."""
    if is_shape(shapes):
        return KerasTensor(tuple(shapes), dtype=dtype)
    if isinstance(shapes, dict):
        return {key: shapes_to_tensors(value, dtype) for key, value in shapes.items()}
    return type(shapes)(shapes_to_tensors(item, dtype) for item in shapes)


def _zeros_for(tensor, trial):
    """A stand-in for ``tensor``: zeros (True for a bool tensor: a mask that keeps every
    step), carrying a stand-in of its mask if it has one."""
    xp = arrays.get_array_module()
    sizes = [_BATCH_SIZES[trial] if (axis == 0 and n is None) else
             (_AXIS_SIZES[trial] if n is None else n)
             for axis, n in enumerate(tensor.shape)]
    if safe_loading.loading_in_progress():  # shapes chosen by a file
        safe_loading.check_array_bytes(
            math.prod(sizes) * xp.dtype(tensor.dtype).itemsize,
            f"a tensor of shape {tuple(tensor.shape)}")
    fill = xp.ones if tensor.dtype == "bool" else xp.zeros
    stand_in = Tensor(fill(sizes, dtype=tensor.dtype))
    mask = getattr(tensor, "_keras_mask", None)
    if isinstance(mask, KerasTensor):
        stand_in._keras_mask = _zeros_for(mask, trial)
    return stand_in


def _run(layer, args, kwargs, trial):
    def concrete(value):
        return _zeros_for(value, trial) if isinstance(value, KerasTensor) else value

    args = nest.map_structure(concrete, args)
    kwargs = nest.map_structure(concrete, kwargs)
    return layer._call_eagerly_for_spec(args, kwargs)


def infer_output_spec(layer, args, kwargs):
    """KerasTensors describing ``layer.call(*args, **kwargs)`` (no Node recorded)."""
    depth, trial = _Recording.depth, CallContext.shape_trial
    _Recording.depth = 0  # no gradients for the trial runs
    CallContext.shape_trial = any(t.shape and t.shape[0] is None for t in nest.flatten(
        [args, kwargs]) if isinstance(t, KerasTensor))  # the batch size is a stand-in
    saved_losses = [(inner, list(inner._losses)) for inner in layer._flatten_layers()]
    unknown = any(None in t.shape for t in nest.flatten([args, kwargs])
                  if isinstance(t, KerasTensor))
    try:
        outputs = _run(layer, args, kwargs, 0)
        first = nest.flatten(outputs)
        if unknown:  # a second run tells which output sizes follow the unknown ones
            outputs = _run(layer, args, kwargs, 1)
    finally:
        _Recording.depth, CallContext.shape_trial = depth, trial
        for inner, losses in saved_losses:  # losses of a trial run on zeros are not real
            inner._losses[:] = losses
        note_losses(inner for inner, _ in saved_losses)
    second = nest.flatten(outputs)
    specs = []
    for a, b in zip(first, second):
        if not hasattr(b, "shape"):
            raise TypeError(
                f'Layer "{layer.name}" returned {type(b).__name__} from call(); '
                "a layer must return tensors (use kerlite.ops inside call)."
            )
        shape = tuple(None if n != m else n for n, m in zip(a.shape, b.shape))
        specs.append(KerasTensor(shape, dtype=b.dtype))
    return nest.pack_like(outputs, specs)
