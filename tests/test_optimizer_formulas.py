"""Every optimizer's update rule, checked against the formula written in plain NumPy.

The references below are written from the papers and the formulas Keras 3 documents
(epsilon placement, bias correction, the order: unscale, clip, weight decay, update).
Each test runs a few steps on variables of several shapes (a scalar, a vector, a
matrix, a 3-d array and one large enough to be updated on its own, outside the
optimizer's flat group) with fixed gradients, and compares every variable after every
step. No Keras needed: these tests guard the formulas wherever kerlite runs. The main
tests run twice: on the fused in-place rules (the fast path, the default) and on the
plain ``update_step`` written with ``kerlite.ops`` (fast paths switched off).
"""

import math

import numpy as np
import pytest

from kerlite import optimizers
from kerlite.common.fast_paths import fast_paths
from kerlite.autodiff.variable import Variable
from kerlite.optimizers import schedules
from kerlite.optimizers.flat_group import SMALL

SHAPES = [(), (3,), (4, 5), (2, 3, 4), (SMALL // 512 + 1, 512)]
STEPS = 4
RTOL = 1e-6


# --- the references: state per variable, one step at a time ---------------------------
class Reference:
    """Base of the NumPy references: ``slots(w)`` makes a variable's state,
    ``update(w, g, state, lr, t)`` returns the new ``w`` (t counts from 1)."""

    def __init__(self, **config):
        self.__dict__.update(config)

    def begin_step(self, t):
        """Hook for state shared by all variables (Nadam's momentum product)."""

    def slots(self, w):
        return {}


class SGDRef(Reference):
    momentum, nesterov = 0.0, False

    def slots(self, w):
        return {"m": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        if self.momentum == 0:
            return w - lr * g
        s["m"] = self.momentum * s["m"] - lr * g
        if self.nesterov:
            return w + self.momentum * s["m"] - lr * g
        return w + s["m"]


class RMSpropRef(Reference):
    rho, momentum, epsilon, centered = 0.9, 0.0, 1e-7, False

    def slots(self, w):
        return {"v": np.zeros_like(w), "m": np.zeros_like(w), "mg": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["v"] = self.rho * s["v"] + (1 - self.rho) * g ** 2
        if self.centered:
            s["mg"] = self.rho * s["mg"] + (1 - self.rho) * g
            denominator = s["v"] - s["mg"] ** 2 + self.epsilon
        else:
            denominator = s["v"] + self.epsilon
        increment = lr * g / np.sqrt(denominator)
        if self.momentum > 0:
            s["m"] = self.momentum * s["m"] + increment
            return w - s["m"]
        return w - increment


class AdamRef(Reference):
    """Kingma & Ba, with the bias corrections folded into the step size (as Keras)."""
    beta_1, beta_2, epsilon, amsgrad = 0.9, 0.999, 1e-7, False

    def slots(self, w):
        return {"m": np.zeros_like(w), "v": np.zeros_like(w), "vmax": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["m"] = self.beta_1 * s["m"] + (1 - self.beta_1) * g
        s["v"] = self.beta_2 * s["v"] + (1 - self.beta_2) * g ** 2
        v = s["v"]
        if self.amsgrad:
            s["vmax"] = np.maximum(s["vmax"], s["v"])
            v = s["vmax"]
        alpha = lr * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        return w - alpha * s["m"] / (np.sqrt(v) + self.epsilon)


class AdamaxRef(Reference):
    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-7

    def slots(self, w):
        return {"m": np.zeros_like(w), "u": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["m"] = self.beta_1 * s["m"] + (1 - self.beta_1) * g
        s["u"] = np.maximum(self.beta_2 * s["u"], np.abs(g))
        return w - lr * s["m"] / ((1 - self.beta_1 ** t) * (s["u"] + self.epsilon))


class NadamRef(Reference):
    """Dozat's Nadam with the momentum schedule mu_t = beta_1 (1 - 0.5 * 0.96**t)."""
    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-7
    mu_product = 1.0

    def mu(self, t):
        return self.beta_1 * (1 - 0.5 * 0.96 ** t)

    def begin_step(self, t):
        self.mu_product = self.mu_product * self.mu(t)

    def slots(self, w):
        return {"m": np.zeros_like(w), "v": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["m"] = self.beta_1 * s["m"] + (1 - self.beta_1) * g
        s["v"] = self.beta_2 * s["v"] + (1 - self.beta_2) * g ** 2
        mu_t, mu_next = self.mu(t), self.mu(t + 1)
        m_hat = (mu_next * s["m"] / (1 - self.mu_product * mu_next)
                 + (1 - mu_t) * g / (1 - self.mu_product))
        v_hat = s["v"] / (1 - self.beta_2 ** t)
        return w - lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


class AdagradRef(Reference):
    initial_accumulator_value, epsilon = 0.1, 1e-7

    def slots(self, w):
        return {"a": np.full_like(w, self.initial_accumulator_value)}

    def update(self, w, g, s, lr, t):
        s["a"] = s["a"] + g ** 2
        return w - lr * g / np.sqrt(s["a"] + self.epsilon)


class AdadeltaRef(Reference):
    """Zeiler's Adadelta, scaled by the learning rate as Keras does."""
    rho, epsilon = 0.95, 1e-7

    def slots(self, w):
        return {"eg": np.zeros_like(w), "ed": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["eg"] = self.rho * s["eg"] + (1 - self.rho) * g ** 2
        delta = -np.sqrt(s["ed"] + self.epsilon) / np.sqrt(s["eg"] + self.epsilon) * g
        s["ed"] = self.rho * s["ed"] + (1 - self.rho) * delta ** 2
        return w + lr * delta


class FtrlRef(Reference):
    """McMahan et al. 2013, FTRL-Proximal, with Keras's l2 shrinkage and beta."""
    learning_rate_power, initial_accumulator_value = -0.5, 0.1
    l1_regularization_strength = l2_regularization_strength = 0.0
    l2_shrinkage_regularization_strength = beta = 0.0

    def slots(self, w):
        return {"n": np.full_like(w, self.initial_accumulator_value), "z": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        p = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2 * lr)
        g_shrunk = g + 2 * self.l2_shrinkage_regularization_strength * w
        n_new = s["n"] + g ** 2
        sigma = (n_new ** p - s["n"] ** p) / lr
        s["z"] = s["z"] + g_shrunk - sigma * w
        s["n"] = n_new
        quadratic = n_new ** p / lr + 2 * l2
        return np.where(np.abs(s["z"]) <= l1, 0.0,
                        -(s["z"] - np.sign(s["z"]) * l1) / quadratic)


class LionRef(Reference):
    """Chen et al. 2023: w -= lr sign(beta_1 m + (1 - beta_1) g); m follows beta_2."""
    beta_1, beta_2 = 0.9, 0.99

    def slots(self, w):
        return {"m": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        direction = np.sign(self.beta_1 * s["m"] + (1 - self.beta_1) * g)
        s["m"] = self.beta_2 * s["m"] + (1 - self.beta_2) * g
        return w - lr * direction


class LambRef(Reference):
    """You et al. 2019: Adam's bias-corrected step times the trust ratio ||w|| / ||u||."""
    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-7

    def slots(self, w):
        return {"m": np.zeros_like(w), "v": np.zeros_like(w)}

    def update(self, w, g, s, lr, t):
        s["m"] = self.beta_1 * s["m"] + (1 - self.beta_1) * g
        s["v"] = self.beta_2 * s["v"] + (1 - self.beta_2) * g ** 2
        m_hat = s["m"] / (1 - self.beta_1 ** t)
        v_hat = s["v"] / (1 - self.beta_2 ** t)
        u = m_hat / (np.sqrt(v_hat) + self.epsilon)
        w_norm, u_norm = np.linalg.norm(w), np.linalg.norm(u)
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        return w - lr * ratio * u


class AdafactorRef(Reference):
    """Shazeer & Stern 2018 (Algorithms 4 and 5 without momentum), as Keras 3 runs it:
    the last two axes factored, beta_2 = 1 - t**decay, update clipped by its RMS,
    step size max(epsilon_2, RMS(w)) * min(lr, 1/sqrt(t))."""
    beta_2_decay, epsilon_1, epsilon_2, clip_threshold = -0.8, 1e-30, 1e-3, 1.0

    def slots(self, w):
        if w.ndim < 2:
            return {"v": np.zeros_like(w)}
        return {"r": np.zeros(w.shape[:-1]), "c": np.zeros(w.shape[:-2] + w.shape[-1:])}

    def update(self, w, g, s, lr, t):
        def rms(x):
            return np.sqrt(np.mean(np.square(x)))

        beta = 1 - t ** self.beta_2_decay
        squared = g ** 2 + self.epsilon_1
        if w.ndim >= 2:
            s["r"] = beta * s["r"] + (1 - beta) * squared.mean(axis=-1)
            s["c"] = beta * s["c"] + (1 - beta) * squared.mean(axis=-2)
            v = (s["r"] / s["r"].mean(axis=-1, keepdims=True))[..., :, None] \
                * s["c"][..., None, :]
        else:
            s["v"] = beta * s["v"] + (1 - beta) * squared
            v = s["v"]
        u = g / np.sqrt(v)
        u = u / max(1.0, rms(u) / self.clip_threshold)
        alpha = max(self.epsilon_2, rms(w)) * min(lr, 1 / math.sqrt(t))
        return w - alpha * u


# --- running both -----------------------------------------------------------------------
def reference_run(ref, weights, grads_per_step, learning_rate, weight_decay=None,
                  clipnorm=None, clipvalue=None, global_clipnorm=None,
                  loss_scale_factor=None, use_ema=False, ema_momentum=0.99,
                  ema_overwrite_frequency=None, gradient_accumulation_steps=None):
    """The steps of Keras's ``Optimizer.apply`` in NumPy: unscale the gradients, clip
    them, decay the weights, update. Returns the weights after every step.

    A constant learning rate is held in a float32 variable (as in Keras), so the rule
    sees ``float32(0.1)``, not ``0.1``; a schedule's value is used as computed.

    ``gradient_accumulation_steps=n``: gradients are summed and, every n-th step, their
    mean goes through the rest; the rule's t then counts updates (steps // n + 1), the
    learning-rate schedule still counts steps. ``use_ema``: after each step
    a = m a + (1 - m) w (m = 0 until the first update is done), and w = a when t is a
    multiple of ``ema_overwrite_frequency``; the history then also holds the averages."""
    weights = [np.array(w, dtype=np.float64) for w in weights]
    states = [ref.slots(w) for w in weights]
    sums = [np.zeros_like(w) for w in weights]
    averages = [np.zeros_like(w) for w in weights]
    history = []
    for step, grads in enumerate(grads_per_step):
        t = step // (gradient_accumulation_steps or 1) + 1
        lr = (learning_rate(step) if callable(learning_rate)
              else float(np.float32(learning_rate)))
        grads = [np.array(g, dtype=np.float64) for g in grads]
        if loss_scale_factor is not None:
            grads = [g / loss_scale_factor for g in grads]
        if gradient_accumulation_steps:
            sums = [s + g for s, g in zip(sums, grads)]
            if (step + 1) % gradient_accumulation_steps:
                weights = _ema(weights, averages, use_ema, ema_momentum,
                               ema_overwrite_frequency, t)
                history.append([w.copy() for w in weights + averages * use_ema])
                continue
            grads = [s / gradient_accumulation_steps for s in sums]
            sums = [np.zeros_like(w) for w in weights]
        if clipnorm:
            grads = [g * clipnorm / max(np.linalg.norm(g), clipnorm) for g in grads]
        elif global_clipnorm:
            norm = math.sqrt(sum(np.sum(g ** 2) for g in grads))
            grads = [g * global_clipnorm / max(norm, global_clipnorm) for g in grads]
        elif clipvalue:
            grads = [np.clip(g, -clipvalue, clipvalue) for g in grads]
        if weight_decay:
            weights = [w - w * weight_decay * lr for w in weights]
        ref.begin_step(t)
        weights = [ref.update(w, g, s, lr, t) for w, g, s in zip(weights, grads, states)]
        weights = _ema(weights, averages, use_ema, ema_momentum, ema_overwrite_frequency, t)
        history.append([w.copy() for w in weights + averages * use_ema])
    return history


def _ema(weights, averages, use_ema, momentum, overwrite_frequency, t):
    """Update ``averages`` in place; returns the weights (replaced every n-th update)."""
    if not use_ema:
        return weights
    m = momentum if t > 1 else 0.0
    averages[:] = [m * a + (1 - m) * w for a, w in zip(averages, weights)]
    if overwrite_frequency and t % overwrite_frequency == 0:
        return [a.copy() for a in averages]
    return weights


def kerlite_run(optimizer, weights, grads_per_step, dtype="float64"):
    """The weights after every step (and the moving averages, with ``use_ema``)."""
    variables = [Variable(np.array(w), dtype=dtype, name=f"w{i}")
                 for i, w in enumerate(weights)]
    history = []
    for grads in grads_per_step:
        optimizer.apply([np.asarray(g, dtype=dtype) for g in grads], variables)
        averages = [optimizer._averages[id(v)] for v in variables] if optimizer.use_ema \
            else []
        history.append([np.array(v.data) for v in variables + averages])
    assert int(optimizer._iterations.data) == len(grads_per_step)  # every step counts
    return history


def make_problem(seed=0, shapes=SHAPES, steps=STEPS):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=shape) for shape in shapes]
    grads = [[rng.normal(size=shape) for shape in shapes] for _ in range(steps)]
    return weights, grads


def assert_same_history(ours, reference, rtol=RTOL, atol=1e-12):
    for step, (got, want) in enumerate(zip(ours, reference)):
        for index, (a, b) in enumerate(zip(got, want)):
            np.testing.assert_allclose(
                a, b, rtol=rtol, atol=atol,
                err_msg=f"step {step + 1}, variable {index} of shape {np.shape(b)}")


# Each case: (id, kerlite class, its arguments, reference class); the reference gets the
# same arguments (those that are not the learning rate or the shared base options).
CASES = [
    ("sgd", optimizers.SGD, {"learning_rate": 0.1}, SGDRef),
    ("sgd_momentum", optimizers.SGD, {"learning_rate": 0.05, "momentum": 0.9}, SGDRef),
    ("sgd_nesterov", optimizers.SGD,
     {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True}, SGDRef),
    ("rmsprop", optimizers.RMSprop, {"learning_rate": 0.01}, RMSpropRef),
    ("rmsprop_momentum", optimizers.RMSprop,
     {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.5}, RMSpropRef),
    ("rmsprop_centered", optimizers.RMSprop,
     {"learning_rate": 0.01, "centered": True, "epsilon": 1e-3}, RMSpropRef),
    ("rmsprop_centered_momentum", optimizers.RMSprop,
     {"learning_rate": 0.01, "centered": True, "momentum": 0.3}, RMSpropRef),
    ("adam", optimizers.Adam, {"learning_rate": 0.01}, AdamRef),
    ("adam_betas", optimizers.Adam,
     {"learning_rate": 0.02, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-2}, AdamRef),
    ("adam_amsgrad", optimizers.Adam, {"learning_rate": 0.01, "amsgrad": True}, AdamRef),
    ("adamw", optimizers.AdamW, {"learning_rate": 0.01, "weight_decay": 0.1}, AdamRef),
    ("adamw_amsgrad", optimizers.AdamW,
     {"learning_rate": 0.01, "weight_decay": 0.05, "amsgrad": True}, AdamRef),
    ("adamax", optimizers.Adamax, {"learning_rate": 0.01}, AdamaxRef),
    ("nadam", optimizers.Nadam, {"learning_rate": 0.01}, NadamRef),
    ("nadam_betas", optimizers.Nadam,
     {"learning_rate": 0.01, "beta_1": 0.7, "beta_2": 0.95}, NadamRef),
    ("adagrad", optimizers.Adagrad, {"learning_rate": 0.1}, AdagradRef),
    ("adagrad_accumulator", optimizers.Adagrad,
     {"learning_rate": 0.1, "initial_accumulator_value": 1.5, "epsilon": 1e-3},
     AdagradRef),
    ("adadelta", optimizers.Adadelta, {"learning_rate": 1.0}, AdadeltaRef),
    ("adadelta_rho", optimizers.Adadelta,
     {"learning_rate": 0.5, "rho": 0.7, "epsilon": 1e-4}, AdadeltaRef),
    ("ftrl", optimizers.Ftrl, {"learning_rate": 0.1}, FtrlRef),
    ("ftrl_regularized", optimizers.Ftrl,
     {"learning_rate": 0.1, "learning_rate_power": -0.3,
      "l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1,
      "l2_shrinkage_regularization_strength": 0.02, "beta": 0.5}, FtrlRef),
    ("ftrl_power_zero", optimizers.Ftrl,
     {"learning_rate": 0.1, "learning_rate_power": 0.0,
      "l1_regularization_strength": 0.01}, FtrlRef),
    ("lion", optimizers.Lion, {"learning_rate": 0.01}, LionRef),
    ("lion_betas", optimizers.Lion,
     {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9}, LionRef),
    ("lamb", optimizers.Lamb, {"learning_rate": 0.01}, LambRef),
    ("lamb_betas", optimizers.Lamb,
     {"learning_rate": 0.01, "beta_1": 0.6, "beta_2": 0.9, "epsilon": 1e-3}, LambRef),
    ("adafactor", optimizers.Adafactor, {"learning_rate": 0.01}, AdafactorRef),
    ("adafactor_large_lr", optimizers.Adafactor,
     {"learning_rate": 0.9, "beta_2_decay": -0.5, "epsilon_2": 1e-2,
      "clip_threshold": 0.5}, AdafactorRef),
]
BASE_OPTIONS = ("learning_rate", "weight_decay", "clipnorm", "clipvalue",
                "global_clipnorm", "loss_scale_factor", "use_ema", "ema_momentum",
                "ema_overwrite_frequency", "gradient_accumulation_steps")


def run_case(cls, arguments, ref_cls, dtype="float64", seed=0, shapes=SHAPES,
             learning_rate=None, steps=STEPS):
    weights, grads = make_problem(seed, shapes, steps)
    base = {k: v for k, v in arguments.items() if k in BASE_OPTIONS}
    own = {k: v for k, v in arguments.items() if k not in BASE_OPTIONS}
    if learning_rate is not None:
        arguments = dict(arguments, learning_rate=learning_rate)
        base["learning_rate"] = learning_rate
    ours = kerlite_run(cls(**arguments), weights, grads, dtype)
    reference = reference_run(ref_cls(**own), weights, grads, **base)
    return ours, reference


@pytest.fixture(params=["fast", "plain"])
def update_path(request):
    """The test runs on the fused rule (fast paths on) and on the plain update_step."""
    with fast_paths(request.param == "fast"):
        yield request.param


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_update_rule_matches_numpy_reference(case, update_path):
    _, cls, arguments, ref_cls = case
    ours, reference = run_case(cls, arguments, ref_cls)
    assert_same_history(ours, reference)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_update_rule_in_float32(case, update_path):
    """The same rule on float32 variables: the dtype stays, the numbers agree to float32
    precision (small shapes, so the test stays quick)."""
    _, cls, arguments, ref_cls = case
    ours, reference = run_case(cls, arguments, ref_cls, dtype="float32",
                               shapes=[(), (3,), (4, 5)])
    for step in ours:
        assert all(w.dtype == np.float32 for w in step)
    assert_same_history(ours, reference, rtol=2e-4, atol=1e-5)


# --- the options every optimizer shares --------------------------------------------------
SHARED_OPTIONS = [
    {"weight_decay": 0.1},
    {"clipnorm": 1.5},
    {"clipnorm": 100.0},  # above every norm: no change (the `max` of the rule)
    {"clipvalue": 0.4},
    {"global_clipnorm": 2.0},
    {"global_clipnorm": 100.0},
    {"loss_scale_factor": 128.0},
    {"weight_decay": 0.05, "global_clipnorm": 1.0, "loss_scale_factor": 4.0},
]
OPTION_CASES = [case for case in CASES if "_" not in case[0] or case[0] == "sgd_momentum"]


@pytest.mark.parametrize("options", SHARED_OPTIONS,
                         ids=lambda o: "+".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("case", OPTION_CASES, ids=[case[0] for case in OPTION_CASES])
def test_clipping_weight_decay_and_loss_scale(case, options, update_path):
    _, cls, arguments, ref_cls = case
    arguments = dict(arguments, **options)
    ours, reference = run_case(cls, arguments, ref_cls, shapes=[(), (3,), (4, 5), (6,)])
    assert_same_history(ours, reference)


# --- moving averages (use_ema) and gradient accumulation ------------------------------
AVERAGING_OPTIONS = [
    {"use_ema": True},
    {"use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2},
    {"gradient_accumulation_steps": 2},
    {"gradient_accumulation_steps": 3, "use_ema": True, "ema_momentum": 0.8,
     "ema_overwrite_frequency": 3, "weight_decay": 0.1, "clipnorm": 1.0},
]
AVERAGING_CASES = [c for c in CASES if c[0] in (
    "sgd_momentum", "adam", "adamw", "nadam", "adagrad", "ftrl", "lamb", "adafactor")]


def _options_id(options):
    return "+".join(f"{k}={v}" for k, v in options.items())


@pytest.mark.parametrize("options", AVERAGING_OPTIONS, ids=_options_id)
@pytest.mark.parametrize("case", AVERAGING_CASES, ids=[c[0] for c in AVERAGING_CASES])
def test_moving_average_and_gradient_accumulation(case, options, update_path):
    _, cls, arguments, ref_cls = case
    ours, reference = run_case(cls, dict(arguments, **options), ref_cls,
                               shapes=[(), (3,), (4, 5), (2, 3, 4)], steps=6)
    assert_same_history(ours, reference)


def test_finalize_variable_values_sets_the_averages():
    weights, grads = make_problem(7, [(3,), (2, 2)], steps=3)
    variables = [Variable(np.array(w), dtype="float64") for w in weights]
    optimizer = optimizers.Adam(0.1, use_ema=True, ema_momentum=0.9)
    for step_grads in grads:
        optimizer.apply(step_grads, variables)
    averages = [np.array(optimizer._averages[id(v)].data) for v in variables]
    assert not np.allclose(variables[0].data, averages[0])
    optimizer.finalize_variable_values(variables)
    for variable, average in zip(variables, averages):
        np.testing.assert_array_equal(variable.data, average)
    with pytest.raises(ValueError, match="length of model variables"):
        optimizer.finalize_variable_values(variables[:1])
    plain = optimizers.Adam(0.1)
    plain.apply(grads[0], variables)
    before = [np.array(v.data) for v in variables]
    plain.finalize_variable_values(variables)  # without use_ema: nothing happens
    for variable, value in zip(variables, before):
        np.testing.assert_array_equal(variable.data, value)


@pytest.mark.parametrize("arguments, message", [
    ({"use_ema": True, "ema_momentum": 1.5}, "ema_momentum"),
    ({"use_ema": True, "ema_overwrite_frequency": 0.5}, "ema_overwrite_frequency"),
    ({"gradient_accumulation_steps": 1}, "gradient_accumulation_steps"),
])
def test_averaging_arguments_are_checked(arguments, message):
    with pytest.raises(ValueError, match=message):
        optimizers.Adam(0.1, **arguments)


def test_optimizer_variables_list_averages_and_accumulators_first():
    """As Keras: iteration, learning rate, then the averages, the accumulators, then
    the slots (the order a saved optimizer's variables are written in)."""
    variables = [Variable(np.ones(3), name="a"), Variable(np.ones(2), name="b")]
    optimizer = optimizers.SGD(0.1, momentum=0.9, use_ema=True,
                               gradient_accumulation_steps=2)
    optimizer.build(variables)
    names = [v.path.split("/")[-1] for v in optimizer.variables]
    assert names == ["iteration", "learning_rate", "a_average", "b_average",
                     "a_gradient_accumulator", "b_gradient_accumulator",
                     "a_momentum", "b_momentum"]


def test_apply_without_variables_after_build():
    weights, grads = make_problem(8, [(3,), (2,)], steps=2)
    variables = [Variable(np.array(w), dtype="float64") for w in weights]
    optimizer = optimizers.SGD(0.1)
    optimizer.build(variables)
    for step_grads in grads:
        optimizer.apply(step_grads)
    reference = reference_run(SGDRef(), weights, grads, 0.1)
    assert_same_history([[v.data for v in variables]], reference[-1:])


# --- learning-rate schedules --------------------------------------------------------------
def exponential(step, start=0.1, decay_steps=2, rate=0.5, staircase=False):
    exponent = step / decay_steps
    return start * rate ** (math.floor(exponent) if staircase else exponent)


def piecewise(step):
    return 0.1 if step <= 1 else 0.05 if step <= 2 else 0.01


def cosine(step, start=0.1, decay_steps=3, alpha=0.1):
    step = min(step, decay_steps)
    cosine_part = 0.5 * (1 + math.cos(math.pi * step / decay_steps))
    return start * ((1 - alpha) * cosine_part + alpha)


def cosine_warmup(step, start=0.0, target=0.2, warmup=2, decay_steps=3):
    step = min(step, warmup + decay_steps)
    if step < warmup:
        return start + (target - start) * step / warmup
    return cosine(step - warmup, start=target, decay_steps=decay_steps, alpha=0.0)


SCHEDULES = [
    ("exponential", lambda: schedules.ExponentialDecay(0.1, 2, 0.5), exponential),
    ("exponential_staircase",
     lambda: schedules.ExponentialDecay(0.1, 2, 0.5, staircase=True),
     lambda step: exponential(step, staircase=True)),
    ("piecewise", lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.05, 0.01]),
     piecewise),
    ("cosine", lambda: schedules.CosineDecay(0.1, 3, alpha=0.1), cosine),
    ("cosine_warmup",
     lambda: schedules.CosineDecay(0.0, 3, warmup_target=0.2, warmup_steps=2),
     cosine_warmup),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedule_values_follow_their_formula(schedule):
    _, make, formula = schedule
    learning_rate = make()
    for step in range(8):
        assert learning_rate(step) == pytest.approx(formula(step), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=[s[0] for s in SCHEDULES])
@pytest.mark.parametrize("case", [c for c in CASES if c[0] in ("sgd_momentum", "adamw")],
                         ids=["sgd_momentum", "adamw"])
def test_schedule_drives_the_update(case, schedule):
    """The schedule is read at ``iterations`` (0 on the first step), also by weight
    decay."""
    _, cls, arguments, ref_cls = case
    _, make, formula = schedule
    weights, grads = make_problem(1, [(), (3,), (4, 5)], steps=6)
    own = {k: v for k, v in arguments.items() if k not in BASE_OPTIONS}
    decay = {k: v for k, v in arguments.items() if k == "weight_decay"}
    ours = kerlite_run(cls(**dict(arguments, learning_rate=make())), weights, grads)
    reference = reference_run(ref_cls(**own), weights, grads, learning_rate=formula,
                              **decay)
    assert_same_history(ours, reference)


# --- the loop around the rule -------------------------------------------------------
def test_variables_without_gradients_are_left_alone():
    weights, grads = make_problem(2, [(3,), (4,), (2, 2)], steps=2)
    variables = [Variable(np.array(w), dtype="float64") for w in weights]
    optimizer = optimizers.Adam(learning_rate=0.1)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        for step_grads in grads:
            optimizer.apply([step_grads[0], None, step_grads[2]], variables)
    np.testing.assert_array_equal(variables[1].data, weights[1])
    # the others follow Adam as if the middle variable did not exist
    reference = reference_run(AdamRef(), [weights[0], weights[2]],
                              [[g[0], g[2]] for g in grads], 0.1)
    assert_same_history([[variables[0].data, variables[2].data]], reference[-1:])


def test_learning_rate_change_between_steps_is_used():
    weights, grads = make_problem(3, [(3,), (2, 2)], steps=3)
    variables = [Variable(np.array(w), dtype="float64") for w in weights]
    optimizer = optimizers.SGD(learning_rate=0.1, momentum=0.5)
    rates = [0.1, 0.3, 0.02]
    for rate, step_grads in zip(rates, grads):
        optimizer.learning_rate = rate
        optimizer.apply(step_grads, variables)
    reference = reference_run(SGDRef(momentum=0.5), weights, grads,
                              lambda step: rates[step])
    assert_same_history([[v.data for v in variables]], reference[-1:])


def test_constraint_is_applied_after_the_update():
    weights, grads = make_problem(4, [(5,), (3,)], steps=2)
    variables = [Variable(np.array(w), dtype="float64") for w in weights]
    variables[0].constraint = lambda v: np.clip(v.data, -0.2, 0.2)
    optimizer = optimizers.SGD(learning_rate=0.1)
    for step_grads in grads:
        optimizer.apply(step_grads, variables)
    w0, w1 = (np.array(w) for w in weights)
    for g0, g1 in grads:
        w0, w1 = np.clip(w0 - 0.1 * g0, -0.2, 0.2), w1 - 0.1 * g1
    np.testing.assert_allclose(variables[0].data, w0, rtol=RTOL)
    np.testing.assert_allclose(variables[1].data, w1, rtol=RTOL)


def test_excluded_variables_skip_weight_decay():
    weights, grads = make_problem(5, [(3,), (4,)], steps=2)
    variables = [Variable(np.array(w), dtype="float64", name=name)
                 for w, name in zip(weights, ("kernel", "bias"))]
    optimizer = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    for step_grads in grads:
        optimizer.apply(step_grads, variables)
    decayed = reference_run(SGDRef(), weights[:1], [g[:1] for g in grads], 0.1,
                            weight_decay=0.5)
    plain = reference_run(SGDRef(), weights[1:], [g[1:] for g in grads], 0.1)
    np.testing.assert_allclose(variables[0].data, decayed[-1][0], rtol=RTOL)
    np.testing.assert_allclose(variables[1].data, plain[-1][0], rtol=RTOL)


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adagrad, optimizers.Adam,
                                 optimizers.Nadam, optimizers.Adafactor, optimizers.Ftrl],
                         ids=lambda cls: cls.__name__)
def test_state_has_the_dtype_of_its_variable(cls):
    """Keras makes each slot with its variable's dtype: float64 weights keep float64
    state (a float32 slot would round Adagrad's initial 0.1 and every running mean)."""
    arguments = {"momentum": 0.9} if cls is optimizers.SGD else {}
    optimizer = cls(learning_rate=0.1, **arguments)
    small = Variable(np.ones((2, 3)), dtype="float64")
    large = Variable(np.ones((SMALL + 1,)), dtype="float64")
    optimizer.apply([np.ones((2, 3)), np.ones(SMALL + 1)], [small, large])
    float_state = [v for v in optimizer.variables[2:] if v.data.dtype.kind == "f"]
    assert float_state and all(v.data.dtype == np.float64 for v in float_state)
    assert small.data.dtype == large.data.dtype == np.float64


# --- the references themselves, checked against Keras 3 -----------------------------
def keras_run(keras, cls_name, arguments, weights, grads_per_step):
    """The same steps with real Keras 3 (float32, JAX on CPU)."""
    variables = [keras.Variable(np.array(w, dtype="float32"), name=f"w{i}")
                 for i, w in enumerate(weights)]
    optimizer = getattr(keras.optimizers, cls_name)(**arguments)
    history = []
    for grads in grads_per_step:
        optimizer.apply([np.asarray(g, dtype="float32") for g in grads], variables)
        averages = optimizer._model_variables_moving_average if optimizer.use_ema else []
        history.append([np.array(v.numpy()) for v in variables + list(averages)])
    return history


KERAS_CASES = [(case, {}) for case in CASES] + [
    (case, {"weight_decay": 0.1, "global_clipnorm": 1.0, "loss_scale_factor": 8.0}
     if i % 2 else {"weight_decay": 0.05, "clipnorm": 1.5})
    for i, case in enumerate(OPTION_CASES)] + [
    (case, AVERAGING_OPTIONS[i % len(AVERAGING_OPTIONS)])
    for i, case in enumerate(AVERAGING_CASES)]


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("case, options", KERAS_CASES,
                         ids=[case[0] + ("+" + "+".join(o) if o else "")
                              for case, o in KERAS_CASES])
def test_reference_formula_matches_keras(case, options):
    """The NumPy references above are Keras 3's rules (so kerlite matching them is
    kerlite matching Keras); float32 in Keras, hence the looser tolerance."""
    from tests._keras_reference import import_keras

    keras = import_keras()
    _, cls, arguments, ref_cls = case
    arguments = dict(arguments, **options)
    weights, grads = make_problem(0, [(), (3,), (4, 5), (2, 3, 4)], steps=6)
    base = {k: v for k, v in arguments.items() if k in BASE_OPTIONS}
    own = {k: v for k, v in arguments.items() if k not in BASE_OPTIONS}
    reference = reference_run(ref_cls(**own), weights, grads, **base)
    theirs = keras_run(keras, cls.__name__, arguments, weights, grads)
    assert_same_history(theirs, reference, rtol=2e-4, atol=2e-5)


def test_weight_decay_exclusion_names_are_regular_expressions():
    """As Keras, ``var_names`` are searched as regular expressions in each name, and a
    new call replaces the previous choice."""
    names = ("kernel", "bias", "embeddings")
    weights, grads = make_problem(6, [(3,), (3,), (3,)], steps=2)
    variables = [Variable(np.array(w), dtype="float64", name=n)
                 for w, n in zip(weights, names)]
    optimizer = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[variables[0]])
    optimizer.exclude_from_weight_decay(var_names=["^b", "dings$"])  # replaces var_list
    for step_grads in grads:
        optimizer.apply(step_grads, variables)
    for index, decayed in enumerate((True, False, False)):
        want = reference_run(SGDRef(), weights[index:index + 1],
                             [g[index:index + 1] for g in grads], 0.1,
                             weight_decay=0.5 if decayed else None)
        np.testing.assert_allclose(variables[index].data, want[-1][0], rtol=RTOL,
                                   err_msg=names[index])


@pytest.mark.parity
def test_optimizer_variable_order_matches_keras():
    from tests._keras_reference import import_keras

    keras = import_keras()
    arguments = {"learning_rate": 0.1, "momentum": 0.9, "use_ema": True,
                 "gradient_accumulation_steps": 2}
    theirs = keras.optimizers.SGD(**arguments)
    theirs.build([keras.Variable(np.ones(3), name="a"),
                  keras.Variable(np.ones(2), name="b")])
    ours = optimizers.SGD(**arguments)
    ours.build([Variable(np.ones(3), name="a"), Variable(np.ones(2), name="b")])
    assert [tuple(v.shape) for v in ours.variables] == [tuple(v.shape)
                                                       for v in theirs.variables]
    assert [v.path.split("/")[-1] for v in ours.variables] == [
        v.path.split("/")[-1] for v in theirs.variables]


def test_iterations_count_updates_when_accumulating():
    """As Keras: with ``gradient_accumulation_steps=n``, ``iterations`` is steps // n."""
    variables = [Variable(np.ones(2))]
    optimizer = optimizers.SGD(0.1, gradient_accumulation_steps=3)
    counts = []
    for _ in range(7):
        optimizer.apply([np.ones(2)], variables)
        counts.append(int(optimizer.iterations.data))
    assert counts == [0, 0, 1, 1, 1, 2, 2]
    assert int(optimizer.apply_gradients(zip([np.ones(2)], variables)).data) == 8
