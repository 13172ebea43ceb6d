"""Regularization layers."""
from kerlite.layers.regularization.activity_regularization import ActivityRegularization
from kerlite.layers.regularization.alpha_dropout import AlphaDropout
from kerlite.layers.regularization.dropout import Dropout
from kerlite.layers.regularization.gaussian_noise import GaussianDropout, GaussianNoise
from kerlite.layers.regularization.spatial_dropout import (SpatialDropout1D, SpatialDropout2D,
                                                           SpatialDropout3D)
