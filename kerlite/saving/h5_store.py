"""The HDF5 side of a weights file: a dict-like store per object, and safe reading.

``model.weights.h5`` holds, for each object with state, a group ``<path>/vars`` whose
datasets ``"0"``, ``"1"``... are that object's variables. Its ``save_own_variables`` /
``load_own_variables`` receive one of the stores below (``store["0"] = kernel``,
``kernel.assign(store["0"])``), as in Keras 3.

An HDF5 file can point elsewhere: a soft or external link, a dataset whose bytes live
in another file ("external storage") or in other datasets ("virtual"), a filter that
loads a plugin, or a shape of 2**40 that stores only a fill value. Reading follows none
of these: every group and dataset is reached through hard links only, and a dataset is
checked (storage, filters, dtype, declared size) before a byte of it is read.
"""

import math

import numpy

from kerlite import arrays, safe_loading
from kerlite.autodiff.tensor import array_of

# Filters built into HDF5 (gzip, shuffle, fletcher32, szip, nbit, scaleoffset) and LZF,
# which h5py ships. Any other filter number makes HDF5 search for a plugin library.
_BUILTIN_FILTERS = {1, 2, 3, 4, 5, 6, 32000}
# A dataset that declares more than this many bytes must store at least 1/1000 of them
# (Keras 3 uses the same ratio): a shape bomb stores next to nothing.
_EXPANSION_FLOOR_BYTES = 64 * 2**20
_MAX_EXPANSION = 1000


def _refuse(where, why):
    return ValueError(f"Refusing to read the weights file at '{where}': {why}. "
                      "It may be corrupted or crafted to read other files or exhaust "
                      "memory; load a file saved by Keras or kerlite.")


def hard_child(parent, name, kind, where):
    """``parent[name]`` if it is a hard link to a ``kind`` ("group" or "dataset"),
    None if absent; a ValueError for links or the wrong kind. Never follows a link."""
    import h5py

    if not name or "/" in name or name in (".", ".."):
        raise _refuse(where, f"'{name}' is not a plain name")
    link = parent.get(name, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        return_kind = type(link).__name__
        raise _refuse(where, f"'{name}' is a {return_kind}, and links are not followed")
    child = parent[name]
    expected = h5py.Group if kind == "group" else h5py.Dataset
    if not isinstance(child, expected):
        raise _refuse(where, f"'{name}' is a {type(child).__name__}, expected a {kind}")
    return child


def group_at(h5_file, path):
    """The group at ``path`` ("layers/dense/vars"), or None; hard links only."""
    group = h5_file
    walked = ""
    for part in path.split("/"):
        walked = f"{walked}/{part}" if walked else part
        group = hard_child(group, part, "group", walked)
        if group is None:
            return None
    return group


def check_dataset(dataset, where):
    """Refuse external or virtual storage, plugin filters and non-numeric dtypes.

    Returns ``(shape, dtype)``; nothing of the data is read.
    """
    if dataset.is_virtual:
        raise _refuse(where, "it is a virtual dataset (its data lives in other datasets "
                             "or files)")
    plist = dataset.id.get_create_plist()
    if dataset.external or plist.get_external_count():
        raise _refuse(where, "its data is stored in an external file")
    for index in range(plist.get_nfilters()):
        code = plist.get_filter(index)[0]
        if code not in _BUILTIN_FILTERS:
            raise _refuse(where, f"it uses the HDF5 filter {code}, which needs a plugin")
    dtype = dataset.dtype
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise _refuse(where, f"its dtype {dtype} is not a plain number type")
    return tuple(dataset.shape), dtype


def read_dataset(dataset, where):
    """The dataset's values as a NumPy array, after ``check_dataset`` and checks that
    it declares at most ``max_array_bytes`` and not far more than it stores."""
    shape, dtype = check_dataset(dataset, where)
    declared = math.prod(shape) * dtype.itemsize
    safe_loading.check_array_bytes(declared, f"the HDF5 dataset '{where}' of shape {shape}")
    if declared > _EXPANSION_FLOOR_BYTES:
        stored = dataset.id.get_storage_size()
        if declared > _MAX_EXPANSION * stored:
            raise _refuse(where, f"it declares shape {shape} ({declared:,} bytes) but "
                                 f"stores only {stored:,} bytes")
    return dataset[()]


def as_numpy(value):
    """A Variable, Tensor, CuPy or NumPy array (or number) as a NumPy array."""
    data = array_of(value)
    if not isinstance(data, numpy.ndarray) and hasattr(data, "shape"):
        return numpy.asarray(arrays.to_numpy(data))
    return numpy.asarray(data)


class WeightsWriter:
    """The store ``save_own_variables(store)`` fills: ``store["0"] = variable``."""

    def __init__(self, h5_file, path, name=None):
        self.group = h5_file.require_group(path)
        if isinstance(name, str):
            self.group.attrs["name"] = name

    def __setitem__(self, key, value):
        if key in self.group:
            del self.group[key]
        self.group.create_dataset(str(key), data=as_numpy(value))

    def __getitem__(self, key):
        return self.group[key][()]

    def __delitem__(self, key):
        del self.group[key]

    def __contains__(self, key):
        return key in self.group

    def __len__(self):
        return len(self.group)

    def keys(self):
        return list(self.group.keys())


class WeightsReader:
    """The store ``load_own_variables(store)`` reads: ``variable.assign(store["0"])``.

    ``group`` is None when the file has nothing for this object (an empty store).
    """

    def __init__(self, group, path):
        self.group = group
        self.path = path

    def _where(self, key):
        return f"{self.path}/{key}"

    def dataset(self, key):
        """The checked h5py Dataset for ``key`` (no data read), or a KeyError."""
        found = None if self.group is None else hard_child(
            self.group, str(key), "dataset", self._where(key))
        if found is None:
            raise KeyError(f"The weights file has no dataset '{self._where(key)}'.")
        check_dataset(found, self._where(key))
        return found

    def __getitem__(self, key):
        return read_dataset(self.dataset(key), self._where(key))

    def __contains__(self, key):
        # get(getlink=True) looks at the link only; `key in group` could follow it.
        return self.group is not None and self.group.get(str(key), getlink=True) is not None

    def __len__(self):
        return 0 if self.group is None else len(self.group)

    def keys(self):
        return [] if self.group is None else list(self.group.keys())

    def get(self, key, default=None):
        return self[key] if key in self else default
