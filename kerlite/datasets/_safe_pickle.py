"""Read pickled NumPy arrays (CIFAR batches, IMDB's ragged .npz) without trusting the file.

Unpickling can call any function a file names, with arguments of the file's choosing. Even
NumPy's own rebuilders are dangerous: ``numpy.ndarray((2**35,))`` or ``_reconstruct(ndarray,
(2**40,), b"b")`` allocate what the file asks for, and a ``dtype``'s pickled state can make it a
huge or malformed type. So nothing from NumPy is ever called while unpickling. The names a
dataset needs (the array rebuilder, ``ndarray``, ``dtype``, ``scalar``) load as *recipes*
that only record their arguments; once the whole pickle is read, each recipe is checked and
turned into an array whose size is bounded by the bytes actually in the file:

* a dtype must be a plain boolean, integer, float, complex or object type;
* raw data must be exactly as long as the shape and dtype say; an object array's list must
  have exactly one item per element;
* containers nested deeper than the load limit ``max_pickle_depth`` are refused (a few bytes
  of pickle can nest lists a million deep).

``load_npz`` reads at most ``max_array_bytes`` (a load limit) of one decompressed array (zip
bombs). Raise either with ``keras.config.set_load_limits`` for a file you trust.
Every refusal is a ``pickle.UnpicklingError`` that says the file may be corrupted or malicious.
"""

import io
import pickle
import zipfile

import numpy

from kerlite.safe_loading import limit_message, load_limit

_PLAIN_KINDS = "biufcO"  # bool, signed, unsigned, float, complex, object
_ADVICE = ("It may be corrupted or malicious. Delete it from the cache (~/.kerlite/datasets) "
           "and download it again.")


def _refuse(problem):
    return pickle.UnpicklingError(f"Refusing to load a dataset file: {problem}. {_ADVICE}")


class _NdarrayName:
    """Stands for ``numpy.ndarray`` in a pickle: only the array rebuilder may name it."""

    def __call__(self, *args, **kwargs):
        raise _refuse("it calls numpy.ndarray directly (NumPy never writes that)")


_NDARRAY = _NdarrayName()


class _Recipe:
    """What a pickle asked a NumPy rebuilder for: its arguments and its ``__setstate__`` state."""

    def __init__(self, *args):
        self.args = args
        self.state = None

    def __setstate__(self, state):
        self.state = state


class _ArrayRecipe(_Recipe):
    pass


class _DtypeRecipe(_Recipe):
    pass


class _ScalarRecipe(_Recipe):
    pass


_ALLOWED = {
    ("numpy", "ndarray"): _NDARRAY,
    ("numpy", "dtype"): _DtypeRecipe,
    ("numpy.core.multiarray", "_reconstruct"): _ArrayRecipe,
    ("numpy._core.multiarray", "_reconstruct"): _ArrayRecipe,
    ("numpy.core.multiarray", "scalar"): _ScalarRecipe,
    ("numpy._core.multiarray", "scalar"): _ScalarRecipe,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that can only rebuild NumPy arrays (and plain Python containers)."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file. {_ADVICE}")

    def persistent_load(self, pid):
        raise _refuse("it refers to an object outside the file (a persistent id)")


def load_pickle(file, encoding="bytes"):
    """Unpickle ``file``; NumPy arrays in it are rebuilt only after they were checked."""
    return _Builder().build(RestrictedUnpickler(file, encoding=encoding).load(), 0)


