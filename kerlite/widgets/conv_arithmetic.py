"""Convolution arithmetic: output size, padding, receptive field (no widgets here).

For one spatial axis of ``size`` pixels, a kernel of ``k`` taps spaced ``d`` apart
(``dilation_rate``) covers ``(k - 1)·d + 1`` pixels and moves ``s`` pixels (``strides``)
at a time:

- ``padding="valid"``: the window must fit, ``out = ⌊(size − (k − 1)·d − 1) / s⌋ + 1``;
- ``padding="same"``: zeros are added so that ``out = ⌈size / s⌉``; the zeros needed,
  ``(out − 1)·s + (k − 1)·d + 1 − size``, go half before and the rest after (one more
  after when odd), as in Keras.

``apply_conv`` runs a real kerlite ``Conv2D`` on an image, so the explorer's sizes are
the layer's, not only the formula's.
"""

from collections import namedtuple

import numpy

import kerlite as keras

ConvSettings = namedtuple("ConvSettings", "kernel_size strides padding dilation_rate")


def effective_kernel(kernel_size, dilation_rate):
    """How many pixels one window spans along an axis: ``(k − 1)·d + 1``."""
    return (kernel_size - 1) * dilation_rate + 1


def conv_output_size(size, settings):
    """The output length along one axis, by the formula (``None`` when nothing fits)."""
    span = effective_kernel(settings.kernel_size, settings.dilation_rate)
    if settings.padding == "same":
        return -(-size // settings.strides)
    if span > size:
        return None
    return (size - span) // settings.strides + 1


def padding_before_after(size, settings):
    """The zeros added ``(before, after)`` the image along one axis."""
    if settings.padding != "same":
        return 0, 0
    out = conv_output_size(size, settings)
    span = effective_kernel(settings.kernel_size, settings.dilation_rate)
    total = max((out - 1) * settings.strides + span - size, 0)
    return total // 2, total - total // 2


def receptive_field(output_index, size, settings):
    """The input positions read by output ``output_index`` along one axis.

    Positions below 0 or at ``size`` and above fall in the padding (zeros).
    """
    before, _ = padding_before_after(size, settings)
    start = output_index * settings.strides - before
    return [start + tap * settings.dilation_rate for tap in range(settings.kernel_size)]


def formula_text(size, settings):
    """The output-size formula with the numbers filled in, as one line of text."""
    k, s, d = settings.kernel_size, settings.strides, settings.dilation_rate
    out = conv_output_size(size, settings)
    if settings.padding == "same":
        before, after = padding_before_after(size, settings)
        return (f'padding="same": out = ⌈n / s⌉ = ⌈{size} / {s}⌉ = {out} '
                f"(zeros added: {before} before, {after} after)")
    result = out if out is not None else "nothing fits (the window is larger than the image)"
    return (f'padding="valid": out = ⌊(n − (k − 1)·d − 1) / s⌋ + 1 = '
            f"⌊({size} − ({k} − 1)·{d} − 1) / {s}⌋ + 1 = {result}")


def averaging_conv(settings, name="explorer_conv"):
    """A ``Conv2D`` with one filter that averages its ``k × k`` taps (no learning needed).

    Keras's own checks apply: e.g. ``strides > 1`` with ``dilation_rate > 1`` raises
    ValueError, as the real layer does.
    """
    k = settings.kernel_size
    return keras.layers.Conv2D(
        1, k, strides=settings.strides, padding=settings.padding,
        dilation_rate=settings.dilation_rate, use_bias=False, name=name,
        kernel_initializer=keras.initializers.Constant(1.0 / (k * k)))


def apply_conv(image, settings):
    """Run the averaging ``Conv2D`` on a 2-D image; return ``(output_map, output_shape)``.

    ``output_shape`` is the layer's own answer for a batch of one, ``(1, h, w, 1)``.
    """
    batch = numpy.asarray(image, dtype="float32")[None, :, :, None]
    layer = averaging_conv(settings)
    output = keras.ops.convert_to_numpy(layer(batch))
    return output[0, :, :, 0], tuple(output.shape)

