"""SpectralNormalization: keep a layer's kernel at spectral norm (largest singular value) 1.

GANs use it to make the discriminator Lipschitz-bounded. The largest singular value
sigma of the kernel W (reshaped to a matrix with its last axis as columns) is estimated
by power iteration, carried over between steps in the vector ``u``:

    v = normalize(u W^T),   u = normalize(v W),   sigma = v W u^T

Each training call replaces the kernel by W / sigma (and stores the new ``u``); at
inference the layer just calls the wrapped layer. As in Keras on TensorFlow, the
division is an update of the kernel's value, so gradients flow to the kernel as the
wrapped layer uses it, not through sigma.
"""

from kerlite import arrays, initializers, ops
from kerlite.graph.input_spec import InputSpec
from kerlite.layers.wrappers.wrapper import Wrapper


class SpectralNormalization(Wrapper):
    """``keras.layers.SpectralNormalization(layer, power_iterations=1)``: ``layer`` must
    have a ``kernel`` (Dense, Conv...) or ``embeddings`` (Embedding) weight.

    Weights (Keras order): the wrapped kernel, ``vector_u`` of shape (1, kernel.shape[-1])
    (not trainable), then the wrapped layer's other weights.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f'SpectralNormalization "{self.name}" needs a layer with a `kernel` or '
                f"`embeddings` weight, but {type(self.layer).__name__} "
                f'"{self.layer.name}" has neither.')
        # Keras tracks the kernel as a weight of the wrapper too (this sets the order).
        self.kernel = kernel
        self._trainable_variables.append(kernel)
        self.vector_u = self.add_weight(
            name="vector_u", shape=(1, kernel.shape[-1]), dtype=kernel.dtype,
            initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False)

    def call(self, inputs, training=False):
        if training:
            self._normalize_kernel()
        return ops.cast(self.layer(inputs), inputs.dtype)

    def _normalize_kernel(self):
        """One power-iteration update of ``u`` and the kernel's division by sigma."""
        kernel = self.kernel.data
        xp = arrays.get_array_module(kernel)
        if not xp.any(kernel):
            return  # an all-zero kernel has sigma 0: leave it (and u) alone
        matrix = kernel.reshape(-1, kernel.shape[-1])
        u = self.vector_u.data
        for _ in range(self.power_iterations):
            v = _l2_normalize(u @ matrix.T, xp)
            u = _l2_normalize(v @ matrix, xp)
        sigma = (v @ matrix) @ u.T  # shape (1, 1)
        self.vector_u.assign(u)
        self.kernel.assign(kernel / sigma.reshape((1,) * kernel.ndim))

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config


def _l2_normalize(x, xp):
    """x / ||x|| over all entries (Keras's ``normalize(x, axis=None)``)."""
    inverse_norm = xp.minimum(1.0 / xp.sqrt(xp.sum(x * x)), 1.0 / arrays.epsilon())
    return x * inverse_norm
