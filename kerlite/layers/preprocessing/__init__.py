"""Preprocessing layers: images, numeric features, and lookups of strings and integers."""
from kerlite.layers.preprocessing.feature import *  # noqa: F401,F403
from kerlite.layers.preprocessing.image import *  # noqa: F401,F403
from kerlite.layers.preprocessing.lookup import *  # noqa: F401,F403
