"""The ops a saved model may name: one explicit registry, by exact public Keras name.

A functional model can apply ``keras.ops`` functions to its symbolic tensors
(``x + 1``, ``ops.matmul(a, b)``, ``ops.image.resize(x, (64, 64))``); a saved config names
each such op, and loading looks the name up **here and nowhere else**: a plain dict of
pure tensor functions, so no name in a file can reach another module by attribute
walking. Left out on purpose:

- control flow and higher-order ops (``cond``, ``scan``, ``map``, ``switch``,
  ``while_loop``, ``fori_loop``, ``vectorized_map``, ``custom_gradient``...): they take
  functions and run loops whose length a file would choose;
- ops that return no tensor or convert data (``shape``, ``convert_to_numpy``...);
- ops whose output size grows with a product of sizes in ways not estimated here
  (``kron``, ``vander``, ``diag``, convolutions with strides from the file...).

Ops whose output can be far larger than their inputs (``ones``, ``tile``, ``pad``,
``image.resize``, ``matmul``...) have a size estimate, checked *before* they run while a
model is being loaded, against ``max_array_bytes``; ``matmul``/``dot``/``einsum`` also
have a cost estimate, checked against ``max_operation_flops`` (see
``kerlite.safe_loading``). Pooling is left to the pooling layers (a window chosen by a
file would set the cost).

Keras 3 writes an op node as ``{"module": "keras.src.ops.numpy", "class_name": "Add",
"config": {"name": "add", ...}}``; kerlite writes ``{"class_name": "OperationLayer",
"config": {"function": "add", ...}}``. Both resolve to the same names: ``op_name_for_keras``
turns Keras's class name into ours (``"NotEqual"`` -> ``"not_equal"``,
``"keras.src.ops.image" / "Resize"`` -> ``"image.resize"``).
"""

import inspect
import math

import numpy

_ELEMENTWISE = (
    "abs absolute arccos arccosh arcsin arcsinh arctan arctanh cbrt ceil conj conjugate "
    "cos cosh deg2rad erf erfc erfinv exp exp2 expm1 fabs floor imag isfinite isinf isnan "
    "isneginf isposinf isreal log log10 log1p log2 logical_not negative nan_to_num rad2deg "
    "real reciprocal round rsqrt sign signbit sin sinc sinh sqrt square tan tanh trunc "
    "bitwise_invert bitwise_not angle copy stop_gradient cast saturate_cast "
    "celu elu gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh leaky_relu "
    "log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink softmax softplus "
    "softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh_shrink threshold "
    "ones_like zeros_like full_like empty_like"
).split()

_BROADCASTING = (
    "add subtract multiply divide true_divide floor_divide mod fmod power maximum minimum "
    "fmax fmin equal not_equal greater greater_equal less less_equal logical_and "
    "logical_or logical_xor arctan2 hypot logaddexp logaddexp2 heaviside divide_no_nan "
    "nextafter gcd lcm ldexp bitwise_and bitwise_or bitwise_xor left_shift right_shift "
    "bitwise_left_shift bitwise_right_shift isclose where clip"
).split()

# outputs no larger than the inputs together
_NOT_GROWING = (
    "all any amax amin max min mean median sum prod std var count_nonzero argmax argmin "
    "logsumexp nanmax nanmin nanmean nanmedian nansum nanprod nanstd nanvar nanargmax "
    "nanargmin ptp average trace norm moments cumsum cumprod nancumsum nancumprod "
    "reshape expand_dims squeeze transpose swapaxes moveaxis ravel flip fliplr flipud rot90 "
    "roll tril triu diagonal get_item slice concatenate stack split unstack array_split "
    "hsplit vsplit dsplit hstack vstack dstack sort argsort top_k in_top_k "
    "batch_normalization layer_normalization rms_normalization "
    "normalize depth_to_space space_to_depth binary_crossentropy "
    "categorical_crossentropy sparse_categorical_crossentropy slice_update"
).split()

_IMAGE_OPS = ("image.resize", "image.affine_transform")


def _elements(shape):
    return math.prod(int(n) for n in shape)


def _shape_of(value):
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else numpy.shape(value)


