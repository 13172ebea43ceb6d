"""Adadelta: steps scaled by the ratio of running RMS of past steps to that of gradients.

    a = rho * a + (1 - rho) * g**2
    d = -sqrt(s + epsilon) * g / sqrt(a + epsilon)
    s = rho * s + (1 - rho) * d**2
    w = w + learning_rate * d
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta (``keras.optimizers.Adadelta``)."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-07, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def _slot_names(self):
        return (("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0))

    def update_step(self, gradient, variable, learning_rate):
        """Running means of g**2 (a) and of the squared steps (s) scale the step d."""
        grad_average, delta_average = self._slots[id(variable)]
        grad_average.assign(grad_average * self.rho + ops.square(gradient) * (1 - self.rho))
        delta = (-ops.sqrt(delta_average + self.epsilon) * gradient
                 / ops.sqrt(grad_average + self.epsilon))
        delta_average.assign(delta_average * self.rho + ops.square(delta) * (1 - self.rho))
        variable.assign_add(delta * learning_rate)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        f = variable.data.dtype.type
        rho, epsilon = f(self.rho), f(self.epsilon)
        slots = self._slots[id(variable)]
        grad_average, delta_average = slots[0].data, slots[1].data
        grad_average *= rho
        grad_average += f(1 - self.rho) * xp.square(gradient)
        delta = xp.sqrt(delta_average + epsilon)
        delta *= gradient
        delta /= xp.sqrt(grad_average + epsilon)
        delta_average *= rho
        delta_average += f(1 - self.rho) * xp.square(delta)
        delta *= f(learning_rate)
        variable.data -= delta  # d above is the negative of this `delta`

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, epsilon=self.epsilon)
        return config