class _Builder:
    """Turns the recipes in an unpickled structure into checked NumPy values, once each."""

    def __init__(self):
        self.done = {}  # id of a recipe or container -> what it became (shared refs stay shared)

    def build(self, value, depth):
        if isinstance(value, (str, bytes, int, float, complex, bool, type(None))):
            return value
        key = id(value)
        if key in self.done:
            return self.done[key]
        if depth > load_limit("max_pickle_depth"):
            raise pickle.UnpicklingError(limit_message(
                "max_pickle_depth", depth, f"a dataset file whose data is nested more than "
                f"{depth - 1} levels deep") + f" {_ADVICE}")
        if isinstance(value, _ArrayRecipe):
            result = self._array(value, depth)
        elif isinstance(value, _ScalarRecipe):
            result = self._scalar(value, depth)
        elif isinstance(value, _DtypeRecipe):
            result = _dtype(value)
        elif isinstance(value, list):
            result = []
            self.done[key] = result  # before the items: a list may contain itself
            result.extend(self.build(item, depth + 1) for item in value)
            return result
        elif isinstance(value, dict):
            result = {}
            self.done[key] = result
            for name, item in value.items():
                result[self.build(name, depth + 1)] = self.build(item, depth + 1)
            return result
        elif isinstance(value, tuple):
            result = tuple(self.build(item, depth + 1) for item in value)
        else:
            raise _refuse(f"it contains an object of type {type(value).__name__}")
        self.done[key] = result
        return result

    def _array(self, recipe, depth):
        if recipe.args not in ((_NDARRAY, (0,), b"b"), (_NDARRAY, (0,), "b")) or not isinstance(
                recipe.state, tuple):
            raise _refuse("an array is pickled in a form NumPy never writes")
        try:
            _version, shape, dtype, fortran, data = recipe.state
        except ValueError:
            raise _refuse("an array's state has the wrong number of fields") from None
        if not (isinstance(shape, tuple) and all(type(n) is int and n >= 0 for n in shape)):
            raise _refuse(f"an array has an invalid shape {shape!r}")
        dtype = _dtype(dtype)
        count = 1
        for n in shape:
            count *= n
        order = "F" if fortran else "C"
        if dtype.hasobject:
            if not isinstance(data, list) or len(data) != count:
                raise _refuse(f"an object array of shape {shape} does not hold {count} items")
            out = numpy.empty(count, dtype=object)
            for i, item in enumerate(data):
                out[i] = self.build(item, depth + 1)
            return out.reshape(shape, order=order)
        if isinstance(data, str):  # a Python 2 string read with encoding="latin1"
            data = data.encode("latin1")
        if not isinstance(data, bytes) or len(data) != count * dtype.itemsize:
            raise _refuse(
                f"an array of shape {shape} and dtype {dtype} needs {count * dtype.itemsize} "
                f"bytes of data, the file has {len(data) if isinstance(data, bytes) else 'none'}")
        return numpy.frombuffer(data, dtype=dtype).reshape(shape, order=order).copy()

    def _scalar(self, recipe, depth):
        if len(recipe.args) not in (1, 2) or recipe.state is not None:
            raise _refuse("a NumPy scalar is pickled in a form NumPy never writes")
        dtype = _dtype(recipe.args[0])
        if dtype.hasobject:
            return self.build(recipe.args[1], depth + 1) if len(recipe.args) == 2 else None
        data = recipe.args[1] if len(recipe.args) == 2 else b""
        if isinstance(data, str):
            data = data.encode("latin1")
        if not isinstance(data, bytes) or len(data) != dtype.itemsize:
            raise _refuse(f"a scalar of dtype {dtype} does not hold {dtype.itemsize} bytes")
        return numpy.frombuffer(data, dtype=dtype)[0]


def _dtype(recipe):
    """A plain NumPy dtype from a dtype recipe; byte order is the only state it may set."""
    if not isinstance(recipe, _DtypeRecipe) or not recipe.args:
        raise _refuse("an array's dtype is not a NumPy dtype")
    spec = recipe.args[0]
    if not isinstance(spec, (str, bytes)) or len(spec) > 8:
        raise _refuse(f"a dtype is described as {spec!r}")
    try:
        dtype = numpy.dtype(spec.decode("latin1") if isinstance(spec, bytes) else spec)
    except TypeError:
        raise _refuse(f"{spec!r} is not a NumPy dtype") from None
    if dtype.kind not in _PLAIN_KINDS or dtype.subdtype is not None or dtype.names:
        raise _refuse(f"the dtype {dtype} is not a plain number or object type")
    state = recipe.state
    if state is not None:
        if not isinstance(state, tuple) or len(state) < 2 or any(
                item is not None for item in state[2:5]):
            raise _refuse(f"the dtype {dtype} has a structured or sub-array state {state!r}")
        if state[1] in ("<", ">"):
            dtype = dtype.newbyteorder(state[1])
    return dtype


def load_npz(path):
    """Read every array of an .npz into a dict; object arrays go through the restricted unpickler."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            key = member[:-4] if member.endswith(".npy") else member
            with archive.open(member) as stream:
                arrays[key] = _read_npy(io.BytesIO(_read_bounded(stream, member)))
    return arrays


def _read_bounded(stream, member):
    """The decompressed bytes of one .npz member, refusing more than ``max_array_bytes``."""
    limit = load_limit("max_array_bytes")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise pickle.UnpicklingError(limit_message(
            "max_array_bytes", f"more than {limit:,} bytes",
            f"the member {member!r} of a dataset file") + f" {_ADVICE}")
    return data


def _read_npy(stream):
    version = numpy.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = numpy.lib.format.read_array_header_1_0(stream)
    else:  # versions 2.0 and 3.0 share the header layout
        shape, fortran_order, dtype = numpy.lib.format.read_array_header_2_0(stream)
    if dtype.hasobject:
        return load_pickle(stream, encoding="latin1")
    data = stream.read()
    count = 1
    for n in shape:
        count *= n
    if len(data) != count * dtype.itemsize:
        raise _refuse(f"an array of shape {shape} and dtype {dtype} needs "
                      f"{count * dtype.itemsize} bytes of data, the file has {len(data)}")
    return numpy.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C").copy()
