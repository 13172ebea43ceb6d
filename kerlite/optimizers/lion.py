"""Lion (EvoLved Sign Momentum): step by the sign of a blend of momentum and gradient.

    w = w - lr * sign(beta_1 * m + (1 - beta_1) * g)
    m = beta_2 * m + (1 - beta_2) * g
Every entry moves by exactly ``lr`` (or not at all), so Lion wants a learning rate
3-10x smaller than Adam's; it keeps one slot (momentum) where Adam keeps two.
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion (``keras.optimizers.Lion``; Chen et al., 2023, arXiv:2302.06675)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the (0, 1] range; at 0 Lion becomes "
                f"plain sign SGD. Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def _slot_names(self):
        return (("momentum", 0.0),)

    def update_step(self, gradient, variable, learning_rate):
        """w = w - lr sign(beta_1 m + (1 - beta_1) g);  m = beta_2 m + (1 - beta_2) g."""
        m = self._slots[id(variable)][0]
        variable.assign_sub(
            ops.sign(m * self.beta_1 + gradient * (1 - self.beta_1)) * learning_rate)
        m.assign(m * self.beta_2 + gradient * (1 - self.beta_2))

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        m = self._slots[id(variable)][0].data
        step = xp.multiply(gradient, f(1 - self.beta_1), out=xp.empty_like(w))  # scratch
        step += m * f(self.beta_1)
        xp.sign(step, out=step)
        step *= f(learning_rate)
        w -= step
        m *= f(self.beta_2)
        m += gradient * f(1 - self.beta_2)

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2)
        return config
