"""Optimizer: the base class that turns gradients into in-place weight updates.

Each step (``apply``) does what Keras 3 does, in this order:
1. unscale the gradients (``loss_scale_factor``); with ``gradient_accumulation_steps=n``,
   add them to the accumulators and go on (with their mean) only every n-th step;
2. clip them (``clipnorm`` per variable, else ``global_clipnorm`` over all of them, else
   ``clipvalue``);
3. decoupled weight decay: ``w -= w * weight_decay * learning_rate``;
4. the subclass's ``update_step(gradient, variable, learning_rate)`` for each variable:
   its paper's formula, written with ``kerlite.ops`` (see "The fast path" below);
5. with ``use_ema``, the moving averages ``a = m a + (1 - m) w`` (m = 0 on the first
   step), copied into the weights every ``ema_overwrite_frequency`` steps and by
   ``finalize_variable_values`` (which ``fit`` calls at its end);
6. the variables' constraints, then ``iterations += 1``.

The fast path. The optimizer touches every weight every step and dominates the time of
wide models, so kerlite's own optimizers also carry ``_fused_update_step``: the same
formula as ``update_step`` done in place on the arrays, with few passes (``out=``
arguments, scratch buffers), and with the small variables updated together as one flat
buffer (``flat_group.py``). It is used when both hold:
- the fast paths are on (``kerlite.config.use_fast_paths``, ``kerlite.common.fast_paths``);
- the class declares its fused rule for itself: ``_fused_update_step`` is defined in the
  same class as the ``update_step`` that runs. A subclass that writes its own
  ``update_step`` (a user's formula) therefore never runs its parent's fused rule.
``group_small_variables = False`` keeps the fused rule but without flat groups. Every
optimizer's two paths give the same numbers (tests/test_fast_paths_equal_plain.py).
"""

import math
import re
import warnings

from kerlite import arrays, initializers
from kerlite.autodiff.tensor import Tensor
from kerlite.autodiff.variable import Variable
from kerlite.common import fast_paths
from kerlite.common.naming import to_snake_case, unique_name
from kerlite.optimizers.flat_group import make_groups


