"""The saving methods every Model has: save, save_weights, load_weights, to_json."""

import json
import os


class ModelSavingMixin:
    """Mixed into ``Model``; each method hands over to ``kerlite.saving``."""

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Save architecture, weights, compile settings and optimizer state.

        ``model.save("my_model.keras")`` writes the Keras 3 single-file format, which
        Keras 3 itself can open.
        """
        from kerlite.saving.saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Save only the weights, to a file whose name ends in ``.weights.h5``."""
        from kerlite.saving import saving_lib

        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "The filename must end in `.weights.h5`. "
                f"Received: filepath={filepath}"
            )
        if not overwrite and os.path.exists(filepath):
            raise FileExistsError(f"{filepath!r} exists and overwrite=False.")
        saving_lib.save_weights(self, filepath)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Load weights saved by ``save_weights`` (or the weights of a ``.keras`` file).

        Every shape is checked before anything is assigned: a mismatch raises a
        ValueError and leaves the model as it was.
        """
        from kerlite.saving import saving_lib

        filepath = os.fspath(filepath)
        if not (filepath.endswith(".weights.h5") or filepath.endswith(".keras")):
            raise ValueError(
                "kerlite loads weights from `.weights.h5` or `.keras` files. "
                f"Received: filepath={filepath}"
            )
        saving_lib.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def to_json(self, **kwargs):
        """The architecture (no weights) as a JSON string; see ``model_from_json``."""
        from kerlite.saving.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)
