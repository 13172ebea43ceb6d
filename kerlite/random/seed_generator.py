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

    Its whole state is a Variable, ``state = [seed, draws so far]`` (uint32, not
    trainable, named ``seed_generator_state`` as in Keras 3): each draw seeds NumPy's
    generator with the state and then counts one more. A layer that holds a
    SeedGenerator lists this state in ``layer.variables`` (not in ``layer.weights``,
    and not as a parameter). As in Keras 3, model files do not store it.
    """

    def __init__(self, seed=None, name=None, **kwargs):
        from kerlite.autodiff.variable import Variable
        from kerlite.common import naming

        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        if seed is not None and (not isinstance(seed, (int, numpy.integer))
                                 or isinstance(seed, bool)):
            raise ValueError(
                "SeedGenerator(seed=...) expects an int or None. "
                f"Received: seed={seed!r} of type {type(seed).__name__}"
            )
        self._initial_seed = None if seed is None else int(seed)
        if seed is None:
            seed = int(_Global.generator.integers(1, 10**9))
        self.initial_seed = int(seed)
        self.name = name or naming.unique_name("seed_generator")
        self.state = Variable(numpy.array([int(seed) % 2**32, 0], dtype="uint32"),
                              dtype="uint32", trainable=False, name="seed_generator_state")
        self.state.path = f"{self.name}/seed_generator_state"

    def next_generator(self):
        """A NumPy Generator for the next draw; the state moves one step on."""
        from kerlite import arrays

        seed, count = (int(v) for v in arrays.to_numpy(self.state.data))
        self.state.assign(numpy.array([seed, (count + 1) % 2**32], dtype="uint32"))
        return numpy.random.default_rng([seed, count])

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

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
        return seed.next_generator()
    if isinstance(seed, (int, numpy.integer)) and not isinstance(seed, bool):
        # The same int seed gives the same numbers at every call (as in Keras).
        return numpy.random.default_rng(int(seed))
    raise ValueError(
        "seed must be None, an int or a kerlite.random.SeedGenerator. "
        f"Received: seed={seed!r} of type {type(seed).__name__}"
    )
