"""Convolutional layers."""

from kerlite.layers.convolutional.conv import Conv1D, Conv2D, Conv3D
from kerlite.layers.convolutional.conv_transpose import (Conv1DTranspose, Conv2DTranspose,
                                                         Conv3DTranspose)
from kerlite.layers.convolutional.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from kerlite.layers.convolutional.separable_conv import SeparableConv1D, SeparableConv2D

# Keras's aliases
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose, Convolution3DTranspose = Conv2DTranspose, Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = [
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose",
    "Convolution2DTranspose", "Convolution3DTranspose", "SeparableConvolution1D",
    "SeparableConvolution2D",
]
