"""``model.save`` / ``keras.models.load_model`` and their friendly checks."""

import os
import warnings

from kerlite.saving import saving_lib


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Save ``model`` to ``filepath``: a ``.keras`` zip, or a folder for old-style paths.

    ``model.save("saved_model")`` (no suffix, as Keras 2 tutorials write it) saves the
    same three files into a folder, with a DeprecationWarning naming the modern form.
    """
    filepath = os.fspath(filepath)
    if kwargs.pop("save_format", None) not in (None, "keras"):
        warnings.warn("save_format is ignored: kerlite always writes the Keras 3 format.",
                      DeprecationWarning, stacklevel=3)
    if kwargs:
        raise ValueError(f"Unrecognized arguments to save(): {sorted(kwargs)}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"{filepath!r} exists and overwrite=False. Pass overwrite=True or choose "
            "another name."
        )
    if filepath.endswith(".h5") or filepath.endswith(".hdf5"):
        raise ValueError(
            f"The legacy HDF5 model format is not supported (filepath={filepath!r}). "
            "Save the whole model as `model.save('name.keras')`, or only the weights as "
            "`model.save_weights('name.weights.h5')`."
        )
    if filepath.endswith(".keras") and zipped is not False:
        saving_lib.save_model(model, filepath)
        return
    if not filepath.endswith(".keras") and zipped is not False:  # False: Keras 3 folders
        warnings.warn(
            f"model.save({filepath!r}) without the '.keras' suffix is the old Keras 2 "
            "SavedModel style. kerlite saves the model into the folder "
            f"{filepath!r}; prefer `model.save('{filepath}.keras')`, the single-file "
            "Keras 3 format.",
            DeprecationWarning,
            stacklevel=3,
        )
    saving_lib.save_model_to_folder(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with ``model.save`` (a ``.keras`` file or a saved folder).

    Args:
        custom_objects: ``{"Name": class_or_function}`` for your own classes.
        compile: also restore the loss, metrics and optimizer (with its state).
        safe_mode: refuse to run Python code stored in the file (lambdas). A load
            reached from inside a safe load stays safe whatever it asks (see SECURITY.md).

    Returns a model, or raises: a file whose config describes anything else (a function,
    a list, a layer) is refused, as are files past the load limits
    (``keras.config.set_load_limits``).
    """
    filepath = os.fspath(filepath)
    try:
        return _load_model(filepath, custom_objects, compile, safe_mode)
    except RecursionError:
        from kerlite import safe_loading

        raise safe_loading.limit_error(
            "max_json_depth", "more than Python can parse",
            f"a config in {filepath!r} nested deeper than Python's recursion limit"
        ) from None


def _load_model(filepath, custom_objects, compile, safe_mode):
    if os.path.isdir(filepath):
        return saving_lib.load_model_from_folder(filepath, custom_objects, compile,
                                                 safe_mode)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Check the path.")
    if not filepath.endswith(".keras") and not saving_lib.zipfile.is_zipfile(filepath):
        raise ValueError(
            f"Cannot load {filepath!r}: kerlite reads the Keras 3 '.keras' format (or a "
            "folder written by model.save without a suffix)."
        )
    return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)


def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """``model.save_weights(filepath)`` as a function (``keras.saving.save_weights``).

    ``max_shard_size`` (splitting big weight files) is not supported: leave it None.
    """
    if max_shard_size is not None:
        raise ValueError("kerlite writes one weights file; max_shard_size is not "
                         f"supported. Received: max_shard_size={max_shard_size}")
    model.save_weights(filepath, overwrite=overwrite)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """``model.load_weights(filepath)`` as a function (``keras.saving.load_weights``)."""
    model.load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)
