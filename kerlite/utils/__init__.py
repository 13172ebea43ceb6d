"""Utilities: random seeds, naming, and (lazily) plotting and data helpers."""

from kerlite.utils.seeding import set_random_seed