def _as_ints(value):
    """A shape-like argument (an int, or a list/tuple of ints) as a tuple of ints."""
    if isinstance(value, (int, numpy.integer)):
        return (int(value),)
    return tuple(int(n) for n in numpy.ravel(numpy.asarray(value)))


def _creation(arguments):
    return _elements(_as_ints(arguments["shape"]))


def _eye(arguments):
    rows = int(arguments.get("N", arguments.get("n", 0)))
    columns = arguments.get("M")
    return rows * (rows if columns is None else int(columns))


def _arange(arguments):
    start, stop = arguments["start"], arguments.get("stop")
    if stop is None:
        start, stop = 0, start
    step = arguments.get("step", 1) or 1
    return max(0, math.ceil((float(stop) - float(start)) / float(step)))


def _linspace(arguments):
    return int(arguments.get("num", 50)) * max(1, _elements(_shape_of(arguments["start"])))


def _broadcast_to(arguments):
    return _elements(_as_ints(arguments["shape"]))


def _tile(arguments):
    return _elements(_shape_of(arguments["x"])) * _elements(_as_ints(arguments["repeats"]))


def _repeat(arguments):
    return _elements(_shape_of(arguments["x"])) * max(_as_ints(arguments["repeats"]) or (1,))


def _pad(arguments):
    shape = _shape_of(arguments["x"])
    widths = numpy.broadcast_to(numpy.asarray(arguments["pad_width"], dtype=object),
                                (len(shape), 2)) if shape else []
    return _elements(int(n) + int(before) + int(after)
                     for n, (before, after) in zip(shape, widths))


def _one_hot(arguments):
    x = arguments.get("x", arguments.get("inputs"))
    return _elements(_shape_of(x)) * int(arguments.get("num_classes") or 1)


def _resize(arguments):
    shape = _shape_of(arguments["images"])
    spatial = shape[-2:] if arguments.get("data_format") == "channels_first" else shape[-3:-1]
    return _elements(shape) // max(1, _elements(spatial)) * _elements(_as_ints(arguments["size"]))


def _broadcast(arguments):
    shapes = [_shape_of(value) for value in arguments.values()
              if hasattr(value, "shape") or isinstance(value, (int, float, list, tuple))]
    try:
        return _elements(numpy.broadcast_shapes(*shapes))
    except ValueError:
        return 0  # not broadcastable: the op raises its own error


def _product_of_inputs(first, second):
    def estimate(arguments):
        return (_elements(_shape_of(arguments[first]))
                * _elements(_shape_of(arguments[second])))
    return estimate


def _matmul_shapes(arguments):
    a, b = _shape_of(arguments["x1"]), _shape_of(arguments["x2"])
    if len(a) < 2 or len(b) < 2:
        return None
    try:
        return a, b, numpy.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return None  # not compatible: the op raises its own error


def _matmul(arguments):
    shapes = _matmul_shapes(arguments)
    if shapes is None:  # vectors: at most the outer product
        return _elements(_shape_of(arguments["x1"])) * _elements(_shape_of(arguments["x2"]))
    a, b, batch = shapes
    return _elements(batch) * int(a[-2]) * int(b[-1])


def _matmul_work(arguments):
    shapes = _matmul_shapes(arguments)
    if shapes is None:
        return _matmul(arguments)
    a, b, batch = shapes
    return _elements(batch) * int(a[-2]) * int(a[-1]) * int(b[-1])


def _einsum_sizes(arguments):
    """{letter: size} and the size of the ``...`` block, and the output letters."""
    subscripts, operands = arguments["subscripts"], arguments["operands"]
    inputs, _, output = str(subscripts).replace(" ", "").partition("->")
    sizes, ellipsis = {}, 1
    for letters, operand in zip(inputs.split(","), operands):
        shape = _shape_of(operand)
        before, dots, after = letters.partition("...")
        if dots:
            end = len(shape) - len(after)
            ellipsis = max(ellipsis, _elements(shape[len(before):end]))
            dims = list(shape[:len(before)]) + list(shape[end:])
        else:
            dims = list(shape)
        for letter, n in zip(before + after, dims):
            sizes[letter] = max(sizes.get(letter, 1), int(n))
    letters = output if "->" in str(subscripts) else "".join(sizes)
    return sizes, ellipsis, letters.replace(".", "")


