"""Utilities: random seeds, naming, data helpers, and (lazily) plotting and saving names."""

from kerlite.utils.seeding import set_random_seed
from kerlite.common.py_dataset import PyDataset, Sequence
from kerlite.viz.model_visualization import model_to_dot, plot_model
from kerlite.utils.numerical_utils import normalize, to_categorical
from kerlite.utils.file_utils import get_file
from kerlite.utils.sequence_utils import pad_sequences
from kerlite.callbacks.progbar import Progbar
from kerlite.utils.timeseries_dataset import timeseries_dataset_from_array
from kerlite.arrays import standardize_dtype
from kerlite.common.naming import clear_session

# keras.utils also offers these names; they live elsewhere in kerlite and are imported
# on first use (kerlite.saving and the trainers import kerlite.utils themselves).
_ELSEWHERE = {
    "register_keras_serializable": "kerlite.saving",
    "get_custom_objects": "kerlite.saving",
    "custom_object_scope": "kerlite.saving",
    "CustomObjectScope": "kerlite.saving",
    "get_registered_name": "kerlite.saving",
    "get_registered_object": "kerlite.saving",
    "serialize_keras_object": "kerlite.saving",
    "deserialize_keras_object": "kerlite.saving",
    "is_keras_tensor": "kerlite.graph.keras_tensor",
    "get_source_inputs": "kerlite.utils.source_inputs",
    "pack_x_y_sample_weight": "kerlite.utils.data_packing",
    "unpack_x_y_sample_weight": "kerlite.utils.data_packing",
}


def __getattr__(name):
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module 'kerlite.utils' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_ELSEWHERE))
