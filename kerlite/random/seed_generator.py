"""Where random numbers come from: one global generator, or a SeedGenerator of your own.

``kerlite.utils.set_random_seed(seed)`` reseeds the global generator, so a whole run
(weight initialisation, dropout masks, shuffling) repeats exactly.
"""

import numpy


class _Global:
    generator = numpy.random.default_rng()


def set_global_seed(seed):
    _Global.generator = numpy.random.default_rng(seed)


class SeedGenerator:
    """A private random stream (as ``keras.random.SeedGenerator``).

    Pass it as ``seed=`` to the functions of ``kerlite.random``: each call draws new
    numbers, and two generators built with the same seed give the same sequence.
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is not None and not isinstance(seed, (int, numpy.integer)):
            raise ValueError(
                "SeedGenerator(seed=...) expects an int or None. "
                f"Received: seed={seed!r} of type {type(seed).__name__}"
            )
        if seed is None:
            seed = int(_Global.generator.integers(0, 2**31 - 1))
        self.initial_seed = seed
        self.name = name or "seed_generator"
        self.generator = numpy.random.default_rng(seed)

    def get_config(self):
        return {"seed": self.initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self.initial_seed}>"


def host_generator(seed):
    """The NumPy Generator for ``seed``: None (global), an int, or a SeedGenerator."""
    if seed is None:
        return _Global.generator
    if isinstance(seed, SeedGenerator):
        return seed.generator
    if isinstance(seed, (int, numpy.integer)) and not isinstance(seed, bool):
        # The same int seed gives the same numbers at every call (as in Keras).
        return numpy.random.default_rng(int(seed))
    raise ValueError(
        "seed must be None, an int or a kerlite.random.SeedGenerator. "
        f"Received: seed={seed!r} of type {type(seed).__name__}"
    )
