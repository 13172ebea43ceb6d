"""Adamax: Adam with the infinity norm instead of the squared gradient.

    m = m + (g - m) * (1 - beta_1)
    u = max(beta_2 * u, |g|)
    w = w - learning_rate * m / ((1 - beta_1**t) * (u + epsilon))
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax (``keras.optimizers.Adamax``)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_names(self):
        return (("momentum", 0.0), ("norm", 0.0))

    def update_step(self, gradient, variable, learning_rate):
        """m moves towards g, u = max(beta_2 u, |g|), w steps by lr m / (u + eps),
        bias-corrected by 1 - beta_1**t."""
        t = self._step_number()
        m, u = self._slots[id(variable)]
        m.assign_add((gradient - m) * (1 - self.beta_1))
        u.assign(ops.maximum(u * self.beta_2, ops.abs(gradient)))
        variable.assign_sub(
            m / ((u + self.epsilon) * (1 - self.beta_1 ** t)) * learning_rate)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        f = variable.data.dtype.type
        t = self._step_number()
        slots = self._slots[id(variable)]
        m, u = slots[0].data, slots[1].data
        m += (gradient - m) * f(1 - self.beta_1)
        u *= f(self.beta_2)
        xp.maximum(u, xp.abs(gradient), out=u)
        step = xp.add(u, f(self.epsilon), out=xp.empty_like(u))  # an array, even 0-d
        step *= f(1 - self.beta_1 ** t)
        xp.divide(m, step, out=step)
        step *= f(learning_rate)
        variable.data -= step

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
