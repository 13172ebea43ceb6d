"""Real handwritten digits that ship with kerlite: works offline, loads in milliseconds.

1,797 images of the digits 0-9 written by 13 people (UCI "Optical Recognition of Handwritten
Digits", Alpaydin and Kaynak 1998, CC BY 4.0; see data/LICENSE.txt). Each original image is 8x8
with pixel values 0..16. ``size=28`` turns them into MNIST look-alikes: each digit is enlarged to
20x20 with bilinear interpolation, scaled to 0..255 and centred in a 28x28 frame, as MNIST's
digits are, so a model written for ``mnist.load_data()`` runs unchanged::

    (x_train, y_train), (x_test, y_test) = kerlite.datasets.digits.load_data(size=28)
    x_train.shape, x_train.dtype          # (1437, 28, 28) uint8
"""

import os

import numpy

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "digits.npz")
LICENSE_FILE = os.path.join(os.path.dirname(__file__), "data", "LICENSE.txt")
ORIGINAL_SIZE = 8
MAX_ORIGINAL_VALUE = 16
MNIST_DIGIT_BOX = 20 / 28  # MNIST digits fill a 20x20 box inside their 28x28 image


def load_data(size=8, test_split=0.2, seed=113):
    """Return ``(x_train, y_train), (x_test, y_test)``; x uint8 (n, size, size), y uint8 (n,).

    size: 8 gives the original images (values 0..16); any larger size (28 for MNIST-shaped
        models) gives enlarged, centred digits with values 0..255.
    test_split: fraction of the 1,797 images kept for testing (0.2 -> 1437 train, 360 test).
    seed: seed of the shuffle before the split (``numpy.random.RandomState``), as in Keras.
    """
    if not isinstance(size, (int, numpy.integer)) or size < ORIGINAL_SIZE:
        raise ValueError(
            f"`size` must be an int >= 8 (8 for the original images, 28 for MNIST-shaped ones). "
            f"Received: size={size!r}"
        )
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (1 excluded)."
        )
    images, labels = load_original()
    if size != ORIGINAL_SIZE:
        images = upsample(images, size)
    order = numpy.arange(len(images))
    numpy.random.RandomState(seed).shuffle(order)
    images, labels = images[order], labels[order]
    cut = int(len(images) * (1 - test_split))
    return (images[:cut], labels[:cut]), (images[cut:], labels[cut:])


def load_original():
    """All 1,797 original images, uint8 (1797, 8, 8) with values 0..16, and labels uint8 (1797,)."""
    with numpy.load(DATA_FILE, allow_pickle=False) as data:
        return data["images"], data["labels"]


def upsample(images, size=28):
    """Enlarge 8x8 digits (0..16) to centred ``size`` x ``size`` uint8 images (0..255).

    The digit is resized to a box of ``round(size * 20 / 28)`` pixels by bilinear interpolation
    (out = R @ image @ R.T with a resize matrix R) and placed in the middle of a black frame.
    """
    box = max(ORIGINAL_SIZE, int(round(size * MNIST_DIGIT_BOX)))
    resize = _bilinear_matrix(ORIGINAL_SIZE, box)
    enlarged = numpy.einsum("ij,njk,lk->nil", resize, images.astype(numpy.float32), resize)
    scaled = numpy.clip(numpy.rint(enlarged * (255.0 / MAX_ORIGINAL_VALUE)), 0, 255)
    out = numpy.zeros((len(images), size, size), dtype=numpy.uint8)
    start = (size - box) // 2
    out[:, start:start + box, start:start + box] = scaled.astype(numpy.uint8)
    return out


def _bilinear_matrix(n_in, n_out):
    """(n_out, n_in) matrix: row i mixes the two input pixels nearest to output pixel i's centre."""
    centres = (numpy.arange(n_out, dtype=numpy.float32) + 0.5) * (n_in / n_out) - 0.5
    centres = numpy.clip(centres, 0, n_in - 1)
    left = numpy.floor(centres).astype(int)
    right = numpy.minimum(left + 1, n_in - 1)
    weight_right = centres - left
    matrix = numpy.zeros((n_out, n_in), dtype=numpy.float32)
    rows = numpy.arange(n_out)
    numpy.add.at(matrix, (rows, left), 1 - weight_right)
    numpy.add.at(matrix, (rows, right), weight_right)
    return matrix
