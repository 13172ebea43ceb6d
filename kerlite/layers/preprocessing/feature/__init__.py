"""Feature preprocessing layers (Normalization)."""
from kerlite.layers.preprocessing.feature.normalization import Normalization

__all__ = ["Normalization"]
