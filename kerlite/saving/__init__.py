"""Saving and loading models in the Keras 3 ``.keras`` format (as ``keras.saving``)."""

from kerlite.serialization.object_registration import (CustomObjectScope, custom_object_scope,
                                                get_custom_objects, get_registered_name,
                                                get_registered_object,
                                                register_keras_serializable)
from kerlite.saving.saving_api import load_model, load_weights, save_model, save_weights
from kerlite.serialization.serialization_lib import (deserialize_keras_object,
                                              serialize_keras_object)
