"""The built-in layers, one layer (or one tight family) per file, grouped in folders.

``Dense`` lives in ``layers/core/dense.py``, ``Conv2D`` in ``layers/convolutional/``...
"""

from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer
from kerlite.layers.input_layer import Input, InputLayer
from kerlite.layers.activations import *  # noqa: F401,F403
from kerlite.layers.attention import *  # noqa: F401,F403
from kerlite.layers.convolutional import *  # noqa: F401,F403
from kerlite.layers.core import *  # noqa: F401,F403
from kerlite.layers.merging import *  # noqa: F401,F403
from kerlite.layers.normalization import *  # noqa: F401,F403
from kerlite.layers.pooling import *  # noqa: F401,F403
from kerlite.layers.preprocessing import *  # noqa: F401,F403
from kerlite.layers.recurrent import *  # noqa: F401,F403
from kerlite.layers.regularization import *  # noqa: F401,F403
from kerlite.layers.reshaping import *  # noqa: F401,F403
from kerlite.layers.wrappers import *  # noqa: F401,F403


def serialize(layer):
    """A layer's JSON-able description, as ``keras.layers.serialize`` writes it."""
    from kerlite.serialization.serialization_lib import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """The layer that ``serialize`` described (``keras.layers.deserialize``)."""
    from kerlite.serialization.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)
