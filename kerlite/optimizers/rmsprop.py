"""RMSprop: divide each step by a running root-mean-square of recent gradients.

    v = rho * v + (1 - rho) * g**2
    w = w - learning_rate * g / sqrt(v + epsilon)
``centered`` subtracts the squared running mean of g inside the root; ``momentum``
accumulates the steps before applying them.
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (``keras.optimizers.RMSprop``), Keras's default optimizer in ``compile``."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _slot_names(self):
        names = [("velocity", 0.0)]
        if self.momentum > 0:
            names.append(("momentum", 0.0))
        if self.centered:
            names.append(("average_gradient", 0.0))
        return tuple(names)

    def update_step(self, gradient, variable, learning_rate):
        """v = rho v + (1 - rho) g**2;  w = w - lr g / sqrt(v + epsilon)."""
        slots = self._slots[id(variable)]
        v = slots[0]
        v.assign(v * self.rho + ops.square(gradient) * (1 - self.rho))
        if self.centered:
            average = slots[-1]
            average.assign(average * self.rho + gradient * (1 - self.rho))
            denominator = v - ops.square(average) + self.epsilon
        else:
            denominator = v + self.epsilon
        increment = gradient / ops.sqrt(denominator) * learning_rate
        if self.momentum > 0:
            m = slots[1]
            m.assign(m * self.momentum + increment)
            variable.assign_sub(m)
        else:
            variable.assign_sub(increment)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        slots = self._slots[id(variable)]
        v = slots[0].data
        v *= f(self.rho)
        step = xp.multiply(gradient, gradient, out=xp.empty_like(w))  # g**2, then the step
        step *= f(1 - self.rho)
        v += step
        if self.centered:
            average = slots[-1].data
            average *= f(self.rho)
            average += gradient * f(1 - self.rho)
            xp.square(average, out=step)
            xp.subtract(v, step, out=step)
            step += f(self.epsilon)
        else:
            xp.add(v, f(self.epsilon), out=step)
        xp.sqrt(step, out=step)
        xp.divide(gradient, step, out=step)
        step *= f(learning_rate)
        if self.momentum > 0:
            m = slots[1].data
            m *= f(self.momentum)
            m += step
            w -= m
        else:
            w -= step

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, momentum=self.momentum, epsilon=self.epsilon,
                      centered=self.centered)
        return config
