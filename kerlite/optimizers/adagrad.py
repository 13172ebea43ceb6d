"""Adagrad: each weight's step shrinks with the sum of its squared gradients so far.

    a = a + g**2                       (a starts at initial_accumulator_value)
    w = w - learning_rate * g / sqrt(a + epsilon)
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (``keras.optimizers.Adagrad``)."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-07,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_names(self):
        return (("accumulator", self.initial_accumulator_value),)

    def update_step(self, gradient, variable, learning_rate):
        """a = a + g**2;  w = w - lr g / sqrt(a + epsilon)."""
        accumulator = self._slots[id(variable)][0]
        accumulator.assign_add(ops.square(gradient))
        variable.assign_sub(
            gradient / ops.sqrt(accumulator + self.epsilon) * learning_rate)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        accumulator = self._slots[id(variable)][0].data
        step = xp.multiply(gradient, gradient, out=xp.empty_like(w))  # an array, even 0-d
        accumulator += step
        xp.add(accumulator, f(self.epsilon), out=step)
        xp.sqrt(step, out=step)
        xp.divide(gradient, step, out=step)
        step *= f(learning_rate)
        w -= step

    def get_config(self):
        config = super().get_config()
        config.update(initial_accumulator_value=self.initial_accumulator_value,
                      epsilon=self.epsilon)
        return config