def _einsum(arguments):
    """The product of the output letters' sizes, times the largest ``...`` block."""
    sizes, ellipsis, output = _einsum_sizes(arguments)
    return _elements(sizes.get(letter, 1) for letter in output) * ellipsis


def _einsum_work(arguments):
    """A naive contraction's multiply-adds: the product of every letter's size."""
    sizes, ellipsis, _ = _einsum_sizes(arguments)
    return _elements(sizes.values()) * ellipsis


def _take(arguments):
    shape = _shape_of(arguments["x"])
    axis = arguments.get("axis")
    indices = _elements(_shape_of(arguments["indices"]))
    if axis is None or not shape:
        return indices
    return _elements(shape) // max(1, int(shape[int(axis)])) * indices


_ESTIMATES = {
    "ones": _creation, "zeros": _creation, "empty": _creation, "full": _creation,
    "eye": _eye, "identity": _eye, "tri": _eye, "arange": _arange, "linspace": _linspace,
    "broadcast_to": _broadcast_to, "tile": _tile, "repeat": _repeat, "pad": _pad,
    "one_hot": _one_hot, "multi_hot": _one_hot, "image.resize": _resize,
    "matmul": _matmul, "dot": _matmul, "outer": _product_of_inputs("x1", "x2"),
    "einsum": _einsum, "take": _take,
    "take_along_axis": _take,
    **{name: _broadcast for name in _BROADCASTING},
}

# multiply-adds of the ops whose cost grows faster than their output
_WORK_ESTIMATES = {"matmul": _matmul_work, "dot": _matmul_work, "einsum": _einsum_work}

SAVEABLE_OP_NAMES = tuple(sorted(set(_ELEMENTWISE + _BROADCASTING + _NOT_GROWING)
                                 | set(_ESTIMATES) | set(_IMAGE_OPS)))

_registry = {}


def _build_registry():
    """name -> function, fetched once for the names listed above (written here, never
    taken from a file), from the public names of ``kerlite.ops`` and ``kerlite.ops.image``
    (every public callable there is an op); a listed name they lack is left out."""
    from kerlite import ops
    from kerlite.ops import image

    modules = {"": ops, "image.": image}
    for name in SAVEABLE_OP_NAMES:
        prefix, _, short = name.rpartition(".")
        function = vars(modules[prefix + "." if prefix else ""]).get(short)
        if callable(function) and not isinstance(function, type):
            _registry[name] = function


def saveable_op(name):
    """The function of the op ``name`` (``"add"``, ``"image.resize"``), or None."""
    if not _registry:
        _build_registry()
    return _registry.get(name) if isinstance(name, str) else None


def op_name_for_keras(module, class_name):
    """Keras 3's op node (``"keras.src.ops.numpy"``, ``"NotEqual"``) -> ``"not_equal"``."""
    from kerlite.common.naming import to_snake_case

    name = to_snake_case(class_name)
    return f"image.{name}" if str(module).endswith(".image") else name


def check_output_size(name, function, args, kwargs):
    """Refuse, before it runs, an op whose estimated output passes ``max_array_bytes`` or
    whose estimated multiply-adds pass ``max_operation_flops``."""
    from kerlite import safe_loading

    estimate, work = _ESTIMATES.get(name), _WORK_ESTIMATES.get(name)
    if estimate is None:
        return
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError:
        return  # wrong arguments: the op itself raises a TypeError that says so
    arguments = dict(bound.arguments)
    try:
        elements = estimate(arguments)
        flops = work(arguments) if work is not None else 0
        dtype = arguments.get("dtype")
        itemsize = max(4, numpy.dtype(dtype).itemsize) if dtype else 4
    except (TypeError, ValueError, KeyError, IndexError, OverflowError):
        raise ValueError(
            f"The operation '{name}' in this file has arguments kerlite cannot check: "
            f"{args[1:] if args else ''} {kwargs}. Refused while loading.") from None
    safe_loading.check_array_bytes(elements * itemsize,
                                   f"an operation '{name}' producing {elements} elements")
    safe_loading.check_operation_flops(flops, f"an operation '{name}' of {flops} "
                                              "multiply-adds")
