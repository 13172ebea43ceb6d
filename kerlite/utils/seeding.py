"""One call that makes a run reproducible."""

import random as python_random

import numpy


def set_random_seed(seed):
    """Seed Python's, NumPy's and kerlite's random generators (as keras.utils does)."""
    from kerlite.random import seed_generator

    python_random.seed(seed)
    numpy.random.seed(seed)
    seed_generator.set_global_seed(seed)
