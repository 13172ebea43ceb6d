"""Boston housing prices (Harrison and Rubinfeld, 1978): 506 districts, 13 features each.

Targets are median home values in thousands of dollars (about 5 to 50). The data comes from the
StatLib archive (it is known to encode a racially biased feature, B; kept as in Keras for the
classic exercises). Downloaded on first use (57 KB).
"""

import numpy

from kerlite.datasets import _fetch

ORIGIN = _fetch.KERAS_DATASETS_URL + "boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"  # sha256


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``: x (n, 13), y (n,) as stored in the file.

    The rows are shuffled with ``numpy.random.RandomState(seed)``; the last ``test_split``
    fraction is the test set (404 / 102 rows by default, as in Keras).
    """
    _fetch.check_test_split(test_split)
    local = _fetch.fetch(path, ORIGIN, FILE_HASH, cache_dir=cache_dir,
                         offline_alternatives=_fetch.OFFLINE_TABLES)
    with numpy.load(local, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    return _fetch.shuffle_and_split(x, y, test_split, seed)
