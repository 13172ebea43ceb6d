"""What the downloadable datasets share: fetching with a helpful offline error, and splitting.

Each ``load_data`` downloads its files once with ``kerlite.utils.get_file`` (checked against a
fixed hash, cached under ``$KERLITE_HOME/datasets`` or ``~/.kerlite/datasets``). When there is no
network, the error says which datasets shipped inside kerlite can be used instead.
"""

import os

import numpy

from kerlite.utils.file_utils import DownloadError, get_file, kerlite_home

# Where Keras downloads its datasets from (the same public copies, the same hashes).
KERAS_DATASETS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

OFFLINE_IMAGES = (
    "kerlite.datasets.digits.load_data(size=28) (real handwritten digits, 28x28 uint8 like "
    "MNIST) or kerlite.datasets.generators.make_shapes_images(n_samples, size=28)"
)
OFFLINE_TEXT = (
    "kerlite.datasets.generators.make_sentiment(n_samples) (integer word sequences with "
    "0/1 labels, like IMDB) or kerlite.datasets.generators.make_tickets(n_samples)"
)
OFFLINE_TABLES = (
    "kerlite.datasets.generators.make_regression(n_samples, n_features=13) (a float32 "
    "regression table) or kerlite.datasets.digits.load_data()"
)


class DatasetDownloadError(DownloadError):
    """A dataset could not be downloaded; the message names offline alternatives."""


def fetch(fname, origin, file_hash, cache_dir=None, cache_subdir="datasets", extract=False,
          offline_alternatives=OFFLINE_IMAGES):
    """``get_file`` for a dataset file, turning a network failure into a friendly error."""
    try:
        return get_file(
            fname,
            origin=origin,
            file_hash=file_hash,
            cache_subdir=cache_subdir,
            extract=extract,
            cache_dir=cache_dir,
        )
    except DownloadError as error:
        root = os.path.expanduser(cache_dir) if cache_dir is not None else kerlite_home()
        folder = os.path.join(root, cache_subdir)
        raise DatasetDownloadError(
            f"Could not download {fname} ({error}). Are you offline? Datasets shipped with "
            f"kerlite work without a network: {offline_alternatives}. Or copy the file "
            f"{fname} into the cache folder {folder} (set by cache_dir= or $KERLITE_HOME)."
        ) from error


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 "
            "(0 included, 1 excluded), e.g. test_split=0.2 keeps 20% of the samples for testing."
        )


def shuffle_and_split(x, y, test_split, seed):
    """Shuffle with ``numpy.random.RandomState(seed)`` and cut as Keras's housing loaders do."""
    order = numpy.arange(len(x))
    numpy.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (numpy.array(x[:cut]), numpy.array(y[:cut])), (numpy.array(x[cut:]), numpy.array(y[cut:]))
