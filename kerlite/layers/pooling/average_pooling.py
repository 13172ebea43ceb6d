"""AveragePooling1D, AveragePooling2D, AveragePooling3D: the mean of each window.

With padding="same" the border windows average only the real values (padding does not
count), as in Keras. The gradient is shared equally by the window's elements.
"""

from kerlite.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over 1 spatial dimension."""

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 1, "average", padding, data_format, name=name,
                         **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over 2 spatial dimensions."""

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 2, "average", padding, data_format, name=name,
                         **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling over 3 spatial dimensions."""

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, 3, "average", padding, data_format, name=name,
                         **kwargs)
