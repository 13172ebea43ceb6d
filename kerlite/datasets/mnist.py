"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale.

Copyright Yann LeCun and Corinna Cortes, a derivative of NIST data; available under the
Creative Commons Attribution-Share Alike 3.0 licence. Downloaded on first use (about 11 MB).
Offline? ``kerlite.datasets.digits.load_data(size=28)`` gives real digits of the same shape.
"""

import numpy

from kerlite.datasets import _fetch

ORIGIN = _fetch.KERAS_DATASETS_URL + "mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # sha256


def load_data(path="mnist.npz", cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``.

    x: uint8 arrays of shape (60000, 28, 28) and (10000, 28, 28), pixel values 0..255.
    y: uint8 arrays of shape (60000,) and (10000,), digits 0..9.
    ``path`` is the file name inside the cache folder ($KERLITE_HOME/datasets).
    """
    local = _fetch.fetch(path, ORIGIN, FILE_HASH, cache_dir=cache_dir)
    with numpy.load(local, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
