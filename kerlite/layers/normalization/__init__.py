"""Normalization layers."""

from kerlite.layers.normalization.batch_normalization import BatchNormalization
from kerlite.layers.normalization.group_normalization import GroupNormalization
from kerlite.layers.normalization.layer_normalization import LayerNormalization
from kerlite.layers.normalization.rms_normalization import RMSNormalization
from kerlite.layers.normalization.spectral_normalization import SpectralNormalization
from kerlite.layers.normalization.unit_normalization import UnitNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization",
           "RMSNormalization", "SpectralNormalization", "UnitNormalization"]
