"""Metric: a value accumulated over batches (state in variables, read by ``result``).

A metric keeps running totals in non-trainable Variables: ``update_state`` adds a batch,
``result`` turns the totals into the number shown in the logs, ``reset_state`` zeroes
them at the start of each epoch. Metrics never take part in gradients.
"""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor
from kerlite.autodiff.variable import Variable
from kerlite.common.naming import to_snake_case, unique_name


class Metric:
    """Base class: write ``update_state``, ``result`` and (if needed) ``reset_state``.

    Example::

        class CountPositives(keras.metrics.Metric):
            def __init__(self, name="positives", **kwargs):
                super().__init__(name=name, **kwargs)
                self.count = self.add_variable(shape=(), initializer="zeros", name="count")

            def update_state(self, y_true, y_pred, sample_weight=None):
                self.count.assign_add(ops.sum(ops.cast(y_pred > 0.5, "float32")))

            def result(self):
                return self.count
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.dtype = arrays.standardize_dtype(dtype)
        self._variables = []
        self._initial_values = []

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum",
                     name=None):
        """A state Variable, reset to ``initializer`` by ``reset_state``."""
        xp = arrays.get_array_module()
        dtype = arrays.standardize_dtype(dtype or self.dtype)
        if isinstance(initializer, str) and initializer in ("zeros", "ones"):
            value = xp.full(tuple(shape), 0 if initializer == "zeros" else 1, dtype=dtype)
        elif callable(initializer):
            value = arrays.convert_to_array(initializer(tuple(shape), dtype=dtype), dtype)
        else:
            value = xp.full(tuple(shape), initializer, dtype=dtype)
        variable = Variable(value, dtype=dtype, trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        self._variables.append(variable)
        self._initial_values.append(value.copy())
        return variable

    add_weight = add_variable

    @property
    def variables(self):
        return list(self._variables)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_state(self):
        """Put every state variable back to its initial value."""
        for variable, value in zip(self._variables, self._initial_values):
            variable.data[...] = value

    def __call__(self, *args, **kwargs):
        """Update with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def scalar_result(value, dtype="float32"):
    """A 0-d Tensor holding ``value`` (what ``result()`` returns, as in Keras)."""
    xp = arrays.get_array_module()
    return Tensor(xp.asarray(value, dtype=dtype))
