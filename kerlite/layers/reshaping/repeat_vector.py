"""RepeatVector: (batch, features) -> (batch, n, features), the vector n times."""

from kerlite import ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.layer import Layer
from kerlite.layers.sample_size_limit import check_sample_size


class RepeatVector(Layer):
    """Args: n, how many times to repeat (e.g. the length of a decoded sequence)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n).__name__}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))  # refuses a huge output first
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return check_sample_size(self, (input_shape[0], self.n, input_shape[1]), f"n={self.n}")

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
