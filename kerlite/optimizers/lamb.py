"""Lamb: Adam whose step is rescaled, layer by layer, to the size of the weights.

    m = m + (g - m) * (1 - beta_1)
    v = v + (g**2 - v) * (1 - beta_2)
    u = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)   (Adam's step)
    w = w - lr * r * u,   r = ||w|| / ||u||   (1 if either norm is 0)
The trust ratio r makes each variable move by about ``lr`` times its own size, which
keeps very large batches stable (You et al., 2019, arXiv:1904.00962).
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer, _l2


class Lamb(Optimizer):
    """Lamb (``keras.optimizers.Lamb``)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
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

    def _slot_names(self):
        return (("momentum", 0.0), ("velocity", 0.0))

    def _updates_elementwise(self):
        # The trust ratio needs each variable's own norms: no flat group.
        return False

    def update_step(self, gradient, variable, learning_rate):
        """Adam's step u, scaled by the trust ratio ||w|| / ||u||."""
        t = self._step_number()
        m, v = self._slots[id(variable)]
        m.assign_add((gradient - m) * (1 - self.beta_1))
        v.assign_add((ops.square(gradient) - v) * (1 - self.beta_2))
        m_hat = m / (1 - self.beta_1 ** t)
        v_hat = v / (1 - self.beta_2 ** t)
        update = m_hat / (ops.sqrt(v_hat) + self.epsilon)
        w_norm = float(ops.sqrt(ops.sum(ops.square(variable))))
        u_norm = float(ops.sqrt(ops.sum(ops.square(update))))
        trust_ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        variable.assign_sub(update * (trust_ratio * learning_rate))

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        t = self._step_number()
        m, v = (slot.data for slot in self._slots[id(variable)])
        step = xp.subtract(gradient, m, out=xp.empty_like(w))   # scratch for every pass
        step *= f(1 - self.beta_1)
        m += step
        xp.multiply(gradient, gradient, out=step)
        step -= v
        step *= f(1 - self.beta_2)
        v += step
        xp.divide(v, f(1 - self.beta_2 ** t), out=step)
        xp.sqrt(step, out=step)
        step += f(self.epsilon)
        xp.divide(m, step, out=step)
        step /= f(1 - self.beta_1 ** t)               # step is now Adam's u
        w_norm, u_norm = _l2(w), _l2(step)
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        step *= f(ratio * learning_rate)
        w -= step

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config