class Optimizer:
    """Base class of all optimizers (SGD, RMSprop, Adam, ...).

    A subclass writes ``update_step``. Its state is either listed by ``_slot_names``
    (kerlite's optimizers: one slot per name and weight) or made as Keras's docs do, in
    ``build`` after ``super().build(variables)``, with ``add_variable_from_reference`` and
    ``add_variable``; ``update_step`` then finds it with ``_get_variable_index`` and
    writes with ``assign``/``assign_add``. The fast path is explained in this module's
    docstring. ``group_small_variables`` (default True) switches its flat buffers: set
    it to False on an optimizer before its first step, or on ``Optimizer`` for all of
    them, and the fused rule sees every variable on its own.

    Args:
        learning_rate: a float or a ``LearningRateSchedule`` (or any callable of the step).
        weight_decay: if set, weights shrink by ``weight_decay * learning_rate`` each step.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
        loss_scale_factor: gradients are divided by it before the update.
        name: the optimizer's name (prefix of its variables' paths).
    """

    group_small_variables = True

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored. "
                          "Use a learning rate schedule instead.", DeprecationWarning)
        if "lr" in kwargs:
            warnings.warn("Argument `lr` is deprecated; use `learning_rate` instead.",
                          DeprecationWarning)
            learning_rate = kwargs.pop("lr")
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unexpected keyword argument(s) "
                            f"{sorted(kwargs)}.")
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                             f"Received: ema_momentum={ema_momentum}")
        frequency = ema_overwrite_frequency
        if use_ema and frequency and (not isinstance(frequency, int) or frequency < 1):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                f"ema_overwrite_frequency={ema_overwrite_frequency}")
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}")
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        # int32, as in Keras 3 on JAX (its "int" counter is stored as int32 there).
        self._iterations = self._make_variable(0, "iteration", dtype="int32")
        self._variables = [self._iterations]
        if callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self._make_variable(float(learning_rate), "learning_rate")
            self._variables.append(self._learning_rate)
        self._slots = {}  # id(model variable) -> tuple of its slot variables
        self._averages, self._accumulators = {}, {}  # id(model variable) -> Variable
        self._groups, self._grouped = [], set()
        self._exclude_from_decay = set()

    # --- state ------------------------------------------------------------------------
    def _make_variable(self, value, name, dtype=None):
        variable = Variable(value, dtype=dtype or arrays.floatx(), trainable=False,
                            name=name)
        variable.path = f"{self.name}/{name}"
        return variable

    @property
    def iterations(self):
        """How many steps were applied (an int32 Variable, as in Keras). With
        ``gradient_accumulation_steps=n``, how many updates: steps // n (a Tensor)."""
        if self.gradient_accumulation_steps:
            return Tensor(self._iterations.data // self.gradient_accumulation_steps)
        return self._iterations

    def _updates_done(self):
        """Updates made before this step (steps, or steps // n when accumulating)."""
        return int(self._iterations.data) // (self.gradient_accumulation_steps or 1)

    def _step_number(self):
        """t of the update rules (1 for the first update): bias corrections use it."""
        return self._updates_done() + 1

    @property
    def variables(self):
        """Every state variable: iteration, learning rate, then (``use_ema``) the averages,
        the gradient accumulators, and the slots, in build order (as Keras)."""
        return list(self._variables)

    @property
    def learning_rate(self):
        """The learning rate, as in Keras 3: the float32 ``Variable`` itself (so
        ``opt.learning_rate.assign(0.01)`` and ``float(opt.learning_rate)`` work), or,
        for a schedule, a scalar Tensor of its value at ``iterations``."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return Tensor(arrays.convert_to_array(self._current_learning_rate(), arrays.floatx()))

    @learning_rate.setter
    def learning_rate(self, value):
        """A number is assigned to the variable; a schedule (or any callable of the
        step) replaces it, and the variable leaves ``variables`` (as in Keras 3)."""
        if callable(value) and not isinstance(value, Tensor):
            if isinstance(self._learning_rate, Variable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = value
            return
        if not isinstance(self._learning_rate, Variable):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable (the schedule decides it). If you need the learning rate to be "
                "settable, create the "
                f"optimizer with a float `learning_rate` (learning_rate={float(value)}).")
        self._learning_rate.assign(float(value))

    def _current_learning_rate(self):
        if isinstance(self._learning_rate, Variable):
            return float(self._learning_rate.data)
        return float(self._learning_rate(int(self._iterations.data)))

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """A new state variable of this optimizer, as in Keras: not trainable, its path
        ``{optimizer name}/{name}``, listed in ``variables``. ``initializer`` is a name,
        an initializer, or (kerlite) a number to fill with. ``aggregation`` and
        ``layout`` concern several devices; kerlite runs on one and accepts them."""
        dtype = arrays.standardize_dtype(dtype)
        if isinstance(initializer, (int, float)) and not isinstance(initializer, bool):
            initializer = initializers.Constant(initializer)
        value = initializers.get(initializer)(tuple(shape), dtype=dtype)
        variable = self._make_variable(value, name or "variable", dtype=dtype)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state variable shaped like ``reference_variable`` and of its dtype (a float64
        weight keeps float64 state), named as in Keras after the weight's path:
        ``dense/kernel`` with ``name="momentum"`` gives ``dense_kernel_momentum``."""
        path = reference_variable.path.replace("/", "_")
        return self.add_variable(reference_variable.shape, initializer,
                                 dtype=reference_variable.dtype,
                                 name=f"{path}_{name or 'var'}")

    def assign(self, variable, value):
        """``variable.assign(value)``: how Keras's ``update_step`` writes a new value."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """``variable.assign_add(value)``."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """``variable.assign_sub(value)``."""
        variable.assign_sub(value)

    def _get_variable_index(self, variable):
        """The position of ``variable`` in the list ``build`` was given (Keras's
        optimizers find a weight's slots this way: ``self.momentums[index]``)."""
        return self._variable_indices[id(variable)]

    def build(self, variables):
        """Create the slot variables (momentum, velocity...) for each model variable,
        and put the small ones in a flat group (see ``flat_group.py``)."""
        self._build_averages_and_accumulators(variables)
        for variable in variables:
            self._slots[id(variable)] = tuple(
                self.add_variable_from_reference(variable, slot_name, initial)
                for slot_name, initial in self._slot_names())
        if (self.group_small_variables and self._uses_fast_path()
                and self._updates_elementwise()):
            self._groups, self._grouped = make_groups(variables, self._slots)
            for group in self._groups:
                self._slots[id(group)] = group.slots
        self.built = True

    def _build_averages_and_accumulators(self, variables):
        """Remember the variables; make their moving averages (``use_ema``) and gradient
        accumulators first, as Keras orders ``optimizer.variables``."""
        self._built_variables = list(variables)
        self._variable_indices = {id(v): i for i, v in enumerate(self._built_variables)}
        if self.use_ema:
            for variable in variables:
                self._averages[id(variable)] = self.add_variable_from_reference(
                    variable, "average")
        if self.gradient_accumulation_steps:
            for variable in variables:
                self._accumulators[id(variable)] = self.add_variable_from_reference(
                    variable, "gradient_accumulator")

    @classmethod
    def _declares_fused_rule(cls):
        """True if the class whose ``update_step`` runs also defines ``_fused_update_step``
        (the same formula in place): then that rule may stand in for it."""
        for klass in cls.__mro__:
            if "update_step" in vars(klass):
                return "_fused_update_step" in vars(klass)
        return False

    def _uses_fast_path(self):
        """The fused rule runs if the fast paths are on and the class declares one."""
        return fast_paths.enabled() and self._declares_fused_rule()

    def _updates_elementwise(self):
        """True if the fused rule updates each entry from the same entry of the gradient
        and slots, so small variables can share one flat update. A rule that needs each
        variable whole (norms, row means: Lamb, Adafactor) says False."""
        return True

    def _slot_names(self):
        """(name, initial value) of the state each variable needs; none by default."""
        return ()

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Skip weight decay for these variables, and for those whose name matches one of
        the regular expressions ``var_names`` (``re.search``, as Keras: ``["bias"]``
        matches every name containing "bias"). Each call replaces the previous choice."""
        self._exclude_from_decay = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(var_names)) if var_names else None

    # --- a step ---------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Apply ``zip(grads, variables)``; returns ``iterations``."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """One update of ``trainable_variables`` from ``grads`` (Tensors or arrays)."""
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built: call `optimizer.build(trainable_variables)` first.")
            trainable_variables = self._built_variables
        if not self.built:
            self.build(list(trainable_variables))
        pairs = [(g.data if isinstance(g, Tensor) else g, v)
                 for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            return
        if len(pairs) < len(grads):
            missing = [v.name for g, v in zip(grads, trainable_variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when "
                          "minimizing the loss.")
        grad_arrays = [g for g, _ in pairs]
        variables = [v for _, v in pairs]
        if self.loss_scale_factor is not None:
            grad_arrays = [g / g.dtype.type(self.loss_scale_factor) for g in grad_arrays]
        if self.gradient_accumulation_steps:
            grad_arrays = self._accumulate(grad_arrays, variables)
        if grad_arrays is not None:
            self._update(grad_arrays, variables)
        if self.use_ema:
            self._update_averages()
        for variable in variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable))
        self._iterations.data += 1

    def _update(self, grad_arrays, variables):
        """Clip, decay, and the rule itself (steps 2 to 4 above)."""
        if self.clipnorm or self.global_clipnorm or self.clipvalue:
            grad_arrays = self._clip_gradients(grad_arrays)
        learning_rate = self._current_learning_rate()
        if self.weight_decay:
            self._apply_weight_decay(variables, learning_rate)
        self._update_all(grad_arrays, variables, learning_rate)

    def _accumulate(self, grads, variables):
        """Add ``grads`` to the accumulators; every n-th step return their mean (and
        empty the accumulators), else None: no update this step."""
        steps = self.gradient_accumulation_steps
        accumulators = [self._accumulators[id(v)] for v in variables]
        if (int(self._iterations.data) + 1) % steps:
            for accumulator, grad in zip(accumulators, grads):
                accumulator.data += grad
            return None
        means = [(grad + a.data) / a.data.dtype.type(steps)
                 for grad, a in zip(grads, accumulators)]
        for accumulator in accumulators:
            accumulator.data[...] = 0
        return means

    def _update_averages(self):
        """The exponential moving average of every variable (its first value is the
        variable itself), copied into the variables every ``ema_overwrite_frequency``."""
        momentum = self.ema_momentum if self._updates_done() != 0 else 0.0
        for variable in self._built_variables:
            average = self._averages[id(variable)].data
            average *= average.dtype.type(momentum)
            average += variable.data * average.dtype.type(1 - momentum)
        frequency = self.ema_overwrite_frequency
        if frequency and self._step_number() % frequency == 0:
            self.finalize_variable_values(self._built_variables)

    def finalize_variable_values(self, var_list):
        """With ``use_ema``, set each variable to its moving average (``fit`` calls this
        once training ends); without, do nothing."""
        if not self.use_ema:
            return
        if len(var_list) != len(self._averages):
            raise ValueError(
                f"The length of model variables ({len(var_list)}) to override does not "
                "match the length of model variables stored in the optimizer "
                f"({len(self._averages)}). Please check if the optimizer was called on "
                "your model.")
        for variable, average in zip(var_list, self._built_variables):
            variable.assign(self._averages[id(average)].data)

    def _update_all(self, grads, variables, learning_rate):
        """Step 4: ``update_step`` for each variable, or the fast path."""
        for variable in variables:
            if id(variable) not in self._slots:
                raise ValueError(
                    f"Unknown variable {variable.path!r}: this optimizer was built for "
                    "other variables. Use one optimizer per model (or rebuild it).")
        if self._uses_fast_path():
            self._fused_update_all(grads, variables, learning_rate)
            return
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _fused_update_all(self, grads, variables, learning_rate):
        """The fast path: one fused update per flat group whose members all have a
        gradient (copied, one after the other, into the group's flat ``grad`` buffer),
        then the fused rule for every other variable on its own."""
        by_id = {id(v): g for g, v in zip(grads, variables)}
        done = set()
        for group in self._groups:
            pieces = [by_id.get(id(v)) for v in group.members]
            if any(piece is None for piece in pieces):
                continue
            xp = arrays.get_array_module(group.grad)
            xp.concatenate([piece.reshape(-1) for piece in pieces], out=group.grad)
            self._fused_update_step(group.grad, group, learning_rate)
            done.update(id(v) for v in group.members)
        for grad, variable in zip(grads, variables):
            if id(variable) not in done:
                self._fused_update_step(grad, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Update ``variable`` (``assign``, ``assign_sub``...) from its ``gradient`` (an
        array): the optimizer's formula, written with ``kerlite.ops``."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update_step(gradient, variable, "
            "learning_rate).")

    def _apply_weight_decay(self, variables, learning_rate):
        pattern = getattr(self, "_exclude_pattern", None)
        for variable in variables:
            if id(variable) in self._exclude_from_decay or (
                    pattern is not None and pattern.search(variable.name)):
                continue
            data = variable.data
            data -= data * data.dtype.type(self.weight_decay * learning_rate)

    def _clip_gradients(self, grads):
        if self.clipnorm:
            return [g * g.dtype.type(self.clipnorm / max(_l2(g), self.clipnorm))
                    for g in grads]
        if self.global_clipnorm:
            norm = math.sqrt(sum(_l2(g) ** 2 for g in grads))
            scale = self.global_clipnorm / max(norm, self.global_clipnorm)
            if not math.isfinite(norm):
                scale = float("nan")
            return [g * g.dtype.type(scale) for g in grads]
        xp = arrays.get_array_module(grads[0])
        return [xp.clip(g, -self.clipvalue, self.clipvalue) for g in grads]

    # --- configuration ------------------------------------------------------------
    def get_config(self):
        if isinstance(self._learning_rate, Variable):
            learning_rate = float(self._learning_rate.data)
        elif hasattr(self._learning_rate, "get_config"):
            from kerlite.optimizers import schedules

            learning_rate = schedules.serialize(self._learning_rate)
        else:
            learning_rate = self._learning_rate
        return {
            "name": self.name, "learning_rate": learning_rate,
            "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from kerlite.optimizers import schedules

            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, learning_rate={self._current_learning_rate():g}>"


def _l2(array):
    """The L2 norm of an array as a Python float."""
    flat = array.reshape(-1)
    return math.sqrt(float(flat @ flat)) if flat.size else 0.0
