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

    def get_compile_config(self):
        """What ``compile`` was given, serialized (None if the model is not compiled)."""
        if not getattr(self, "compiled", False):
            return None
        from kerlite.serialization.serialization_lib import serialize_keras_object

        loss, loss_weights, metrics, weighted_metrics = self._compile_arguments
        return {
            "optimizer": serialize_keras_object(self.optimizer),
            "loss": serialize_keras_object(loss),
            "loss_weights": serialize_keras_object(loss_weights),
            "metrics": serialize_keras_object(metrics),
            "weighted_metrics": serialize_keras_object(weighted_metrics),
            "run_eagerly": bool(getattr(self, "run_eagerly", False)),
            "steps_per_execution": getattr(self, "steps_per_execution", 1),
            "jit_compile": getattr(self, "jit_compile", "auto"),
        }

    def compile_from_config(self, config):
        """Compile again from ``get_compile_config()`` (used when loading a file)."""
        from kerlite.serialization.serialization_lib import deserialize_keras_object

        def revive(value):
            # Strings ("mse", "accuracy") stay strings: compile resolves them itself.
            if isinstance(value, str) or value is None:
                return value
            if isinstance(value, list):
                return [revive(item) for item in value]
            if isinstance(value, dict) and "class_name" not in value:
                return {key: revive(item) for key, item in value.items()}
            return deserialize_keras_object(value)

        self.compile(
            optimizer=deserialize_keras_object(config["optimizer"]),
            loss=revive(config.get("loss")),
            loss_weights=config.get("loss_weights"),
            metrics=revive(config.get("metrics")),
            weighted_metrics=revive(config.get("weighted_metrics")),
        )

    def to_json(self, **kwargs):
        """The architecture (no weights) as a JSON string; see ``model_from_json``."""
        from kerlite.serialization.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)
