"""Merging layers."""
from kerlite.layers.merging.base_merge import (Add, Average, Maximum, Merge, Minimum,
                                               Multiply, Subtract, add, average, maximum,
                                               minimum, multiply, subtract)
from kerlite.layers.merging.concatenate import Concatenate, concatenate
from kerlite.layers.merging.dot import Dot, dot
