"""The ``.keras`` file: a zip of ``metadata.json``, ``config.json`` and ``model.weights.h5``.

The same layout as Keras 3, so a model saved here opens in Keras 3 and the reverse.
Writing goes to a temporary file in the same folder, renamed over the target only
when complete: a failure half-way never destroys an existing file. Loading checks
everything (zip integrity, JSON, classes, weight shapes) before it changes anything.
"""

import datetime
import io
import json
import os
import tempfile
import zipfile

from kerlite.saving import serialization_lib, weights_file

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
KERAS_VERSION_WRITTEN = "3.15.1"  # the Keras format version kerlite's files follow


def atomic_write(filepath, write_to):
    """Call ``write_to(temp_path)``, then rename the finished file onto ``filepath``."""
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(
        prefix=".tmp-" + os.path.basename(filepath) + "-", dir=folder)
    os.close(handle)
    try:
        write_to(temp_path)
        os.replace(temp_path, filepath)
    finally:
        if os.path.exists(temp_path):
            os.remove(temp_path)


def _metadata():
    from kerlite import __version__

    return {
        "keras_version": KERAS_VERSION_WRITTEN,
        "kerlite_version": __version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }


def _weights_bytes(model):
    """The HDF5 weights file, built in memory."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        weights_file.save_weights_to_h5(model, h5)
    return buffer.getvalue()


def save_model(model, filepath):
    """Write ``model`` (architecture, weights, compile settings, optimizer state)."""
    config = serialization_lib.serialize_keras_object(model)
    config_json = json.dumps(config, default=_json_default)
    weights = _weights_bytes(model)

    def write(path):
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(METADATA_FILENAME, json.dumps(_metadata()))
            archive.writestr(CONFIG_FILENAME, config_json)
            archive.writestr(WEIGHTS_FILENAME, weights)

    atomic_write(filepath, write)


def _json_default(value):
    import numpy

    if isinstance(value, numpy.generic):
        return value.item()
    if isinstance(value, numpy.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot write {type(value).__name__} to a .keras config: {value!r}")


def read_archive(filepath):
    """The config dict and the raw weights bytes of a ``.keras`` file, checked."""
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Check the path.")
    if not zipfile.is_zipfile(filepath):
        raise ValueError(
            f"The file {filepath!r} is not a valid .keras file: it is not a zip archive "
            "(it may be truncated or corrupted, or saved in another format)."
        )
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            names = set(archive.namelist())
            missing = {CONFIG_FILENAME, WEIGHTS_FILENAME} - names
            if missing:
                raise ValueError(
                    f"The .keras file {filepath!r} is incomplete: it lacks "
                    f"{', '.join(sorted(missing))}."
                )
            config_text = archive.read(CONFIG_FILENAME)
            weights = archive.read(WEIGHTS_FILENAME)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ValueError(
            f"The .keras file {filepath!r} is corrupted or truncated ({error})."
        ) from error
    try:
        config = json.loads(config_text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"The config.json inside {filepath!r} is not valid JSON ({error})."
        ) from error
    return config, weights


def save_model_to_folder(model, folder):
    """The unzipped form: the same three files in a folder (``zipped=False``)."""
    config = serialization_lib.serialize_keras_object(model)
    contents = {
        METADATA_FILENAME: json.dumps(_metadata()).encode(),
        CONFIG_FILENAME: json.dumps(config, default=_json_default).encode(),
        WEIGHTS_FILENAME: _weights_bytes(model),
    }
    os.makedirs(folder, exist_ok=True)
    for name, data in contents.items():
        def write(path, data=data):
            with open(path, "wb") as handle:
                handle.write(data)

        atomic_write(os.path.join(folder, name), write)


def load_model_from_folder(folder, custom_objects=None, compile=True, safe_mode=True):
    paths = {name: os.path.join(folder, name) for name in (CONFIG_FILENAME, WEIGHTS_FILENAME)}
    missing = [name for name, path in paths.items() if not os.path.exists(path)]
    if missing:
        raise ValueError(
            f"The folder {folder!r} is not a saved kerlite/Keras model: it lacks "
            f"{', '.join(missing)}."
        )
    with open(paths[CONFIG_FILENAME], "rb") as handle:
        try:
            config = json.loads(handle.read())
        except json.JSONDecodeError as error:
            raise ValueError(f"{paths[CONFIG_FILENAME]!r} is not valid JSON ({error}).") from error
    with open(paths[WEIGHTS_FILENAME], "rb") as handle:
        weights = handle.read()
    return _model_from_parts(config, weights, folder, custom_objects, compile, safe_mode)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuild the model saved in a ``.keras`` file, with its weights."""
    config, weights = read_archive(filepath)
    return _model_from_parts(config, weights, filepath, custom_objects, compile, safe_mode)


def _model_from_parts(config, weights, filepath, custom_objects, compile, safe_mode):
    if not compile and isinstance(config, dict):
        config = dict(config)
        config.pop("compile_config", None)
    from kerlite.models.model import Model

    model = serialization_lib.deserialize_model(  # a model or a ValueError, nothing else
        config, Model, custom_objects, safe_mode, source=f"config.json of {filepath!r}")
    if compile and getattr(model, "optimizer", None) is not None:
        _build_optimizer_state(model, weights)
    load_weights_from_bytes(model, weights, filepath)
    return model


def _build_optimizer_state(model, weights):
    """Create the optimizer's slot variables when the file holds them (a model saved
    after training), so that training resumes where it stopped."""
    import h5py

    optimizer = model.optimizer
    if getattr(optimizer, "built", False):
        return
    with h5py.File(io.BytesIO(weights), "r") as h5:
        stored = len(h5["optimizer/vars"]) if "optimizer/vars" in h5 else 0
    if stored > len(optimizer.variables):
        optimizer.build(model.trainable_weights)


def load_weights_from_bytes(model, weights, source="<bytes>", skip_mismatch=False):
    import h5py

    try:
        with h5py.File(io.BytesIO(weights), "r") as h5:
            updates = weights_file.read_weights_from_h5(model, h5, skip_mismatch)
    except OSError as error:
        raise ValueError(f"The weights in {source!r} are unreadable ({error}).") from error
    for variable, value in updates:
        variable.assign(value)


def save_weights(model, filepath):
    """Write only the weights to ``filepath`` (which must end in ``.weights.h5``)."""
    weights = _weights_bytes(model)

    def write(path):
        with open(path, "wb") as handle:
            handle.write(weights)

    atomic_write(filepath, write)


def load_weights(model, filepath, skip_mismatch=False):
    """Read weights saved by ``save_weights`` (or inside a ``.keras`` file)."""
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        _, weights = read_archive(filepath)
    else:
        if not os.path.exists(filepath):
            raise ValueError(f"File not found: filepath={filepath}. Check the path.")
        with open(filepath, "rb") as handle:
            weights = handle.read()
    load_weights_from_bytes(model, weights, filepath, skip_mismatch)
