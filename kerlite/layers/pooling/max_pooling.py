"""MaxPooling1D, MaxPooling2D, MaxPooling3D: keep the largest value of each window.

The strongest response of a feature detector in a neighbourhood survives, wherever
exactly it was: the map gets smaller and a little shift-tolerant. The gradient flows only
to the element that was the maximum.
"""

from kerlite.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling over 1 spatial dimension."""

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 1, "max", padding, data_format, name=name,
                         **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over 2 spatial dimensions."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 2, "max", padding, data_format, name=name,
                         **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling over 3 spatial dimensions."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 3, "max", padding, data_format, name=name,
                         **kwargs)
