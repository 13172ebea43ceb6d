"""Red team: hostile pickles and .npz files given to the dataset readers (kerlite.datasets).

The CIFAR batches and IMDB's ragged arrays are pickles. Before, the readers allowed NumPy's own
rebuilders, which allocate what the file asks for: ``_reconstruct(ndarray, (2**40,), b"b")``,
``ndarray((2**33,))``, a dtype whose pickled state makes it structured or huge. Now nothing from
NumPy runs while unpickling (see ``kerlite/datasets/_safe_pickle.py``).

Keras 3.15 (``keras/src/datasets/npz_utils.py``) uses the allowlist kerlite had before
(``ndarray``, ``dtype``, ``_reconstruct``, called for real): code is refused, but the
allocation rows below (huge shape, direct ``ndarray`` call, dtype state, shared-list CIFAR
batch, .npz bomb) exhaust memory there. kerlite is safer on those rows.
"""

import io
import pickle
import zipfile

import numpy as np
import pytest

from _redteam_limits import run_limited

import kerlite as keras
from kerlite.datasets import _safe_pickle, cifar10
from kerlite.datasets._safe_pickle import load_npz, load_pickle


def _global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _int8(value):  # LONG1 opcode with 8 bytes: an int of any size
    return b"\x8a\x08" + value.to_bytes(8, "little")


RECONSTRUCT = _global("numpy._core.multiarray", "_reconstruct")
NDARRAY = _global("numpy", "ndarray")


def test_legitimate_arrays_still_load():
    objects = np.empty(2, dtype=object)
    objects[0], objects[1] = [1, 2, 3], [4]
    value = {b"data": np.arange(6, dtype=np.uint8).reshape(2, 3), b"labels": [1, 2],
             b"big_endian": np.arange(3, dtype=">f8"), b"ragged": objects,
             b"scalar": np.float32(2.5), b"fortran": np.asfortranarray(np.ones((2, 3)))}
    for protocol in (3, 4):  # CIFAR (Python 2) and np.save (protocol 3) write no newer ones
        loaded = load_pickle(io.BytesIO(pickle.dumps(value, protocol=protocol)))
        np.testing.assert_array_equal(loaded[b"data"], value[b"data"])
        np.testing.assert_array_equal(loaded[b"big_endian"], value[b"big_endian"])
        assert loaded[b"ragged"].dtype == object and loaded[b"ragged"][0] == [1, 2, 3]
        assert loaded[b"scalar"] == np.float32(2.5) and loaded[b"labels"] == [1, 2]
        np.testing.assert_array_equal(loaded[b"fortran"], value[b"fortran"])


def test_reconstruct_with_a_huge_shape_is_refused_before_allocating():
    hostile = (b"\x80\x02" + RECONSTRUCT + NDARRAY + _int8(2**40) + b"\x85" + b"C\x01b"
               + b"\x87R.")
    with pytest.raises(pickle.UnpicklingError, match="form NumPy never writes"):
        load_pickle(io.BytesIO(hostile))


def test_calling_ndarray_directly_is_refused():
    """Before: ndarray((2**33,), int8) allocated 8 GiB; filling it exhausts memory."""
    hostile = b"\x80\x02" + NDARRAY + _int8(2**33) + b"\x85\x85R."
    code = f"""
    import io
    from kerlite.datasets._safe_pickle import load_pickle
    hostile = {hostile!r}
    try:
        array = load_pickle(io.BytesIO(hostile))
        array.fill(1)
        print("ALLOCATED", array.nbytes)
    except Exception as error:
        print(type(error).__name__, error)
    """
    code_rc, last = run_limited(code, memory_bytes=3 * 2**30)
    assert last.startswith("UnpicklingError") and "numpy.ndarray directly" in last, last


@pytest.mark.parametrize("state", [
    (3, "|", (np.dtype("f8"), (2**20, 2**20)), None, None, -1, -1, 0),  # a sub-array
    (3, "|", None, ("a",), {"a": (np.dtype("f8"), 0)}, 8, 1, 0),  # structured
])
def test_dtype_state_cannot_make_a_structured_or_sub_array_type(state):
    recipe = _safe_pickle._DtypeRecipe("f8", False, True)
    recipe.__setstate__(state)
    with pytest.raises(pickle.UnpicklingError, match="structured or sub-array"):
        _safe_pickle._dtype(recipe)


