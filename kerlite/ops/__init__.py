"""Differentiable array operations with the names and meaning of ``keras.ops``.

Every op accepts Tensors, NumPy/CuPy arrays and Python numbers, returns a ``Tensor``,
and (while a GradientTape records) remembers its backward rule, written next to it.
"""

from kerlite.ops.activation_ops import (celu, elu, gelu, glu, hard_shrink, hard_sigmoid,
                                        hard_silu, hard_swish, hard_tanh, leaky_relu,
                                        log_sigmoid, mish, relu, relu6, selu, sigmoid, silu,
                                        soft_shrink, softplus, softsign, sparse_plus,
                                        sparse_sigmoid, sparsemax, squareplus, swish,
                                        tanh_shrink, threshold)
from kerlite.ops.arithmetic import (add, divide, floor_divide, maximum, minimum, mod,
                                    multiply, negative, power, subtract, true_divide)
from kerlite.ops.comparison import (equal, greater, greater_equal, isclose, isfinite,
                                    isinf, isnan, less, less_equal, logical_and,
                                    logical_not, logical_or, logical_xor, not_equal)
from kerlite.ops.control_flow import cond, fori_loop, vectorized_map, while_loop
from kerlite.ops.core import (cast, convert_to_numpy, convert_to_tensor, is_tensor, ndim,
                              shape, size, stop_gradient)
from kerlite.ops.creation import (arange, eye, full, full_like, identity, linspace, ones,
                                  ones_like, tri, zeros, zeros_like)
from kerlite.ops.crossentropy import (binary_crossentropy, categorical_crossentropy,
                                      sparse_categorical_crossentropy)
from kerlite.ops.elementwise import (abs, absolute, arctan, ceil, clip, cos, erf, exp,
                                     expm1, floor, log, log1p, reciprocal, round, rsqrt,
                                     sign, sin, sqrt, square, tan, tanh)
from kerlite.ops.indexing import (get_item, one_hot, slice, slice_update, take,
                                  take_along_axis, where)
from kerlite.ops.joining import (concatenate, pad, repeat, split, stack, tile,
                                 unstack)
from kerlite.ops.products import dot, einsum, matmul, outer, tensordot
from kerlite.ops.norms import moments, norm, normalize
from kerlite.ops.reductions import (all, amax, amin, any, count_nonzero, cumsum, max,
                                    mean, min, prod, std, sum, var)
from kerlite.ops.shape import (broadcast_to, expand_dims, flip, moveaxis, ravel, reshape,
                               squeeze, swapaxes, transpose, tril, triu)
from kerlite.ops.softmax import log_softmax, logsumexp, softmax
from kerlite.ops.sorting import argmax, argmin, argsort, sort, top_k

# Importing the module kerlite/ops/shape.py bound the name `shape` to that module; make
# `ops.shape` the function again (the module stays importable as kerlite.ops.shape).
from kerlite.ops.core import shape  # noqa: E402,F811
from kerlite.ops.recurrent import gru, lstm, simple_rnn
from kerlite.ops.convolution import conv, conv_transpose, depthwise_conv, separable_conv
from kerlite.ops.pooling import average_pool, max_pool
from kerlite.ops.adaptive_pooling import *  # noqa: F401,F403
from kerlite.ops.numpy_like import *  # noqa: F401,F403
from kerlite.ops.nn_linalg import *  # noqa: F401,F403

# Let every op accept the symbolic KerasTensors of a functional model, as Keras 3 does:
# `ops.add(x, y)` on two model inputs adds a node to the graph instead of failing.
from kerlite.graph.dispatch import symbolic_dispatch as _symbolic_dispatch  # noqa: E402

class _Unwrapped:
    """The ops without the symbolic check, for Tensor's Python operators (a hot path:
    a Tensor is never symbolic, and KerasTensor has operators of its own)."""


# Every public callable imported above is an op: this file imports nothing else under a
# public name (tests/test_no_module_name_switches.py checks it). `ops.dtype` returns a
# name, not a tensor: it answers for a KerasTensor directly.
for _name, _value in list(globals().items()):
    if callable(_value) and not _name.startswith("_") and _name != "dtype":
        setattr(_Unwrapped, _name, staticmethod(_value))
        globals()[_name] = _symbolic_dispatch(_value)
del _name, _value

# Tensor's Python operators (a + b, a @ b, a[i]) run these (see autodiff/tensor.py).
from kerlite.autodiff import tensor as _tensor  # noqa: E402

_tensor.use_ops(_Unwrapped)

from kerlite.ops import image  # noqa: E402  (keras.ops.image: resize, affine_transform)
from kerlite.ops import linalg  # noqa: E402  (keras.ops.linalg: det, inv, solve...)
from kerlite.ops import nn  # noqa: E402  (keras.ops.nn: the same functions by that name)
