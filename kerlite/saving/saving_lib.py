"""The ``.keras`` file: a zip of ``metadata.json``, ``config.json``, ``model.weights.h5``
and, when objects write files of their own, an ``assets/`` folder.

The same layout as Keras 3, so a model saved here opens in Keras 3 and the reverse.
Writing goes to a temporary file in the same folder, renamed over the target only
when complete: a failure half-way never destroys an existing file, and a folder that
does not exist is an error (nothing is created behind your back). Loading treats the
file as untrusted: sizes are checked against the load limits (``kerlite.safe_loading``)
before anything is read (``keras_zip``), HDF5 datasets are checked before they are
read (``h5_store``), and nothing in the model changes unless the whole file matches
(``weights_file``).
"""

import contextlib
import datetime
import errno
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib

from kerlite.saving import keras_zip, weights_file
from kerlite.serialization import serialization_lib
from kerlite.saving.assets_folder import ASSETS_DIRNAME, AssetsFolder, add_to_zip
from kerlite.safe_loading import check_limit

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
KERAS_VERSION_WRITTEN = "3.15.1"  # the Keras format version kerlite's files follow


def check_folder_exists(filepath):
    """Raise FileNotFoundError (as Keras 3 does) when ``filepath``'s folder is missing."""
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            errno.ENOENT,
            f"No such file or directory: the folder {folder!r} does not exist. Create it "
            "first (e.g. `os.makedirs(folder, exist_ok=True)`): saving does not create "
            "folders", os.fspath(filepath))
    return folder


def atomic_write(filepath, write_to):
    """Call ``write_to(temp_path)``, then rename the finished file onto ``filepath``."""
    filepath = os.fspath(filepath)
    folder = check_folder_exists(filepath)
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


def _weights_bytes(model, assets=None):
    """The HDF5 weights file, built in memory (asset files go to ``assets``)."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        weights_file.save_state(model, h5, assets)
    return buffer.getvalue()


def _config_json(model):
    config = serialization_lib.serialize_keras_object(model)
    return json.dumps(config, default=_json_default)


def save_model(model, filepath):
    """Write ``model`` (architecture, weights, compile settings, optimizer state, assets)."""
    check_folder_exists(filepath)
    config_json = _config_json(model)
    with tempfile.TemporaryDirectory() as assets_dir:
        weights = _weights_bytes(model, AssetsFolder(assets_dir))

        def write(path):
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(METADATA_FILENAME, json.dumps(_metadata()))
                archive.writestr(CONFIG_FILENAME, config_json)
                archive.writestr(WEIGHTS_FILENAME, weights)
                add_to_zip(archive, assets_dir, ASSETS_DIRNAME)

        atomic_write(filepath, write)


def _json_default(value):
    import numpy

    if isinstance(value, numpy.generic):
        return value.item()
    if isinstance(value, numpy.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot write {type(value).__name__} to a .keras config: {value!r}")


@contextlib.contextmanager
def open_keras_file(filepath):
    """The checked zip of a ``.keras`` file, open for reading."""
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Check the path.")
    if not zipfile.is_zipfile(filepath):
        raise ValueError(
            f"The file {filepath!r} is not a valid .keras file: it is not a zip archive "
            "(it may be truncated or corrupted, or saved in another format)."
        )
    try:
        archive = keras_zip.open_archive(filepath)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ValueError(f"The .keras file {filepath!r} is corrupted ({error}).") from error
    try:
        missing = {CONFIG_FILENAME, WEIGHTS_FILENAME} - set(archive.namelist())
        if missing:
            raise ValueError(
                f"The .keras file {filepath!r} is incomplete: it lacks "
                f"{', '.join(sorted(missing))}."
            )
        yield archive
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise ValueError(
            f"The .keras file {filepath!r} is corrupted or truncated ({error})."
        ) from error
    finally:
        archive.close()


def read_archive(filepath):
    """The config dict and the raw weights bytes of a ``.keras`` file, checked."""
    with open_keras_file(filepath) as archive:
        config_text = keras_zip.read_member(archive, CONFIG_FILENAME, "max_json_bytes")
        weights = keras_zip.read_member(archive, WEIGHTS_FILENAME)
    where = f"config.json inside {os.fspath(filepath)!r}"
    return serialization_lib.parse_config_json(config_text, where), weights


def save_model_to_folder(model, folder):
    """The unzipped form: the same files in a folder (``zipped=False``)."""
    config_json = _config_json(model)
    os.makedirs(folder, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".tmp-assets-", dir=folder)
    try:
        contents = {
            METADATA_FILENAME: json.dumps(_metadata()).encode(),
            CONFIG_FILENAME: config_json.encode(),
            WEIGHTS_FILENAME: _weights_bytes(model, AssetsFolder(staging)),
        }
        for name, data in contents.items():
            def write(path, data=data):
                with open(path, "wb") as handle:
                    handle.write(data)

            atomic_write(os.path.join(folder, name), write)
        assets_path = os.path.join(folder, ASSETS_DIRNAME)
        if os.path.isdir(assets_path):
            shutil.rmtree(assets_path)
        if os.listdir(staging):
            os.replace(staging, assets_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def load_model_from_folder(folder, custom_objects=None, compile=True, safe_mode=True):
    paths = {name: os.path.join(folder, name) for name in (CONFIG_FILENAME, WEIGHTS_FILENAME)}
    missing = [name for name, path in paths.items() if not os.path.exists(path)]
    if missing:
        raise ValueError(
            f"The folder {folder!r} is not a saved kerlite/Keras model: it lacks "
            f"{', '.join(missing)}."
        )
    config_path = paths[CONFIG_FILENAME]
    check_limit("max_json_bytes", os.path.getsize(config_path), repr(config_path))
    with open(config_path, "rb") as handle:
        config = serialization_lib.parse_config_json(handle.read(), repr(config_path))
    assets_path = os.path.join(folder, ASSETS_DIRNAME)
    assets = AssetsFolder(assets_path) if os.path.isdir(assets_path) else None
    return _model_from_parts(config, paths[WEIGHTS_FILENAME], folder, custom_objects,
                             compile, safe_mode, assets)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuild the model saved in a ``.keras`` file, with its weights and assets."""
    with open_keras_file(filepath) as archive:
        config_text = keras_zip.read_member(archive, CONFIG_FILENAME, "max_json_bytes")
        config = serialization_lib.parse_config_json(
            config_text, f"config.json inside {os.fspath(filepath)!r}")
        weights = keras_zip.read_member(archive, WEIGHTS_FILENAME)
        prefix = ASSETS_DIRNAME + "/"
        with tempfile.TemporaryDirectory() as assets_dir:
            assets = None
            if any(name.startswith(prefix) for name in archive.namelist()):
                keras_zip.extract_folder(archive, prefix, assets_dir)
                assets = AssetsFolder(assets_dir)
            return _model_from_parts(config, io.BytesIO(weights), filepath,
                                     custom_objects, compile, safe_mode, assets)


