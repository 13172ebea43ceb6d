"""CIFAR-10: 60,000 32x32 colour images in 10 classes (Krizhevsky, Nair and Hinton, 2009).

Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship,
9 truck. Downloaded on first use (a 163 MB .tar.gz of pickled batches, read safely).
"""

import os

import numpy

from kerlite.datasets import _fetch
from kerlite.datasets._safe_pickle import load_pickle

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"  # sha256
FOLDER = "cifar-10-batches-py-target"
CLASS_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)


def load_data(cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``.

    x: uint8 (50000, 32, 32, 3) and (10000, 32, 32, 3) (channels last);
    y: uint8 (50000, 1) and (10000, 1), class ids 0..9.
    """
    folder = _fetch.fetch(FOLDER, ORIGIN, FILE_HASH, cache_dir=cache_dir, extract=True)
    batches = os.path.join(folder, "cifar-10-batches-py")
    train = [load_batch(os.path.join(batches, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = numpy.concatenate([x for x, _ in train])
    y_train = numpy.concatenate([y for _, y in train])
    x_test, y_test = load_batch(os.path.join(batches, "test_batch"))
    return (_channels_last(x_train), y_train.reshape(-1, 1)), (_channels_last(x_test), y_test.reshape(-1, 1))


def load_batch(fpath, label_key="labels"):
    """One pickled CIFAR batch -> (uint8 images (n, 3, 32, 32), uint8 labels (n,))."""
    with open(fpath, "rb") as file:
        batch = load_pickle(file)
    if not isinstance(batch, dict):
        raise ValueError(f"{fpath} is not a CIFAR batch: it holds a {type(batch).__name__}, "
                         "not a dict.")
    batch = {key.decode("utf8") if isinstance(key, bytes) else key: value
             for key, value in batch.items()}
    images, labels = batch.get("data"), batch.get(label_key)
    # Checked before NumPy converts them: a list of lists can share one inner list a million
    # times and expand to gigabytes.
    if not isinstance(images, numpy.ndarray) or images.size % 3072:
        raise ValueError(f"{fpath} is not a CIFAR batch: 'data' must be an array of "
                         "3072-byte images.")
    if not (isinstance(labels, numpy.ndarray) and labels.ndim == 1) and not (
            isinstance(labels, list) and all(type(label) is int for label in labels)):
        raise ValueError(f"{fpath} is not a CIFAR batch: {label_key!r} must be a list of ints.")
    images = numpy.asarray(images, dtype=numpy.uint8).reshape(-1, 3, 32, 32)
    return images, numpy.asarray(labels, dtype=numpy.uint8)


def _channels_last(images):
    return numpy.ascontiguousarray(images.transpose(0, 2, 3, 1))
