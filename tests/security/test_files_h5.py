"""HDF5 weights are checked before they are read (issue 14, item 4).

Each test builds its hostile weights file at run time, loads it through the ordinary API
(``model.load_weights``, ``keras.saving.load_weights``, ``keras.models.load_model``) and
checks: a ValueError that names the problem, no byte of another file in any weight, and
the model's earlier weights unchanged. Allocation attacks run in a child process with
capped memory and time.
"""

import io
import zipfile

import h5py
import numpy as np
import pytest

import kerlite as keras
from _files_attack_helpers import (ATTEMPT, assert_unchanged, run_limited, small_model,
                                   weights_copy)

SECRET = np.arange(12, dtype="float32").reshape(4, 3) + 4242.0  # easy to recognise


def hostile_weights(tmp_path, replace_kernel):
    """A weights file for ``small_model()`` whose kernel dataset is made by
    ``replace_kernel(group)`` (the group ``layers/dense/vars`` without "0")."""
    path = tmp_path / "hostile.weights.h5"
    small_model().save_weights(path)
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        replace_kernel(h5["layers/dense/vars"])
    return path


def as_keras_file(tmp_path, weights_path):
    """The same weights inside a .keras file (for load_model)."""
    model_path = tmp_path / "template.keras"
    small_model().save(model_path)
    hostile = tmp_path / "hostile.keras"
    with zipfile.ZipFile(model_path) as source, zipfile.ZipFile(hostile, "w") as target:
        for name in source.namelist():
            data = weights_path.read_bytes() if name == "model.weights.h5" else \
                source.read(name)
            target.writestr(name, data)
    return hostile


def assert_refused_everywhere(tmp_path, weights_path, message):
    """load_weights, keras.saving.load_weights and load_model all refuse the file, and
    the model keeps its weights (none of them is the secret)."""
    model = small_model()
    before = weights_copy(model)
    with pytest.raises(ValueError, match=message):
        model.load_weights(weights_path)
    with pytest.raises(ValueError, match=message):
        keras.saving.load_weights(model, weights_path)
    assert_unchanged(model, before)
    with pytest.raises(ValueError, match=message):
        keras.models.load_model(as_keras_file(tmp_path, weights_path))
    for weight in model.get_weights():
        assert not np.isin(SECRET, weight).any()


def test_external_storage_pointing_at_a_local_file_is_refused(tmp_path):
    """Keras 3.15 refuses it too ("Not allowed: H5 file with external Dataset")."""
    secret = tmp_path / "secret.bin"
    secret.write_bytes(SECRET.tobytes())
    path = hostile_weights(tmp_path, lambda group: group.create_dataset(
        "0", shape=(4, 3), dtype="float32", external=[(str(secret), 0, SECRET.nbytes)]))
    assert_refused_everywhere(tmp_path, path, "external file")


def test_virtual_dataset_is_refused(tmp_path):
    """Keras 3.15 refuses it too ("Not allowed: H5 file with virtual Dataset")."""
    source = tmp_path / "secret.h5"
    with h5py.File(source, "w") as h5:
        h5["data"] = SECRET

    def virtual(group):
        layout = h5py.VirtualLayout(shape=(4, 3), dtype="float32")
        layout[:] = h5py.VirtualSource(str(source), "data", shape=(4, 3))
        group.create_virtual_dataset("0", layout)

    assert_refused_everywhere(tmp_path, hostile_weights(tmp_path, virtual), "virtual")


@pytest.mark.parametrize("where", ["dataset", "group"])
@pytest.mark.parametrize("link", ["SoftLink", "ExternalLink"])
def test_links_are_never_followed(tmp_path, link, where):
    """Keras 3.15 refuses SoftLink and ExternalLink the same way. A link to another
    file would read it; a soft link can alias any dataset of the file."""
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as h5:
        h5["data"] = SECRET
        h5["layers/dense/vars/0"] = SECRET
        h5["layers/dense/vars/1"] = np.zeros(3, "float32")
    path = tmp_path / "hostile.weights.h5"
    small_model().save_weights(path)
    with h5py.File(path, "a") as h5:
        h5["elsewhere"] = SECRET
        target_name = "layers/dense/vars/0" if where == "dataset" else "layers/dense"
        del h5[target_name]
        if link == "SoftLink":
            h5[target_name] = h5py.SoftLink(
                "/elsewhere" if where == "dataset" else "/decoy")
            if where == "group":
                h5["decoy/vars/0"] = SECRET
                h5["decoy/vars/1"] = np.zeros(3, "float32")
        else:
            h5[target_name] = h5py.ExternalLink(
                str(secret), "/data" if where == "dataset" else "/layers/dense")
    assert_refused_everywhere(tmp_path, path, link)


