"""Differentiable array operations with the names and meaning of ``keras.ops``.

Every op accepts Tensors, NumPy/CuPy arrays and Python numbers, returns a ``Tensor``,
and (while a GradientTape records) remembers its backward rule, written next to it.
"""

from kerlite.ops.arithmetic import (add, divide, floor_divide, mod, multiply, negative,
                                    power, subtract, true_divide)
from kerlite.ops.comparison import (equal, greater, greater_equal, less, less_equal,
                                    logical_and, logical_not, logical_or, not_equal)
from kerlite.ops.creation import (cast, convert_to_numpy, convert_to_tensor, ones, shape,
                                  zeros)
from kerlite.ops.elementwise import abs, absolute, clip, exp, log, sqrt, square
from kerlite.ops.linalg import dot, matmul
from kerlite.ops.reductions import amax, amin, max, mean, min, sum
from kerlite.ops.shape import (concatenate, expand_dims, get_item, reshape, squeeze,
                               transpose)
