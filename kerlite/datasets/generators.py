"""All seeded data generators in one place (``from kerlite.datasets.generators import ...``).

points: ``make_spirals``, ``make_moons``, ``make_xor``, ``make_blobs``, ``make_regression``
images: ``make_shapes_images``        sequences: ``make_sequence_task``
text:   ``make_tickets`` (multi-input router), ``make_sentiment`` (IMDB-like reviews)
"""

from kerlite.datasets.point_clouds import make_blobs, make_moons, make_regression, make_spirals, make_xor
from kerlite.datasets.sequence_tasks import make_sequence_task
from kerlite.datasets.shape_images import make_shapes_images
from kerlite.datasets.toy_text import make_sentiment, make_tickets

__all__ = [
    "make_blobs", "make_moons", "make_regression", "make_spirals", "make_xor",
    "make_sequence_task", "make_shapes_images", "make_sentiment", "make_tickets",
]
