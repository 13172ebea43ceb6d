"""Adafactor: Adam-like scaling by past squared gradients, stored in far less memory.

For a matrix of shape (n, m) Adam keeps n*m second moments; Adafactor keeps only their
row means r (n values) and column means c (m values) and rebuilds v from them
(Shazeer & Stern, 2018, arXiv:1804.04235). With t the step and G = g**2 + epsilon_1:

    beta = 1 - t**beta_2_decay                  (a decay that grows towards 1)
    r = beta r + (1 - beta) mean(G, rows);  c = beta c + (1 - beta) mean(G, columns)
    v = outer(r / mean(r), c)                   (vectors: v = beta v + (1 - beta) G)
    u = g / sqrt(v);  u = u / max(1, rms(u) / clip_threshold)
    w = w - max(epsilon_2, rms(w)) * min(lr, 1 / sqrt(t)) * u

Arrays with 3 or more axes factor their last two. The step is relative to the size of
the weights (rms(w)), so the rule needs each variable whole: no flat group.
"""

import math

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer


class Adafactor(Optimizer):
    """Adafactor (``keras.optimizers.Adafactor``)."""

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        # Kept for Keras compatibility: Keras caps a constant learning rate at
        # 1/sqrt(t) when it is set, but its step always uses min(lr, 1/sqrt(t)) anyway,
        # so the flag does not change the update (here or in Keras).
        self.relative_step = relative_step

    def _updates_elementwise(self):
        return False  # rms(w), rms(u) and the row/column means need whole variables

    def build(self, variables):
        """Per variable, as Keras orders them: r (row means), c (column means), then
        velocity. Vectors and scalars are not factored; their r and c are scalar
        placeholders (kept so the list of variables matches Keras's, for saving)."""
        self._build_averages_and_accumulators(variables)
        for variable in variables:
            xp = arrays.get_array_module(variable.data)
            shape, dtype = variable.data.shape, variable.data.dtype
            if len(shape) < 2:
                r = self._make_variable(0, variable.name, dtype="int32")
                c = self._make_variable(0, variable.name, dtype="int32")
                r.path = c.path = variable.name  # Keras makes them outside its name scope
            else:
                r = self._make_variable(xp.zeros(shape[:-1], dtype), variable.name,
                                        dtype=str(dtype))
                c = self._make_variable(xp.zeros(shape[:-2] + shape[-1:], dtype),
                                        variable.name, dtype=str(dtype))
            self._variables.extend((r, c))
            velocity = self.add_variable_from_reference(variable, "velocity")
            self._slots[id(variable)] = (r, c, velocity)
        self.built = True

    def update_step(self, gradient, variable, learning_rate):
        """The factored second moments r, c (or v for vectors), then the relative step."""
        r, c, v = self._slots[id(variable)]
        t = self._step_number()
        rho = min(learning_rate, 1 / math.sqrt(t))
        alpha = max(self.epsilon_2, float(_ops_rms(variable))) * rho
        beta = 1 - t ** self.beta_2_decay
        squared = ops.square(gradient) + self.epsilon_1
        if len(variable.shape) >= 2:
            r.assign(r * beta + ops.mean(squared, axis=-1) * (1 - beta))
            c.assign(c * beta + ops.mean(squared, axis=-2) * (1 - beta))
            row = r / ops.mean(r, axis=-1, keepdims=True)
            v.assign(ops.expand_dims(row, -1) * ops.expand_dims(c, -2))
        else:
            v.assign(v * beta + squared * (1 - beta))
        u = gradient / ops.sqrt(v)
        u = u / max(1.0, float(_ops_rms(u)) / self.clip_threshold)
        variable.assign_sub(u * alpha)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        w = variable.data
        f = w.dtype.type
        r, c, v = self._slots[id(variable)]
        t = self._step_number()
        rho = min(learning_rate, 1 / math.sqrt(t))
        alpha = max(self.epsilon_2, _rms(w)) * rho
        beta = f(1 - t ** self.beta_2_decay)
        squared = gradient * gradient
        squared += f(self.epsilon_1)
        if w.ndim >= 2:
            r.data *= beta
            r.data += (1 - beta) * squared.mean(axis=-1)
            c.data *= beta
            c.data += (1 - beta) * squared.mean(axis=-2)
            row = r.data / r.data.mean(axis=-1, keepdims=True)
            xp.multiply(row[..., :, None], c.data[..., None, :], out=v.data)
        else:
            v.data *= beta
            v.data += (1 - beta) * squared
        step = xp.sqrt(v.data, out=xp.empty_like(w))
        xp.divide(gradient, step, out=step)
        step /= f(max(1.0, _rms(step) / self.clip_threshold))
        step *= f(alpha)
        w -= step

    def get_config(self):
        config = super().get_config()
        config.update(beta_2_decay=self.beta_2_decay, epsilon_1=self.epsilon_1,
                      epsilon_2=self.epsilon_2, clip_threshold=self.clip_threshold,
                      relative_step=self.relative_step)
        return config


def _rms(array):
    """Root mean square of a whole array, as a Python float."""
    flat = array.reshape(-1)
    return math.sqrt(float(flat @ flat) / flat.size) if flat.size else 0.0


def _ops_rms(x):
    """Root mean square of a whole tensor, with ops (the plain path's rms)."""
    return ops.sqrt(ops.mean(ops.square(x)))
