"""FTRL-Proximal ("Follow The Regularized Leader"): the optimizer of large sparse linear
models (McMahan et al., 2013), with L1 that sets weights exactly to zero.

Each weight keeps an accumulator n (sum of squared gradients) and a linear term z:
    n_new = n + g**2
    z = z + g' - (n_new**(-p) - n**(-p)) / lr * w      g' = g + 2 * l2_shrinkage * w
    q = n_new**(-p) / lr + 2 * (l2 + beta / (2 lr))  (p = learning_rate_power, <= 0)
    w = (clip(z, -l1, l1) - z) / q                   (0 wherever |z| <= l1)
    n = n_new
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL (``keras.optimizers.Ftrl``)."""

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` must be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}.")
        for argument, value in (
                ("initial_accumulator_value", initial_accumulator_value),
                ("l1_regularization_strength", l1_regularization_strength),
                ("l2_regularization_strength", l2_regularization_strength),
                ("l2_shrinkage_regularization_strength",
                 l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"`{argument}` must be positive or zero. "
                                 f"Received: {argument}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_names(self):
        return (("accumulator", self.initial_accumulator_value), ("linear", 0.0))

    def update_step(self, gradient, variable, learning_rate):
        """n and z as in the module docstring; w is the closed-form minimiser."""
        accumulator, linear = self._slots[id(variable)]
        power = -self.learning_rate_power
        shrinkage = 2 * self.l2_shrinkage_regularization_strength
        shrunk_gradient = gradient + variable * shrinkage
        new_accumulator = accumulator + ops.square(gradient)
        scale_change = ops.power(new_accumulator, power) - ops.power(accumulator, power)
        linear.assign_add(shrunk_gradient - scale_change / learning_rate * variable)
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        quadratic = ops.power(new_accumulator, power) / learning_rate + 2 * l2
        l1 = self.l1_regularization_strength
        variable.assign((ops.clip(linear, -l1, l1) - linear) / quadratic)
        accumulator.assign(new_accumulator)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        accumulator, linear = (slot.data for slot in self._slots[id(variable)])
        power = f(-self.learning_rate_power)
        lr = f(learning_rate)
        old_scale = xp.power(accumulator, power)
        accumulator += gradient * gradient            # now n_new
        new_scale = xp.power(accumulator, power)
        linear += gradient
        if self.l2_shrinkage_regularization_strength:
            linear += w * f(2 * self.l2_shrinkage_regularization_strength)
        old_scale -= new_scale                         # -(n_new**-p - n**-p)
        old_scale /= lr
        old_scale *= w
        linear += old_scale
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        new_scale /= lr
        new_scale += f(2 * l2)                         # now q
        l1 = f(self.l1_regularization_strength)
        xp.clip(linear, -l1, l1, out=w)
        w -= linear
        w /= new_scale

    def get_config(self):
        config = super().get_config()
        config.update(
            learning_rate_power=self.learning_rate_power,
            initial_accumulator_value=self.initial_accumulator_value,
            l1_regularization_strength=self.l1_regularization_strength,
            l2_regularization_strength=self.l2_regularization_strength,
            l2_shrinkage_regularization_strength=self.l2_shrinkage_regularization_strength,
            beta=self.beta)
        return config
