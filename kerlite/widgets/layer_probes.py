"""Numbers from inside a model: each layer's activations, each layer's gradient norm.

``layer_activations`` builds (once) a model with the same inputs whose outputs are the
outputs of every layer, and runs it on a sample: the functional API does the work.
``gradient_norms`` runs one batch under a ``GradientTape`` and reports, per layer,
the size of the gradient of the loss with respect to that layer's weights:
``||g|| = sqrt(sum of g**2 over all its trainable weights)``. Norms that shrink towards
the input layers show vanishing gradients; norms that blow up show exploding ones.
"""

import math

import numpy as np


def _to_numpy(value):
    from kerlite import arrays

    return np.asarray(arrays.to_numpy(value))


def activation_model(model, layer_names):
    """A model with ``model``'s inputs whose outputs are the named layers' outputs."""
    from kerlite.models import Model

    if not getattr(model, "inputs", None):
        raise ValueError(
            f'Model "{model.name}" has no symbolic inputs, so its layers\' outputs cannot '
            "be read. Build it on an Input first: `keras.Sequential([keras.Input(shape), "
            "...])` or the functional API.")
    outputs = [model.get_layer(name).output for name in layer_names]
    return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_activations")


def layer_activations(model, x, layer_names, probe=None):
    """``{name: array}``: each named layer's output for input ``x`` (batch first).

    ``probe`` is a model made by ``activation_model`` (reused to save rebuilding it).
    """
    probe = probe or activation_model(model, layer_names)
    outputs = probe(x, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {name: _to_numpy(out) for name, out in zip(layer_names, outputs)}


def gradient_norms(model, x, y, loss):
    """``{layer name: gradient norm}`` for one batch, for layers with trainable weights.

    Args:
        model: the model (its weights are not changed).
        x, y: one batch of inputs and targets.
        loss: a loss name (``"sparse_categorical_crossentropy"``), Loss object or function.
    """
    from kerlite import GradientTape, losses, ops

    loss_fn = losses.get(loss)
    weights = list(model.trainable_weights)
    if not weights:
        raise ValueError(f'Model "{model.name}" has no trainable weights: there is no '
                         "gradient to measure.")
    with GradientTape() as tape:
        prediction = model(x, training=True)
        value = loss_fn(ops.convert_to_tensor(y), prediction)
        if len(getattr(value, "shape", ())) > 0:  # a plain loss function: one value per sample
            value = ops.mean(value)
        if model.losses:
            value = value + ops.sum(ops.stack([ops.convert_to_tensor(l) for l in model.losses]))
    grads = tape.gradient(value, weights)
    grad_of = {id(w): g for w, g in zip(weights, grads)}
    norms = {}
    for layer in model.layers:
        layer_grads = [grad_of.get(id(w)) for w in layer.trainable_weights]
        layer_grads = [g for g in layer_grads if g is not None]
        if layer_grads:
            squares = sum(float(np.sum(np.square(_to_numpy(g), dtype=np.float64)))
                          for g in layer_grads)
            norms[layer.name] = math.sqrt(squares)
    return norms


def activation_stats(array):
    """``{"mean", "std", "zero_fraction"}`` of an activation array (dead ReLUs show as zeros)."""
    values = np.asarray(array, dtype=np.float64)
    return {"mean": float(values.mean()), "std": float(values.std()),
            "zero_fraction": float(np.mean(values == 0))}