@pytest.mark.parametrize("spec", ["V1073741824", "S9", "U8", "M8[s]"])
def test_only_plain_number_and_object_dtypes_are_accepted(spec):
    hostile = (b"\x80\x03" + _global("numpy", "dtype") + b"X" + len(spec).to_bytes(4, "little")
               + spec.encode() + b"\x89\x88\x87R.")
    with pytest.raises(pickle.UnpicklingError, match="dtype|not a NumPy"):
        load_pickle(io.BytesIO(hostile))


def test_raw_data_must_match_the_shape():
    value = pickle.dumps(np.zeros(4, dtype=np.float64), protocol=3)
    hostile = value.replace(b"K\x04\x85", b"M\x00\x04\x85", 1)  # shape (4,) -> (1024,)
    assert hostile != value
    with pytest.raises(pickle.UnpicklingError, match="needs 8192 bytes"):
        load_pickle(io.BytesIO(hostile))


def test_functions_and_persistent_ids_are_refused():
    class Evil:
        def __reduce__(self):
            import os

            return (os.system, ("echo pwned",))

    with pytest.raises(pickle.UnpicklingError, match="Refusing to load `posix.system`"):
        load_pickle(io.BytesIO(pickle.dumps(Evil(), protocol=2)))
    with pytest.raises(pickle.UnpicklingError, match="persistent id"):
        load_pickle(io.BytesIO(b"\x80\x02X\x01\x00\x00\x00aQ."))


def test_deep_nesting_is_refused():
    hostile = b"\x80\x02" + b"]" * 100_000 + b"a" * 99_999 + b"."
    with pytest.raises(pickle.UnpicklingError, match="nested more than.*max_pickle_depth=64"):
        load_pickle(io.BytesIO(hostile))


def test_cifar_batch_of_shared_lists_cannot_expand_to_gigabytes(tmp_path):
    """16 references to one list, 8 levels deep: 300 bytes of pickle, 4 billion numbers once
    NumPy converts them. Before: numpy.asarray ran out of memory; now: a ValueError."""
    inner = [0] * 16
    for _ in range(7):
        inner = [inner] * 16
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps({b"data": inner, b"labels": [0]}, protocol=3))
    assert path.stat().st_size < 1000
    code = f"""
    from kerlite.datasets.cifar10 import load_batch
    try:
        load_batch({str(path)!r})
        print("LOADED")
    except Exception as error:
        print(type(error).__name__, error)
    """
    rc, last = run_limited(code, memory_bytes=3 * 2**30)
    assert last.startswith("ValueError") and "3072-byte images" in last, last


def test_cifar_batch_must_be_a_dict_of_arrays(tmp_path):
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps([1, 2], protocol=3))
    with pytest.raises(ValueError, match="not a CIFAR batch"):
        cifar10.load_batch(str(path))
    path.write_bytes(pickle.dumps({b"data": np.zeros((1, 3072), np.uint8),
                                   b"labels": [[0] * 4] * 4}, protocol=3))
    with pytest.raises(ValueError, match="list of ints"):
        cifar10.load_batch(str(path))


def _npz_member(path, header, payload_chunks):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, header)
            for chunk in payload_chunks:
                member.write(chunk)
    return path


def test_npz_zip_bomb_is_refused_at_the_limit(tmp_path):
    keras.config.set_load_limits(max_array_bytes=1 << 20)
    path = _npz_member(tmp_path / "bomb.npz",
                       {"descr": "<f8", "fortran_order": False, "shape": (2**19,)},
                       [bytes(1 << 20)] * 4)
    assert path.stat().st_size < 20_000
    with pytest.raises(pickle.UnpicklingError, match="max_array_bytes=1048576") as caught:
        load_npz(path)
    assert "'x_train.npy'" in str(caught.value)
    assert "keras.config.set_load_limits(max_array_bytes=" in str(caught.value)


def test_npz_header_shape_must_match_its_data(tmp_path):
    path = _npz_member(tmp_path / "liar.npz",
                       {"descr": "<f8", "fortran_order": False, "shape": (2**40,)}, [bytes(8)])
    with pytest.raises(pickle.UnpicklingError, match="needs 8796093022208 bytes"):
        load_npz(path)
