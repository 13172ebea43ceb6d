"""SGD: plain gradient descent, optionally with (Nesterov) momentum.

    m = momentum * m - learning_rate * g
    w = w + m                                   (or, Nesterov: w + momentum * m - lr * g)
Without momentum: w = w - learning_rate * g.
"""

from kerlite import ops
from kerlite.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent (``keras.optimizers.SGD``)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
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
        if not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. "
                             f"Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _slot_names(self):
        return (("momentum", 0.0),) if self.momentum != 0 else ()

    def update_step(self, gradient, variable, learning_rate):
        """m = momentum * m - lr * g;  w = w + m  (Nesterov: w + momentum * m - lr * g)."""
        if self.momentum == 0:
            variable.assign_sub(gradient * learning_rate)
            return
        m = self._slots[id(variable)][0]
        m.assign(m * self.momentum - gradient * learning_rate)
        if self.nesterov:
            variable.assign_add(m * self.momentum - gradient * learning_rate)
        else:
            variable.assign_add(m)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        w = variable.data
        step = gradient * w.dtype.type(learning_rate)  # lr * g, a fresh array
        if self.momentum == 0:
            w -= step
            return
        m = self._slots[id(variable)][0].data
        m *= w.dtype.type(self.momentum)
        m -= step
        if self.nesterov:
            w += m * w.dtype.type(self.momentum)
            w -= step
        else:
            w += m

    def get_config(self):
        config = super().get_config()
        config.update(momentum=self.momentum, nesterov=self.nesterov)
        return config
