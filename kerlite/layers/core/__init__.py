"""Core layers."""
from kerlite.layers.core.activation import Activation
from kerlite.layers.core.dense import Dense
from kerlite.layers.core.identity import Identity
from kerlite.layers.core.lambda_layer import Lambda
from kerlite.layers.core.einsum_dense import EinsumDense
from kerlite.layers.core.embedding import Embedding
from kerlite.layers.core.masking import Masking
# Ops on KerasTensors (x + 1) become OperationLayers: importing the module registers it.
from kerlite.layers.core import operation_layer  # noqa: F401
