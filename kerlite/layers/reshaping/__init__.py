"""Reshaping layers."""
from kerlite.layers.reshaping.flatten import Flatten
from kerlite.layers.reshaping.permute import Permute
from kerlite.layers.reshaping.repeat_vector import RepeatVector
from kerlite.layers.reshaping.reshape import Reshape
from kerlite.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from kerlite.layers.reshaping.upsampling import UpSampling1D, UpSampling2D, UpSampling3D
from kerlite.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
