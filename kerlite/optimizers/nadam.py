"""Nadam: Adam with Nesterov momentum (a look-ahead on m, with a decaying schedule).

    u_t = beta_1 * (1 - 0.5 * 0.96**t),  u_product = prod of u_1 .. u_t
    m_hat = u_{t+1} m / (1 - u_product * u_{t+1}) + (1 - u_t) g / (1 - u_product)
    w = w - learning_rate * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)
"""

from kerlite import arrays, ops
from kerlite.optimizers.optimizer import Optimizer

class Nadam(Optimizer):
    """Nadam (``keras.optimizers.Nadam``)."""

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
        return (("momentum", 0.0), ("velocity", 0.0))

    def build(self, variables):
        super().build(variables)
        dtype = str(variables[0].data.dtype) if variables else None  # as Keras
        self._u_product = self._make_variable(1.0, "u_product", dtype=dtype)
        self._variables.append(self._u_product)

    def _update_all(self, grads, variables, learning_rate):
        t = self._step_number()
        self._u_product.data *= self._u_product.data.dtype.type(
            self.beta_1 * (1.0 - 0.5 * 0.96 ** t))
        super()._update_all(grads, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Adam's m and v, with a Nesterov look-ahead m_hat and bias-corrected v."""
        t = self._step_number()
        u_t = self.beta_1 * (1.0 - 0.5 * 0.96 ** t)
        u_next = self.beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        u_product = float(self._u_product.numpy())  # u_1 ... u_t (this step's included)
        m, v = self._slots[id(variable)]
        m.assign_add((gradient - m) * (1 - self.beta_1))
        v.assign_add((ops.square(gradient) - v) * (1 - self.beta_2))
        m_hat = (m * (u_next / (1 - u_product * u_next))
                 + gradient * ((1 - u_t) / (1 - u_product)))
        v_hat = v / (1 - self.beta_2 ** t)
        variable.assign_sub(m_hat / (ops.sqrt(v_hat) + self.epsilon) * learning_rate)

    def _fused_update_step(self, gradient, variable, learning_rate):
        """The fast path: update_step in place (see optimizer.py)."""
        xp = arrays.get_array_module(gradient)
        f = variable.data.dtype.type
        t = self._step_number()
        u_t = self.beta_1 * (1.0 - 0.5 * 0.96 ** t)
        u_next = self.beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        u_product = float(self._u_product.data)
        slots = self._slots[id(variable)]
        m, v = slots[0].data, slots[1].data
        m += (gradient - m) * f(1 - self.beta_1)
        v += (xp.square(gradient) - v) * f(1 - self.beta_2)
        m_hat = m * f(u_next / (1 - u_product * u_next))
        m_hat += gradient * f((1 - u_t) / (1 - u_product))
        denominator = xp.sqrt(v * f(1 / (1 - self.beta_2 ** t)))
        denominator += f(self.epsilon)
        m_hat /= denominator
        m_hat *= f(learning_rate)
        variable.data -= m_hat

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
