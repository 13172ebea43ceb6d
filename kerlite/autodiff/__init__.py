"""Reverse-mode automatic differentiation: Tensor, Variable, GradientTape."""

from kerlite.autodiff.gradients import GradientTape, backpropagate
from kerlite.autodiff.tensor import Tensor, as_tensor, is_recording, record
from kerlite.autodiff.variable import Variable
