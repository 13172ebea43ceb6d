"""kerlite: a small, readable Keras-3-compatible deep-learning library on NumPy.

Use it as Keras: ``import kerlite as keras`` and ``from kerlite import layers, ops``.
Heavy optional libraries (matplotlib, ipywidgets, graphviz, h5py, cupy) are imported
lazily, only by the features that need them.
"""

__version__ = "0.1.0"

from kerlite import backend
from kerlite.autodiff import GradientTape, Tensor, Variable
from kerlite import ops
from kerlite import random
from kerlite import testing
from kerlite import utils
from kerlite import activations, constraints, initializers, regularizers
from kerlite import layers, models
from kerlite.graph import KerasTensor
from kerlite.layers import Input, InputSpec, Layer
from kerlite.models import Model, Sequential
from kerlite import callbacks, losses, metrics, optimizers
from kerlite import saving
from kerlite import config, preprocessing, tree
from kerlite.initializers import Initializer
from kerlite.losses import Loss
from kerlite.metrics import Metric
from kerlite.optimizers import Optimizer
from kerlite.regularizers import Regularizer


def __getattr__(name):
    """``kerlite.datasets`` and ``kerlite.widgets`` load on first use (keeps import fast)."""
    if name in ("datasets", "widgets"):
        import importlib

        return importlib.import_module(f"kerlite.{name}")
    raise AttributeError(f"module 'kerlite' has no attribute {name!r}")


def version():
    """The kerlite version string (as ``keras.version()``)."""
    return __version__
