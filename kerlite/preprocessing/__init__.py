"""``keras.preprocessing``: Keras 3 keeps a few data helpers here as well as in utils."""

from kerlite.preprocessing import sequence
from kerlite.utils.timeseries_dataset import timeseries_dataset_from_array
