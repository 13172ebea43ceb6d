"""Read pickled NumPy arrays (CIFAR batches, IMDB's ragged .npz) without running foreign code.

Unpickling can call any function a file names. These files only need three: the NumPy array
rebuilder, ``numpy.ndarray`` and ``numpy.dtype``; every other name is refused.
"""

import io
import pickle
import zipfile

import numpy

_RECONSTRUCT = numpy.ndarray.__reduce__(numpy.zeros(1))[0]
_SCALAR = numpy.float64(0).__reduce__()[0]
_ALLOWED = {
    ("numpy", "ndarray"): numpy.ndarray,
    ("numpy", "dtype"): numpy.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy._core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy.core.multiarray", "scalar"): _SCALAR,
    ("numpy._core.multiarray", "scalar"): _SCALAR,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that can only rebuild NumPy arrays (and plain Python containers)."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: it may be corrupted or "
            "malicious. Delete it from the cache (~/.kerlite/datasets) and download it again."
        )


def load_pickle(file, encoding="bytes"):
    return RestrictedUnpickler(file, encoding=encoding).load()


def load_npz(path):
    """Read every array of an .npz into a dict; object arrays go through the restricted unpickler."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            key = member[:-4] if member.endswith(".npy") else member
            with archive.open(member) as stream:
                arrays[key] = _read_npy(io.BytesIO(stream.read()))
    return arrays


def _read_npy(stream):
    version = numpy.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = numpy.lib.format.read_array_header_1_0(stream)
    else:  # versions 2.0 and 3.0 share the header layout
        shape, fortran_order, dtype = numpy.lib.format.read_array_header_2_0(stream)
    if dtype.hasobject:
        return load_pickle(stream, encoding="latin1")
    data = numpy.frombuffer(stream.read(), dtype=dtype)
    order = "F" if fortran_order else "C"
    return data.reshape(shape, order=order).copy()
