"""California housing (Pace and Barry, 1997, 1990 US census): 20,640 block groups, 8 features.

Features: longitude, latitude, housing median age, total rooms, total bedrooms, population,
households, median income. Targets: median house value in dollars. Downloaded on first use.
"""

import numpy

from kerlite.datasets import _fetch

ORIGIN = _fetch.KERAS_DATASETS_URL + "california_housing.npz"
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"  # sha256
SMALL_VERSION_ROWS = 600


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113,
              cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``: x (n, 8), y (n,) as stored in the file.

    ``version="small"`` keeps the first 600 rows (quick experiments); "large" keeps all 20,640.
    Rows are shuffled with ``numpy.random.RandomState(seed)``; the last ``test_split`` fraction
    is the test set.
    """
    _fetch.check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    local = _fetch.fetch(path, ORIGIN, FILE_HASH, cache_dir=cache_dir,
                         offline_alternatives=_fetch.OFFLINE_TABLES)
    with numpy.load(local, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    if version == "small":
        x, y = x[:SMALL_VERSION_ROWS], y[:SMALL_VERSION_ROWS]
    return _fetch.shuffle_and_split(x, y, test_split, seed)
