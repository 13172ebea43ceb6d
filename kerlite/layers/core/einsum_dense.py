"""EinsumDense: a Dense layer whose kernel product is any einsum equation.

``output = activation(einsum(equation, inputs, kernel) + bias)``. With "ab,bc->ac" it is
Dense; with "abc,cde->abde" it maps each (batch, T, dim) vector to (heads, key_dim), as
the projections inside MultiHeadAttention. The kernel's shape follows from the equation:
each kernel letter takes its size from the output (if it appears there) or the input.
"""

import re

from kerlite import activations, constraints, initializers, ops, regularizers
from kerlite.graph.input_spec import InputSpec
from kerlite.initializers.random_initializers import with_fan_axes
from kerlite.layers.layer import Layer


class EinsumDense(Layer):
    """``keras.layers.EinsumDense(equation, output_shape, activation=None, bias_axes=None)``.

    Args:
        equation: ``"<input>,<kernel>-><output>"``; "..." may stand for leading axes
            (``"...b,bc->...c"``) or trailing ones (``"ab...,bc->ac..."``).
        output_shape: sizes of the output axes without the batch axis (and without the
            axes "..." stands for); an int for a single axis; None where the input
            gives the size.
        bias_axes: output letters that get a bias (e.g. ``"de"``); None for no bias.
        activation, kernel/bias initializers, regularizers and constraints: as Dense.
        lora_rank: LoRA fine-tuning is not implemented in kerlite; it must be None.

    Weights (Keras order): ``kernel``, then ``bias`` if ``bias_axes`` is given.
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        if lora_rank or quantization_config is not None:
            raise ValueError(
                "kerlite's EinsumDense supports neither LoRA nor quantization. Received: "
                f"lora_rank={lora_rank!r}, quantization_config={quantization_config!r}. "
                "Leave both as None.")
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = ((output_shape,) if isinstance(output_shape, int)
                                     else tuple(output_shape))
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        plan = analyze_equation(self.equation, self.bias_axes, tuple(input_shape),
                                self.partial_output_shape, self.name)
        if None in plan["kernel_shape"]:
            raise ValueError(
                f'Layer "{self.name}" cannot size its kernel {plan["kernel_shape"]} for '
                f"equation {self.equation!r} and input_shape={tuple(input_shape)}: give "
                "the unknown sizes in `output_shape` or in the input's shape.")
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(
            name="kernel", shape=plan["kernel_shape"],
            initializer=with_fan_axes(self.kernel_initializer, plan["input_axes"],
                                      plan["output_axes"]),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if plan["bias_shape"] is not None:
            self.bias = self.add_weight(
                name="bias", shape=plan["bias_shape"], initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def call(self, inputs):
        outputs = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return analyze_equation(self.equation, self.bias_axes, tuple(input_shape),
                                self.partial_output_shape, self.name)["output_shape"]

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config


_FORMS = (  # (pattern, where "..." stands: None, "left" or "right")
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
    (r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)", "left"),
    (r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.", "right"),
)


def analyze_equation(equation, bias_axes, input_shape, partial_output_shape, name):
    """Sizes implied by an EinsumDense equation: a dict with ``output_shape``,
    ``kernel_shape``, ``bias_shape`` (or None), and the kernel's ``input_axes`` /
    ``output_axes`` (the kernel positions whose letters come from the input / output)."""
    for pattern, ellipsis in _FORMS:
        match = re.fullmatch(pattern, equation.replace(" ", ""))
        if match:
            break
    else:
        raise ValueError(
            f'Layer "{name}": invalid einsum equation {equation!r}. Use the form '
            "'ab,bc->ac', '...b,bc->...c' or 'ab...,bc->ac...'.")
    in_spec, kernel_spec, out_spec = match.groups()
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (ellipsis is None and elided != 0):
        raise ValueError(
            f'Layer "{name}": equation {equation!r} names {len(in_spec)} input axes but '
            f"the input has {len(input_shape)}: input_shape={input_shape}.")
    if ellipsis == "left":  # "..." holds the batch axis and any other leading axes
        output_shape = list(input_shape[:elided]) + list(partial_output_shape)
        in_sizes = dict(zip(in_spec, input_shape[elided:]))
        out_axis = {c: elided + i for i, c in enumerate(out_spec)}
    else:
        output_shape = [input_shape[0]] + list(partial_output_shape)
        output_shape += list(input_shape[len(input_shape) - elided:])
        in_sizes = dict(zip(in_spec, input_shape))
        out_axis = {c: i for i, c in enumerate(out_spec)}
    if len(output_shape) != len(out_spec) + elided:
        raise ValueError(
            f'Layer "{name}": output_shape={partial_output_shape} does not fit equation '
            f"{equation!r}: it needs one size for each output letter after the batch "
            "letter (after '...' when the equation starts with it).")
    _fill_output_sizes(output_shape, out_axis, in_sizes, kernel_spec, equation,
                       partial_output_shape, name)
    plan = _kernel_plan(kernel_spec, in_sizes, out_axis, output_shape, equation, name)
    plan["output_shape"] = tuple(output_shape)
    plan["bias_shape"] = _bias_shape(bias_axes, out_spec, out_axis, output_shape,
                                     elided if ellipsis == "right" else 0, name)
    return plan


def _fill_output_sizes(output_shape, out_axis, in_sizes, kernel_spec, equation,
                       partial_output_shape, name):
    """Output letters shared with the input take (and must agree with) its sizes."""
    for letter, axis in out_axis.items():
        if letter in in_sizes:
            if output_shape[axis] is None:
                output_shape[axis] = in_sizes[letter]
            elif in_sizes[letter] is not None and output_shape[axis] != in_sizes[letter]:
                raise ValueError(
                    f'Layer "{name}": input and output shapes disagree on shared axis '
                    f"'{letter}': input size {in_sizes[letter]}, output size "
                    f"{output_shape[axis]}. Fix output_shape={partial_output_shape}.")
        elif letter not in kernel_spec:
            raise ValueError(
                f'Layer "{name}": output letter \'{letter}\' of {equation!r} is in '
                "neither the input nor the kernel spec.")


def _kernel_plan(kernel_spec, in_sizes, out_axis, output_shape, equation, name):
    """Each kernel letter is sized by the output if it appears there (an output axis for
    the initializer's fans), else by the input (an input axis)."""
    kernel_shape, input_axes, output_axes = [], [], []
    for i, letter in enumerate(kernel_spec):
        if letter in out_axis:
            kernel_shape.append(output_shape[out_axis[letter]])
            output_axes.append(i)
        elif letter in in_sizes:
            kernel_shape.append(in_sizes[letter])
            input_axes.append(i)
        else:
            raise ValueError(
                f'Layer "{name}": kernel letter \'{letter}\' of {equation!r} is in '
                "neither the input nor the output spec, so its size is unknown.")
    return {"kernel_shape": tuple(kernel_shape), "input_axes": input_axes,
            "output_axes": output_axes}


def _bias_shape(bias_axes, out_spec, out_axis, output_shape, trailing, name):
    """The bias spans the output from its first bias letter on (1 on other letters),
    so it broadcasts against the output; ``trailing`` axes of a right "..." get 1."""
    if bias_axes is None:
        return None
    for letter in bias_axes:
        if letter not in out_spec:
            raise ValueError(
                f'Layer "{name}": bias letter \'{letter}\' of bias_axes={bias_axes!r} is '
                f"not an output letter of {out_spec!r}.")
    first = min(out_spec.index(letter) for letter in bias_axes)
    shape = [output_shape[out_axis[c]] if c in bias_axes else 1 for c in out_spec[first:]]
    return tuple(shape + [1] * trailing)
