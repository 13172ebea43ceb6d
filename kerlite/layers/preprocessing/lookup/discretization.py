"""Discretization: numbers -> the index of the bin (range) they fall in.

    keras.layers.Discretization(bin_boundaries=[0., 1., 2.])([[-1.5, 1.0, 3.4, .5]])
    # [[0, 2, 3, 1]]: bins (-inf, 0), [0, 1), [1, 2), [2, inf)

With ``num_bins`` instead, ``adapt(data)`` places the boundaries at approximate
quantiles of the data, so each bin gets about the same number of values
(``quantile_summary.py``).
"""

import numpy

from kerlite.layers.preprocessing.lookup import encoding, quantile_summary
from kerlite.layers.preprocessing.lookup.host_layer import (HostLayer, batches_of,
                                                            host_tensor, to_host)


class Discretization(HostLayer):
    """``keras.layers.Discretization``.

    Args:
        bin_boundaries: sorted inner boundaries; ``[0., 1.]`` makes 3 bins.
        num_bins: the number of bins ``adapt`` should find (instead of boundaries).
        epsilon: the quantile precision of ``adapt`` (smaller: more exact, more memory).
        output_mode: "int" (bin indices, int32), or "one_hot", "multi_hot", "count"
            (vectors of ``len(bin_boundaries) + 1``).
        sparse: must be False (kerlite has no sparse tensors).
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(dtype=dtype, name=name)
        if sparse:
            raise ValueError("Discretization: sparse=True is not supported: kerlite has no "
                             "sparse tensors. Use sparse=False.")
        if output_mode not in ("int",) + encoding.MODES:
            raise ValueError(f"Discretization: unknown output_mode={output_mode!r}. Expected "
                             f"one of {('int',) + encoding.MODES}.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"Discretization: `num_bins` must be >= 0. Received: "
                             f"num_bins={num_bins}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Discretization: give either `num_bins` (and call adapt) or "
                f"`bin_boundaries`, not both. Received: num_bins={num_bins}, "
                f"bin_boundaries={bin_boundaries}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization needs `bin_boundaries`, or `num_bins` and a "
                             "call to adapt(data).")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else quantile_summary.empty_summary()

    def adapt(self, data, steps=None):
        """Find ``num_bins`` equal-weight bins from ``data`` (an array, or an iterable
        of batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer made with "
                             "`bin_boundaries`; create it with `num_bins` instead.")
        self.reset_state()
        batches, _ = batches_of(data, steps)
        for batch in batches:
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        values = to_host(data).astype("float32")
        batch = quantile_summary.summarize(values, self.epsilon)
        self.summary = quantile_summary.merge(batch, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = quantile_summary.bin_boundaries(
                self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = quantile_summary.empty_summary()

    def _depth(self):
        if self.bin_boundaries is None:
            return self.num_bins
        return len(self.bin_boundaries) + 1

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("Discretization has no bin boundaries yet: pass "
                             "`bin_boundaries=` or call `adapt(data)` before using it.")
        values = to_host(inputs).astype("float32")
        indices = numpy.digitize(values, numpy.asarray(self.bin_boundaries, dtype="float32"))
        if self.output_mode == "int":
            return host_tensor(indices.astype("int32"))
        return host_tensor(
            encoding.encode(indices, self.output_mode, self._depth(), self.dtype))

    def compute_output_shape(self, input_shape):
        return encoding.encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        from kerlite.graph import KerasTensor

        dtype = "int32" if self.output_mode == "int" else self.dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if boundaries is not None and config.get("num_bins") is None:
            config["bin_boundaries"] = boundaries
        layer = super().from_config(config)
        if boundaries is not None:  # an adapted layer: its learned boundaries
            layer.bin_boundaries = list(boundaries)
        return layer
