"""Operations on KerasTensors (``x + y``, ``x * 2``, ``x[:, 0]``, ``ops.add(x, y)``).

Each such operation becomes a small weightless layer (an ``OperationLayer``) in the
graph, as Keras 3 makes an Operation: its node keeps the tensor arguments, and the
constant arguments (``2``, the slice) are stored on the layer. ``model.layers`` leaves
these out (as Keras does); ``model._operations`` and the summary include them.

``kerlite/graph/`` sits below ``ops`` and ``layers``, so it cannot make these layers
itself: this module registers ``symbolic_op`` there when it is imported (``import
kerlite`` does), with ``kerlite.graph.symbolic_ops.register_symbolic_op``.

A saved op is found again by its public name in one explicit registry
(``kerlite.ops.saveable_ops``): a file cannot name anything else, and ops that take
functions or run loops (``cond``, ``scan``...) cannot be saved or loaded at all.
"""

from kerlite import ops, safe_loading
from kerlite.common import nest
from kerlite.graph import symbolic_ops
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.layer import Layer
from kerlite.ops.saveable_ops import check_output_size, saveable_op
from kerlite.serialization.object_registration import register_keras_serializable
from kerlite.common import naming

_OP_CLASSES = {}


class _Slot:
    """Marks where the i-th tensor input goes in an operation's arguments."""

    def __init__(self, index):
        self.index = index


def _find_op(name):
    """The registered op of that public name (``add``, ``image.resize``); see saveable_ops."""
    function = saveable_op(name)
    if function is None:
        raise ValueError(
            f"The operation {name!r} is not one a saved model may use: only the pure "
            "tensor operations listed in kerlite.ops.saveable_ops.SAVEABLE_OP_NAMES are "
            "saved and loaded (no control flow, loops, I/O or functions of functions). "
            "To save such a computation, wrap it in a Layer subclass registered with "
            "@keras.saving.register_keras_serializable().")
    return function


def _op_name(function):
    """The name ``_find_op`` finds ``function`` by: ``add``, or ``image.resize`` for an op
    of a submodule of kerlite.ops."""
    name = function.__name__
    if getattr(ops, name, None) is None:
        submodule = function.__module__.rsplit(".", 1)[-1]
        if getattr(getattr(ops, submodule, None), name, None) is not None:
            return f"{submodule}.{name}"
    return name


def _encode(value):
    """A template value as plain JSON data (slots, slices, Ellipsis and tuples marked)."""
    if isinstance(value, _Slot):
        return {"__slot__": value.index}
    if isinstance(value, slice):
        return {"__slice__": [_encode(value.start), _encode(value.stop), _encode(value.step)]}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()  # a NumPy scalar
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(
        f"Cannot save an operation on a KerasTensor whose argument is {value!r} of type "
        f"{type(value).__name__}; wrap the computation in a Layer to save the model.")


def _decode(value):
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__slot__" in value:
        return _Slot(value["__slot__"])
    if "__slice__" in value:
        return slice(*(_decode(item) for item in value["__slice__"]))
    if "__ellipsis__" in value:
        return Ellipsis
    if "__tuple__" in value:
        return tuple(_decode(item) for item in value["__tuple__"])
    return {key: _decode(item) for key, item in value.items()}


class OperationLayer(Layer):
    """A weightless layer that applies one ``kerlite.ops`` function (see module doc)."""

    _op_name = "operation"

    def __init__(self, function, template, **kwargs):
        if "name" not in kwargs:
            kwargs["name"] = naming.unique_name(self._op_name.rsplit(".", 1)[-1])
        super().__init__(autocast=False, **kwargs)
        self.function = function
        self.template = template  # (args, kwargs) with _Slot where tensors go
        self.built = True

    def call(self, inputs):
        tensors = inputs if isinstance(inputs, list) else [inputs]

        def fill(value):
            if not isinstance(value, _Slot):
                return value
            if not (isinstance(value.index, int) and 0 <= value.index < len(tensors)):
                raise ValueError(
                    f"Operation '{self.name}' refers to tensor input {value.index!r}, but "
                    f"it was called with {len(tensors)} tensor(s).")
            return tensors[value.index]

        args, kwargs = nest.map_structure(fill, self.template)
        if safe_loading.loading_in_progress():  # a file chose these arguments
            check_output_size(self._op_name, self.function, args, kwargs)
        return self.function(*args, **kwargs)

    def get_config(self):
        _find_op(self._op_name)  # refuse to save what could not be loaded
        return {"name": self.name, "function": self._op_name,
                "template": _encode(list(self.template))}

    @classmethod
    def from_config(cls, config):
        function = _find_op(config["function"])
        args, kwargs = _decode(config["template"])
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ValueError(f"Invalid operation config for {config.get('name')!r}: "
                             "`template` must be [args list, kwargs dict].")
        op_class = _op_class(config["function"])
        return op_class(function, (args, kwargs), name=config["name"])


register_keras_serializable(package="kerlite", name="OperationLayer")(OperationLayer)


def _op_class(name):
    """One OperationLayer subclass per operation, named as Keras's (``Add``, ``GetItem``)
    so summaries read the same; all are saved as ``kerlite>OperationLayer``."""
    if name not in _OP_CLASSES:
        camel = "".join(part.capitalize() for part in name.rsplit(".", 1)[-1].split("_"))
        op_class = type(camel, (OperationLayer,), {"__module__": __name__, "_op_name": name})
        register_keras_serializable(package="kerlite", name="OperationLayer")(op_class)
        _OP_CLASSES[name] = op_class
    return _OP_CLASSES[name]


def symbolic_op(name, *args, **kwargs):
    """Apply ``kerlite.ops.<name>`` to arguments that include KerasTensors."""
    function = _find_op(name) if isinstance(name, str) else name
    op_name = name if isinstance(name, str) else _op_name(function)
    tensors = []

    def take(value):
        if isinstance(value, KerasTensor):
            tensors.append(value)
            return _Slot(len(tensors) - 1)
        return value

    template = nest.map_structure(take, (list(args), dict(kwargs)))
    layer = _op_class(op_name)(function, template)
    return layer(tensors if len(tensors) > 1 else tensors[0])


def is_op_layer(layer):
    return isinstance(layer, OperationLayer)


symbolic_ops.register_symbolic_op(symbolic_op)
