"""Random numbers with the names of ``keras.random``, seeded by set_random_seed."""

from kerlite.random.random_ops import (categorical, dropout, normal, randint, shuffle,
                                       truncated_normal, uniform)
from kerlite.random.seed_generator import SeedGenerator
