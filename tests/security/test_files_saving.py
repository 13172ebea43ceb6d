"""Saving never loses a file and never creates folders behind your back (issue 14).

- Saving into a folder that does not exist fails as in Keras 3: FileNotFoundError
  (an OSError) naming the path, and the folder is not created.
- Saves are atomic (kept from before, and better than Keras 3, which writes in place):
  a save that fails half-way, in kerlite's code or in a layer's own ``save_assets`` /
  ``save_own_variables``, leaves the previous file byte for byte, and no temporary file.
"""

import os

import pytest

import kerlite as keras
from _files_attack_helpers import small_model
from _keras_reference import import_keras


@pytest.mark.parity
@pytest.mark.parametrize("what", ["model", "weights"])
def test_saving_into_a_missing_folder_fails_like_keras(tmp_path, what):
    keras3 = import_keras()
    name = "m.keras" if what == "model" else "m.weights.h5"
    errors = {}
    for lib, model in (("kerlite", small_model()),
                       ("keras", keras3.Sequential([keras3.Input((4,)),
                                                    keras3.layers.Dense(3)]))):
        target = tmp_path / lib / "missing_dir" / name
        save = model.save if what == "model" else model.save_weights
        with pytest.raises(OSError) as raised:
            save(str(target))
        errors[lib] = raised.value
        assert not (tmp_path / lib).exists()  # nothing created
    assert type(errors["kerlite"]) is type(errors["keras"]) is FileNotFoundError
    assert errors["kerlite"].errno == errors["keras"].errno
    assert "missing_dir" in str(errors["kerlite"])
    assert "does not exist" in str(errors["kerlite"])


def test_keras_saving_functions_check_the_folder_too(tmp_path):
    model = small_model()
    with pytest.raises(FileNotFoundError, match="missing"):
        keras.saving.save_model(model, tmp_path / "missing" / "m.keras")
    with pytest.raises(FileNotFoundError, match="missing"):
        keras.saving.save_weights(model, tmp_path / "missing" / "m.weights.h5")
    assert os.listdir(tmp_path) == []


class FailingAssets(keras.layers.Layer):
    """A layer whose own saving code fails (a full disk, a bug in a hook)."""

    def __init__(self, where="assets", **kwargs):
        super().__init__(**kwargs)
        self.where = where

    def call(self, inputs):
        return inputs

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "partial.txt"), "w") as handle:
            handle.write("half")
        if self.where == "assets":
            raise OSError("No space left on device")

    def save_own_variables(self, store):
        if self.where == "variables":
            raise RuntimeError("hook failed")


@pytest.mark.parametrize("where", ["assets", "variables"])
def test_a_save_that_fails_in_a_hook_keeps_the_previous_file(tmp_path, where):
    path = tmp_path / "m.keras"
    small_model().save(path)
    original = path.read_bytes()
    inputs = keras.Input((4,))
    broken = keras.Model(inputs, FailingAssets(where)(keras.layers.Dense(3)(inputs)))
    with pytest.raises((OSError, RuntimeError)):
        broken.save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["m.keras"]  # no temporary file left behind
    assert keras.models.load_model(path).count_params() == 15


def test_a_killed_save_keeps_the_previous_file(tmp_path):
    """The process dies (SIGKILL) while the zip is half written: the earlier file is
    untouched, because kerlite writes a temporary file and renames it when complete."""
    import signal
    import subprocess
    import sys

    from _files_attack_helpers import REPO_ROOT

    path = tmp_path / "m.keras"
    small_model().save(path)
    original = path.read_bytes()
    child = f'''
import os, signal, zipfile
import kerlite as keras
real_writestr = zipfile.ZipFile.writestr
def dying_writestr(self, name, *args, **kwargs):
    if str(getattr(name, "filename", name)) == "model.weights.h5":
        os.kill(os.getpid(), signal.SIGKILL)
    return real_writestr(self, name, *args, **kwargs)
zipfile.ZipFile.writestr = dying_writestr
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
model.save({str(path)!r})
'''
    done = subprocess.run([sys.executable, "-c", child], env=dict(os.environ,
                          PYTHONPATH=REPO_ROOT), capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert path.read_bytes() == original
    assert keras.models.load_model(path).count_params() == 15