def _model_from_parts(config, weights, filepath, custom_objects, compile, safe_mode,
                      assets=None):
    """``weights``: a path or a file object holding the HDF5 weights."""
    if not compile and isinstance(config, dict):
        config = dict(config)
        config.pop("compile_config", None)
    model = serialization_lib.deserialize_model(  # a model or a ValueError, nothing else
        config, custom_objects, safe_mode, source=f"config.json of {filepath!r}")
    with _open_h5(weights, filepath) as h5:
        if compile and getattr(model, "optimizer", None) is not None:
            _build_optimizer_state(model, h5)
        weights_file.load_state(model, h5, assets, rollback=False)
    return model


@contextlib.contextmanager
def _open_h5(source, filepath):
    """``source`` (a path or a file object) as an open h5py File, read-only."""
    import h5py

    try:
        h5 = h5py.File(source, "r")
    except OSError as error:
        raise ValueError(f"The weights in {os.fspath(filepath)!r} are unreadable "
                         f"({error}).") from error
    try:
        yield h5
    finally:
        h5.close()


def _build_optimizer_state(model, h5):
    """Create the optimizer's slot variables when the file holds them (a model saved
    after training), so that training resumes where it stopped."""
    from kerlite.saving import h5_store

    optimizer = model.optimizer
    if getattr(optimizer, "built", False):
        return
    group = h5_store.group_at(h5, "optimizer/vars")
    stored = 0 if group is None else len(group)
    if stored > len(optimizer.variables):
        optimizer.build(model.trainable_weights)


def load_weights_from_bytes(model, weights, source="<bytes>", skip_mismatch=False):
    with _open_h5(io.BytesIO(weights), source) as h5:
        weights_file.load_state(model, h5, skip_mismatch=skip_mismatch)


def save_weights(model, filepath):
    """Write only the weights to ``filepath`` (which must end in ``.weights.h5``)."""
    check_folder_exists(filepath)
    weights = _weights_bytes(model)

    def write(path):
        with open(path, "wb") as handle:
            handle.write(weights)

    atomic_write(filepath, write)


def load_weights(model, filepath, skip_mismatch=False):
    """Read weights saved by ``save_weights`` (or inside a ``.keras`` file).

    Only the variables are read (no assets, as in Keras 3); every dataset is checked
    against the model before it is read, and a failure leaves the model unchanged.
    """
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        _, weights = read_archive(filepath)
        load_weights_from_bytes(model, weights, filepath, skip_mismatch)
        return
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Check the path.")
    with _open_h5(filepath, filepath) as h5:
        weights_file.load_state(model, h5, skip_mismatch=skip_mismatch)
