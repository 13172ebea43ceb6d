"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax."""

from kerlite.layers.activations.elu import ELU
from kerlite.layers.activations.leaky_relu import LeakyReLU
from kerlite.layers.activations.prelu import PReLU
from kerlite.layers.activations.relu import ReLU
from kerlite.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
