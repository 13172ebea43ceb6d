"""Layer: the building block of every model (as ``keras.layers.Layer``).

A layer holds weights (``add_weight``) and computes ``call(inputs)``. ``layer(x)``:

1. builds the layer the first time, from the input shape (``build(input_shape)``);
2. on a symbolic ``KerasTensor``: works out the output shape and records a ``Node``
   (this is how functional models are described; a Layer is a graph ``Operation``);
3. on arrays or Tensors: computes the result eagerly and returns Tensors.

Nested layers assigned as attributes (``self.dense = Dense(3)``, or in a list) are
tracked: their weights are part of this layer's weights.
"""

import functools
import inspect
import warnings

import numpy

from kerlite import arrays, ops
from kerlite.autodiff.tensor import Tensor
from kerlite.common import nest
from kerlite.graph.input_spec import InputSpec, assert_input_compatibility  # noqa: F401
from kerlite.graph.keras_tensor import KerasTensor, any_symbolic
from kerlite.graph.operation import Operation
from kerlite.layers import layer_config, layer_weights, output_spec
from kerlite.layers.call_context import CallContext
from kerlite.layers.layer_snapshot import LayerSnapshot
from kerlite.layers.node_accessors import NodeAccessorsMixin


class Layer(Operation, layer_weights.WeightsMixin, layer_config.ConfigMixin,
            NodeAccessorsMixin):
    """Base class of all layers. Subclass it and define ``build`` and ``call``.

    Args:
        name: unique name; by default the snake_case class name (``dense``, ``dense_1``).
        dtype: the dtype of weights and computations (``"float32"``).
        trainable: whether the weights are updated by training.
        activity_regularizer: a penalty on the layer's output, added to ``losses``.
        input_shape / input_dim: Keras 2 way to give a Sequential model its input
            shape (accepted with a warning: prefer ``keras.Input(shape)``).
    """

    built = False  # until build() has run (also if a subclass forgot super().__init__)
    _call_positional = ()  # call's positional parameters after self (per subclass)

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        layer._init_arguments = (args, kwargs)  # for the automatic get_config
        return layer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        parameters = inspect.signature(cls.call).parameters
        cls._call_params = frozenset(parameters)
        cls._call_positional = tuple(
            name for name, p in parameters.items()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))[1:]  # after self
        if "build" in cls.__dict__:
            cls.build = _mark_built_after(cls.__dict__["build"])

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None,
                 autocast=True, name=None, **kwargs):
        from kerlite import regularizers

        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        if input_dim is not None:
            input_shape = (input_dim,)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{kwargs}"
            )
        if input_shape is not None or batch_input_shape is not None:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                "using Sequential models, prefer using an `Input(shape)` object as "
                "the first layer in the model instead.", UserWarning, stacklevel=2)
            self._input_shape_arg = (tuple(batch_input_shape) if batch_input_shape
                                     else (batch_size,) + tuple(_as_tuple(input_shape)))
        else:
            self._input_shape_arg = None
        Operation.__init__(self, name=name)  # name, _inbound_nodes, _outbound_nodes
        self._dtype = arrays.standardize_dtype(
            dtype.get("config", {}).get("name") if isinstance(dtype, dict) else dtype)
        self._numpy_dtype = numpy.dtype(self._dtype)
        self._trainable = bool(trainable)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        # As Keras: a layer that defines compute_mask supports masking.
        self.supports_masking = (getattr(self, "supports_masking", False)
                                 or _overrides(self, "compute_mask"))
        self.input_spec = None
        self._build_input_shape = None
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._losses = []

    # --- dtype ---------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    variable_dtype = compute_dtype = dtype

    # --- to override ---------------------------------------------------------------
    def build(self, input_shape=None):
        """Create the weights, knowing the input shape. The default creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The computation: ``inputs`` (Tensors) -> outputs, with ``kerlite.ops``."""
        raise TypeError(
            f'Layer "{self.name}" ({type(self).__name__}) has no `call` method. A '
            "layer subclass must define `def call(self, inputs): ...`."
        )

    def compute_output_shape(self, *args, **kwargs):
        """Output shape for an input shape; found by a trial run unless overridden."""
        specs = output_spec.infer_output_spec(
            self, tuple(output_spec.shapes_to_tensors(s, self.dtype) for s in args), kwargs)
        return nest.map_structure(lambda t: t.shape, specs)

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs: the input mask if the layer supports masking."""
        return mask if self.supports_masking else None

    # --- calling -------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if not args:
            if "inputs" not in kwargs:
                raise TypeError(
                    f'Layer "{self.name}" was called without an input. Call it on a '
                    "tensor: `y = layer(x)`."
                )
            args = (kwargs.pop("inputs"),)
        if len(args) == 1 and type(args[0]) is Tensor and (
                not kwargs or kwargs.keys() == _TRAINING_ONLY):  # eager layer(x)
            return self._eager_call(args, kwargs)
        if len(args) > 1:
            args, kwargs = self._context_arguments_by_name(args, kwargs)
        if any_symbolic(args) or (kwargs and any_symbolic(kwargs)):
            return self._symbolic_call(args, kwargs)
        return self._eager_call(args, kwargs)

    def _context_arguments_by_name(self, args, kwargs):
        """``model(x, True)``: a ``training`` or ``mask`` given by position becomes a
        keyword (with the arguments after it), as Keras binds them to ``call``'s
        signature; the other positional arguments stay (``layer(query, value)``)."""
        positional = self._call_positional
        where = [positional.index(name) for name in ("training", "mask")
                 if name in positional and positional.index(name) < len(args)]
        if not where:
            return args, kwargs
        first = min(where)
        kwargs = dict(kwargs)
        for name, value in zip(positional[first:], args[first:]):
            if name in kwargs:
                raise TypeError(
                    f'Layer "{self.name}" got two values for argument `{name}`: one by '
                    "position and one by keyword.")
            kwargs[name] = value
        return args[:first], kwargs

    def _check_initialized(self):
        if "_inbound_nodes" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ did not call `super().__init__()`. Add "
                "`super().__init__(**kwargs)` as the first line of your `__init__`.")

    def _eager_call(self, args, kwargs):
        """Compute on concrete inputs: prepare them, run ``call``, attach masks/losses.

        A first call that fails leaves the layer unbuilt, as it was (see LayerSnapshot).
        """
        snapshot = None if self.built else self._snapshot()
        try:
            args = self._prepare_inputs(args)
            training = kwargs.pop("training", None)
            if training is None:
                training = CallContext.training
            if "training" in self._call_params:
                kwargs["training"] = training
            mask = self._resolve_mask(args[0], kwargs)
            if CallContext.depth == 0 and CallContext.layers_with_losses:
                self._clear_losses()
            saved_training = CallContext.training
            CallContext.training, CallContext.depth = training, CallContext.depth + 1
            try:
                outputs = self.call(*args, **kwargs)
            finally:
                CallContext.training, CallContext.depth = saved_training, CallContext.depth - 1
            if self.supports_masking and (mask is not None
                                          or _overrides(self, "compute_mask")):
                self._set_output_masks(outputs, self._output_masks(args[0], outputs, mask))
        except BaseException:
            if snapshot is not None:
                snapshot.restore()
            raise
        if self.activity_regularizer is not None:
            self._add_activity_loss(outputs)
        return outputs

    def _snapshot(self):
        self._check_initialized()
        return LayerSnapshot(self)

    def _prepare_inputs(self, args):
        """Arrays become Tensors (floats in the layer's dtype); build; check the spec."""
        if not self.built:
            self._check_initialized()
        first = args[0]
        if not isinstance(first, Tensor) or (
                self.autocast and first.data.dtype != self._numpy_dtype
                and first.data.dtype.kind == "f"):
            args = (self._convert_inputs(first),) + args[1:]
        if not self.built:
            self._build_from_inputs(args)
        spec = self.input_spec
        if spec is not None:
            # Every training step calls with the shape of the step before: check once.
            checked = (spec, getattr(args[0], "shape", None))
            if checked != self.__dict__.get("_checked_input"):
                assert_input_compatibility(spec, args[0], self.name)
                if checked[1] is not None:
                    self._checked_input = checked
        return args

    def _resolve_mask(self, inputs, kwargs):
        """The input mask (given, or carried by the inputs); passed to call if it asks."""
        mask = kwargs.get("mask")
        if mask is None:
            mask = _mask_of(inputs)
        if "mask" in self._call_params:
            if mask is not None:
                kwargs["mask"] = mask
        elif "mask" in kwargs:  # a mask for a layer whose call takes none
            del kwargs["mask"]
        return mask

    def _call_eagerly_for_spec(self, args, kwargs):
        """One trial run for shape inference: inference mode, no losses kept."""
        kwargs = dict(kwargs)
        kwargs["training"] = False
        return self._eager_call(args, kwargs)

    def _symbolic_call(self, args, kwargs):
        """Describe the call on KerasTensors: output KerasTensors, their masks, a Node.

        As Keras: the mask carried by the first input (or given as ``mask=``) is passed
        to ``call`` when it takes a ``mask`` argument, and ``compute_mask`` gives the
        outputs' ``_keras_mask`` (KerasTensors of dtype bool). The Node keeps the
        arguments as given, so running the model passes the masks of the real data.
        A call that fails leaves the layer as it was: not built, no weights, no node.
        """
        self._check_initialized()
        for leaf in nest.flatten(args[0]):
            if not isinstance(leaf, KerasTensor) and leaf is not None:
                raise ValueError(
                    f'Layer "{self.name}" received a mix of symbolic and concrete '
                    f"inputs: {leaf!r} of type {type(leaf).__name__}. In a functional "
                    "model every input of a layer must be a KerasTensor."
                )
        snapshot = None if self.built else LayerSnapshot(self)
        try:
            if not self.built:
                self._build_from_inputs(args)
            assert_input_compatibility(self.input_spec, args[0], self.name)
            previous_mask = kwargs.get("mask")
            if previous_mask is None:
                previous_mask = _mask_of(args[0])
            call_kwargs = kwargs
            if (previous_mask is not None and kwargs.get("mask") is None
                    and "mask" in self._call_params):
                call_kwargs = dict(kwargs, mask=previous_mask)
            outputs = self._output_spec(args, call_kwargs)
            masks = None
            if self.supports_masking:
                masks = self._output_masks(args[0], outputs, previous_mask)
        except BaseException:
            if snapshot is not None:
                snapshot.restore()
            raise
        self._record_call(args, kwargs, outputs)
        self._set_output_masks(outputs, masks)
        return outputs

    def _output_spec(self, args, kwargs):
        """The output KerasTensors: from compute_output_spec, compute_output_shape, or a
        trial run of ``call`` on zeros (see output_spec.py)."""
        if _overrides(self, "compute_output_spec"):
            if "mask" in kwargs and not _accepts(type(self).compute_output_spec, "mask"):
                kwargs = {key: value for key, value in kwargs.items() if key != "mask"}
            return self.compute_output_spec(*args, **kwargs)
        if _overrides(self, "compute_output_shape") and not self._has_unbuilt_sublayers():
            shapes = self.compute_output_shape(_shapes_of(args[0]))
            return output_spec.shapes_to_tensors(shapes, self._dtype)
        return output_spec.infer_output_spec(self, args, kwargs)

    def _convert_inputs(self, inputs):
        def convert(value):
            if isinstance(value, Tensor):
                if (self.autocast and value.data.dtype.kind == "f"
                        and value.data.dtype != self._numpy_dtype):
                    return ops.cast(value, self._dtype)
                return value
            if value is None:
                return None
            if hasattr(value, "shape") and hasattr(value, "dtype"):  # NumPy/CuPy array
                kind = numpy.dtype(str(value.dtype)).kind
                dtype = self._dtype if (self.autocast and kind == "f") else None
                return ops.convert_to_tensor(value, dtype)
            raise ValueError(
                f'Layer "{self.name}" expects tensors or arrays as input, but received '
                f"{type(value).__name__}: {value!r:.80}. Convert the data first, e.g. "
                '`numpy.asarray(x, dtype="float32")`.'
            )

        return nest.map_structure(convert, inputs)

    def _build_from_inputs(self, args):
        """Call ``build`` with the input shape (one shape per tensor argument)."""
        shapes = _shapes_of(args[0])
        parameters = inspect.signature(self.build).parameters
        required = [p for p in parameters.values() if p.default is p.empty
                    and p.kind == p.POSITIONAL_OR_KEYWORD]
        if len(required) > 1 and len(args) >= len(required):
            build_args = [_shapes_of(arg) for arg in args[:len(required)]]
        else:
            build_args = [shapes]
        self.build(*build_args)
        self.built = True
        self._record_build_shapes(build_args)

    def _record_build_shapes(self, build_args):
        """Keep the shapes ``build`` received (as Keras's ``_build_shapes_dict``): the
        summary shows a layer that has no node (inside a subclassed model) with the
        output shape for them. The first build counts; in a trial run (output_spec.py)
        the batch size is a stand-in, so it is kept as None."""
        if self.__dict__.get("_built_with_shapes") is not None:
            return
        if CallContext.shape_trial:
            build_args = [_without_batch_size(arg) for arg in build_args]
        self._built_with_shapes = tuple(build_args)

    def _has_unbuilt_sublayers(self):
        return any(not layer.built for layer in self._flatten_layers(include_self=False))

    def _output_masks(self, inputs, outputs, previous_mask):
        """The outputs' masks from ``compute_mask`` (a flat list, one per output), or
        None. As Keras: not asked when every output already carries a mask (``call``
        set it), and a single mask goes to the first output only."""
        flat_outputs = nest.flatten(outputs)
        if all(getattr(t, "_keras_mask", None) is not None for t in flat_outputs):
            return None
        output_mask = self.compute_mask(inputs, previous_mask)
        if output_mask is None:
            return None
        return nest.flatten(output_mask)

    @staticmethod
    def _set_output_masks(outputs, masks):
        """Attach each mask to its output, unless the output already has one."""
        if masks is None:
            return
        for tensor, tensor_mask in zip(nest.flatten(outputs), masks):
            if tensor_mask is None or getattr(tensor, "_keras_mask", None) is not None:
                continue
            try:
                tensor._keras_mask = tensor_mask
            except AttributeError:
                pass

    def _add_activity_loss(self, outputs):
        for output in nest.flatten(outputs):
            if isinstance(output, Tensor):
                loss = self.activity_regularizer(output)
                if output.ndim > 0 and output.shape[0]:  # per sample, as Keras 3
                    loss = ops.divide(loss, float(output.shape[0]))
                self.add_loss(loss)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _mark_built_after(build):
    """Wrap a subclass's ``build`` so it records the shape and sets ``built``."""

    @functools.wraps(build)
    def wrapped(self, *shapes, **kwargs):
        build(self, *shapes, **kwargs)
        self.built = True
        if shapes and self._build_input_shape is None:
            self._build_input_shape = shapes[0]
        if shapes and not kwargs:
            self._record_build_shapes(shapes)

    return wrapped


_TRAINING_ONLY = {"training"}  # layer(x, training=...) on a Tensor: surely eager

_OVERRIDES = {}  # (layer class, method name) -> does the class override Layer's method?


def _overrides(layer, method):
    key = (type(layer), method)
    found = _OVERRIDES.get(key)
    if found is None:
        found = getattr(type(layer), method, None) is not getattr(Layer, method, None)
        _OVERRIDES[key] = found
    return found


_ACCEPTS = {}  # (function, argument name) -> does the function take that argument?


def _accepts(function, name):
    key = (function, name)
    found = _ACCEPTS.get(key)
    if found is None:
        parameters = inspect.signature(function).parameters
        found = name in parameters or any(
            p.kind == p.VAR_KEYWORD for p in parameters.values())
        _ACCEPTS[key] = found
    return found


def _as_tuple(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _without_batch_size(shapes):
    """A shape (or a structure of shapes) with its first axis as None."""
    if output_spec.is_shape(shapes):
        return (None,) + tuple(shapes[1:]) if len(shapes) else tuple(shapes)
    if isinstance(shapes, dict):
        return {key: _without_batch_size(value) for key, value in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(_without_batch_size(item) for item in shapes)
    return shapes


def _shapes_of(structure):
    return nest.map_structure(
        lambda t: tuple(t.shape) if hasattr(t, "shape") else None, structure)


def _mask_of(inputs):
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(t, "_keras_mask", None) for t in inputs]
        return masks if any(m is not None for m in masks) else None
    return getattr(inputs, "_keras_mask", None)

