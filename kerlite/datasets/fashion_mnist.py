"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 kinds of clothing (Zalando, MIT licence).

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
8 Bag, 9 Ankle boot. Downloaded on first use (four gzipped IDX files, about 30 MB).
"""

import gzip
import os

import numpy

from kerlite.datasets import _fetch

BASE_URL = _fetch.KERAS_DATASETS_URL
# md5 digests published by Zalando Research for the four files.
FILE_HASHES = {
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
}
CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
_LABEL_HEADER_BYTES = 8
_IMAGE_HEADER_BYTES = 16


def load_data(cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``: uint8 (60000, 28, 28), uint8 (60000,),
    uint8 (10000, 28, 28), uint8 (10000,)."""
    paths = {
        name: _fetch.fetch(name, BASE_URL + name, file_hash, cache_dir=cache_dir,
                           cache_subdir=os.path.join("datasets", "fashion-mnist"))
        for name, file_hash in FILE_HASHES.items()
    }
    y_train = _read_idx(paths["train-labels-idx1-ubyte.gz"], _LABEL_HEADER_BYTES)
    x_train = _read_idx(paths["train-images-idx3-ubyte.gz"], _IMAGE_HEADER_BYTES)
    y_test = _read_idx(paths["t10k-labels-idx1-ubyte.gz"], _LABEL_HEADER_BYTES)
    x_test = _read_idx(paths["t10k-images-idx3-ubyte.gz"], _IMAGE_HEADER_BYTES)
    return (x_train.reshape(len(y_train), 28, 28), y_train), (x_test.reshape(len(y_test), 28, 28), y_test)


def _read_idx(path, header_bytes):
    """The uint8 payload of a gzipped IDX file (the header holds magic number and sizes)."""
    with gzip.open(path, "rb") as file:
        return numpy.frombuffer(file.read(), numpy.uint8, offset=header_bytes).copy()
