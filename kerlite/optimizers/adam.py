"""Adam: momentum on the gradient (m) and on its square (v), both bias-corrected.

    m = m + (g - m) * (1 - beta_1)
    v = v + (g**2 - v) * (1 - beta_2)
    w = w - alpha * m / (sqrt(v) + epsilon),  alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
``amsgrad`` uses the running maximum of v instead of v.
"""

import math

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Adam (``keras.optimizers.Adam``)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def _slot_names(self):
        names = (("momentum", 0.0), ("velocity", 0.0))
        return names + (("velocity_hat", 0.0),) if self.amsgrad else names

    def update_step(self, gradient, variable, learning_rate):
        """m and v move towards g and g**2; w moves by alpha * m / (sqrt(v) + epsilon)."""
        t = self._step_number()
        slots = self._slots[id(variable)]
        m, v = slots[0], slots[1]
        alpha = learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m.assign_add((gradient - m) * (1 - self.beta_1))
        v.assign_add((ops.square(gradient) - v) * (1 - self.beta_2))
        if self.amsgrad:
            v_hat = slots[2]
            v_hat.assign(ops.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub(m / (ops.sqrt(v) + self.epsilon) * alpha)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        t = self._step_number()
        alpha = learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        slots = self._slots[id(variable)]
        m, v = slots[0].data, slots[1].data
        step = xp.subtract(gradient, m, out=xp.empty_like(w))  # scratch for the passes below
        step *= f(1 - self.beta_1)
        m += step
        xp.multiply(gradient, gradient, out=step)
        step -= v
        step *= f(1 - self.beta_2)
        v += step
        if self.amsgrad:
            v_hat = slots[2].data
            xp.maximum(v_hat, v, out=v_hat)
            v = v_hat
        xp.sqrt(v, out=step)
        step += f(self.epsilon)
        xp.divide(m, step, out=step)
        step *= f(alpha)
        w -= step

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon,
                      amsgrad=self.amsgrad)
        return config
