"""Datasets with Keras's ``load_data()`` API, plus small data that works offline.

Downloaded on first use, then cached in ``$KERLITE_HOME/datasets`` (default ``~/.kerlite/datasets``),
each file checked against a fixed hash: ``mnist``, ``fashion_mnist``, ``cifar10``, ``imdb``,
``boston_housing``, ``california_housing`` (same files and splits as ``keras.datasets``).

Shipped inside kerlite (no network needed): ``digits`` (1,797 real handwritten digits, 8x8 or
upsampled to MNIST's 28x28) and ``generators`` (seeded spirals, moons, XOR, blobs, regression,
shape images, sequence tasks, toy ticket and sentiment text).
"""

from kerlite.datasets import boston_housing
from kerlite.datasets import california_housing
from kerlite.datasets import cifar10
from kerlite.datasets import digits
from kerlite.datasets import fashion_mnist
from kerlite.datasets import generators
from kerlite.datasets import imdb
from kerlite.datasets import mnist
from kerlite.datasets._fetch import DatasetDownloadError
from kerlite.datasets.generators import (
    make_blobs,
    make_moons,
    make_regression,
    make_sentiment,
    make_sequence_task,
    make_shapes_images,
    make_spirals,
    make_tickets,
    make_xor,
)
