"""Seeded images of simple shapes (circle, square, triangle) for a first convnet, offline.

Each image has one filled shape of random size, position (and, for squares and triangles,
rotation) on a dark background with a little noise. The shape is drawn with coordinate maths on
a pixel grid, so every image of a batch is made at once.
"""

import numpy

CLASS_NAMES = ("circle", "square", "triangle")


def make_shapes_images(n_samples=600, size=28, noise=0.05, seed=None):
    """Return ``(images, labels)``: float32 (n, size, size, 1) in [0, 1] and int32 (n,) in 0..2.

    Labels follow ``CLASS_NAMES``; the classes are balanced (they differ by at most one image).
    """
    if size < 8:
        raise ValueError(f"`size` must be at least 8 pixels. Received: size={size}")
    rng = numpy.random.default_rng(seed)
    labels = rng.permutation(numpy.arange(n_samples) % len(CLASS_NAMES))
    radius = rng.uniform(0.22, 0.36, (n_samples, 1, 1)) * size
    centre_x = size / 2 + rng.uniform(-0.12, 0.12, (n_samples, 1, 1)) * size
    centre_y = size / 2 + rng.uniform(-0.12, 0.12, (n_samples, 1, 1)) * size
    angle = rng.uniform(0, 2 * numpy.pi, (n_samples, 1, 1))
    brightness = rng.uniform(0.7, 1.0, (n_samples, 1, 1))

    rows, cols = numpy.mgrid[0:size, 0:size] + 0.5
    dx, dy = cols[None] - centre_x, rows[None] - centre_y
    # Coordinates in the shape's own rotated frame.
    u = dx * numpy.cos(angle) + dy * numpy.sin(angle)
    v = -dx * numpy.sin(angle) + dy * numpy.cos(angle)

    circle = dx**2 + dy**2 <= radius**2
    half_side = radius * 0.8
    square = (numpy.abs(u) <= half_side) & (numpy.abs(v) <= half_side)
    triangle = numpy.ones_like(circle)
    for k in range(3):  # inside all three edges of an equilateral triangle
        edge_angle = 2 * numpy.pi * k / 3
        triangle &= u * numpy.cos(edge_angle) + v * numpy.sin(edge_angle) <= radius / 2

    masks = numpy.stack([circle, square, triangle], axis=1)  # (n, 3, size, size)
    shape = masks[numpy.arange(n_samples), labels]
    images = shape * brightness + rng.normal(0.0, noise, shape.shape)
    images = numpy.clip(images, 0.0, 1.0).astype(numpy.float32)
    return images[..., None], labels.astype(numpy.int32)
