"""A bound on one sample of output, for the layers that multiply sizes by a number from config.

``RepeatVector(n)``, ``UpSampling*D(size)``, ``ZeroPadding*D(padding)``, ``Resizing(height,
width)``, ``CategoryEncoding(num_tokens)`` and ``Conv*DTranspose(strides)`` turn a small input
into an output as large as their arguments say. A few bytes of a model file (or a typo) can
ask for gigabytes *per sample*: the model builds or loads, because shapes are symbolic, and the
first ``predict`` exhausts memory and kills the notebook's kernel (Keras 3.15 too).

These layers check the size of one sample of their output when they work out their output
shape (building a model, or loading one), and refuse past ``MAX_SAMPLE_BYTES`` with a
ValueError that names the layer, the shape and how to raise the limit. kerlite is stricter
than Keras here on purpose.
"""

import numpy

# Bytes of one sample (the batch axis excluded) of one layer's output.
MAX_SAMPLE_BYTES = 2**30


def check_sample_size(layer, output_shape, argument, itemsize=None):
    """Refuse an ``output_shape`` whose one sample needs more than ``MAX_SAMPLE_BYTES``.

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
    if needed > MAX_SAMPLE_BYTES:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) with {argument} would make each '
            f"sample of its output {tuple(output_shape)} take {needed:,} bytes, beyond the "
            f"limit kerlite.layers.sample_size_limit.MAX_SAMPLE_BYTES={MAX_SAMPLE_BYTES:,} "
            "(such a model exhausts memory on its first predict). Use a smaller value; if you "
            "really need it, raise the limit first: "
            f"`kerlite.layers.sample_size_limit.MAX_SAMPLE_BYTES = {needed}`.")
    return output_shape