def test_plugin_filters_and_non_numeric_datasets_are_refused(tmp_path):
    """A filter number HDF5 does not know makes it search for a plugin library (Keras
    3.15 does not check filters); a string or compound dataset is not a weight (Keras
    reads it, then fails to assign it)."""
    plugin = hostile_weights(tmp_path, lambda group: group.create_dataset(
        "0", shape=(4, 3), dtype="float32", chunks=(4, 3), compression=32099,
        allow_unknown_filter=True))
    assert_refused_everywhere(tmp_path, plugin, "filter 32099")
    strings = hostile_weights(tmp_path, lambda group: group.create_dataset(
        "0", data=np.array([["a"] * 3] * 4, dtype="S1")))
    assert_refused_everywhere(tmp_path, strings, "not a plain number type")


def test_wrong_shape_is_refused_before_reading(tmp_path):
    """Compared from the metadata: the mismatched dataset is never read."""
    path = hostile_weights(tmp_path, lambda group: group.create_dataset(
        "0", data=np.ones((5, 3), "float32")))
    assert_refused_everywhere(tmp_path, path, r"shape \(4, 3\) but the file holds shape "
                                              r"\(5, 3\)")


def test_huge_declared_datasets_are_never_allocated(tmp_path):
    """Datasets that declare terabytes but store only a fill value (a few KiB on disk).

    1. In the kernel's place: refused by the shape comparison, before any read (Keras
       3.15 refuses this one through its 4 GiB / 1000x check; a smaller bomb it reads
       in full and then fails to assign).
    2. Read by a layer's own ``load_own_variables`` (no shape to compare): refused
       because it declares far more than it stores (1 GiB), or more than any array a
       file may ask for (8 GiB, past ``max_array_bytes``).
    3. Somewhere the model does not look: never read, so the load succeeds.
    The child runs with 2 GiB of address space: a regression fails, it cannot swap.
    """
    def bomb(group, name="0", shape=(2**40,)):
        group.create_dataset(name, shape=shape, dtype="float32", chunks=(2**20,),
                             fillvalue=1.0, compression="gzip")

    kernel_bomb = hostile_weights(tmp_path, bomb)
    assert kernel_bomb.stat().st_size < 64 * 1024
    elsewhere = tmp_path / "elsewhere.weights.h5"
    small_model().save_weights(elsewhere)
    with h5py.File(elsewhere, "a") as h5:
        bomb(h5.require_group("unrelated"), "huge")
    hook_bomb = tmp_path / "hook.weights.h5"
    with h5py.File(hook_bomb, "w") as h5:
        bomb(h5.require_group("layers/reader/vars"), "0", shape=(2**28,))  # 1 GiB
    hook_huge = tmp_path / "hook_huge.weights.h5"
    with h5py.File(hook_huge, "w") as h5:
        bomb(h5.require_group("layers/reader/vars"), "0", shape=(2**31,))  # 8 GiB
    result = run_limited(ATTEMPT + f'''
import kerlite as keras
from _files_attack_helpers import small_model

class Reader(keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(shape=(2,), name="w")
    def call(self, x):
        return x
    def load_own_variables(self, store):
        self.w.assign(store["0"][:2])

reader = keras.Sequential([keras.Input((2,)), Reader(name="reader")])
print(json.dumps({{
    "kernel": attempt(lambda: small_model().load_weights({str(kernel_bomb)!r})),
    "hook": attempt(lambda: reader.load_weights({str(hook_bomb)!r})),
    "hook_huge": attempt(lambda: reader.load_weights({str(hook_huge)!r})),
    "elsewhere": attempt(lambda: small_model().load_weights({str(elsewhere)!r})),
}}))
''')
    assert result["kernel"].startswith("ValueError") and "(1099511627776,)" in \
        result["kernel"], result
    assert result["hook"].startswith("ValueError") and "declares shape (268435456,)" in \
        result["hook"], result
    assert result["hook_huge"].startswith("ValueError") and "max_array_bytes" in \
        result["hook_huge"], result
    assert result["elsewhere"] == "loaded"


def test_weights_file_in_memory_is_not_trusted_either(tmp_path):
    """load_model reads model.weights.h5 from the zip into memory: the same checks
    apply there (here: an external-storage dataset)."""
    secret = tmp_path / "secret.bin"
    secret.write_bytes(SECRET.tobytes())
    path = hostile_weights(tmp_path, lambda group: group.create_dataset(
        "0", shape=(4, 3), dtype="float32", external=[(str(secret), 0, SECRET.nbytes)]))
    buffer = io.BytesIO(path.read_bytes())
    with h5py.File(buffer, "r") as h5:
        assert h5["layers/dense/vars/0"].external  # the attack is really in the file
    with pytest.raises(ValueError, match="external file"):
        keras.models.load_model(as_keras_file(tmp_path, path))
