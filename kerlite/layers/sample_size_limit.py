"""A bound on one sample of output, for the layers that multiply sizes by a number from config.

``RepeatVector(n)``, ``UpSampling*D(size)``, ``ZeroPadding*D(padding)``, ``Resizing(height,
width)``, ``CategoryEncoding(num_tokens)`` and ``Conv*DTranspose(strides)`` turn a small input
into an output as large as their arguments say. A few bytes of a model file (or a typo) can
ask for gigabytes *per sample*: the model builds or loads, because shapes are symbolic, and the
first ``predict`` exhausts memory and kills the notebook's kernel (Keras 3.15 too).

These layers check the size of one sample of their output when they work out their output
shape (building a model, or loading one), and refuse past the load limit
``max_sample_bytes`` with a ValueError that names the layer, the shape and the
``keras.config.set_load_limits`` call that raises the limit. kerlite is stricter
than Keras here on purpose.
"""

import numpy

from kerlite.safe_loading import check_limit


def check_sample_size(layer, output_shape, argument, itemsize=None):
    """Refuse an ``output_shape`` whose one sample needs more than ``max_sample_bytes``.

    ``argument`` names the layer's setting that made the output this large (for the message);
    ``itemsize`` defaults to the layer's dtype's. Unknown sizes (None) are not counted: they
    depend on the data, not on the config.
    """
    sample_axes = output_shape[1:] if len(output_shape) > 1 else output_shape
    elements = 1
    for size in sample_axes:
        if size is not None:
            elements *= int(size)
    if itemsize is None:
        itemsize = max(numpy.dtype(layer._numpy_dtype).itemsize, 1)
    needed = elements * itemsize
    check_limit("max_sample_bytes", needed,
                f'layer "{layer.name}" ({type(layer).__name__}) with {argument}, whose output '
                f"{tuple(output_shape)} would take {needed:,} bytes per sample (it would "
                "exhaust memory on the first predict; use a smaller value if you can)")
    return output_shape
