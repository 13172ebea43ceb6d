"""Small questions a check asks about a learner's model, through the public Keras API only."""

import kerlite as keras
from kerlite.exercises.answers import NotAnswered, expect


def require_model(answer, what="a keras.Model"):
    """Fail with a hint unless ``answer`` is a Keras model; NotAnswered if a part is still ``...``."""
    if isinstance(answer, keras.Model) and any(
            value is Ellipsis for value in vars(answer).values()):
        raise NotAnswered()
    expect(isinstance(answer, keras.Model),
           f"expected {what}, got a {type(answer).__name__}: build it with keras.Model(inputs, "
           f"outputs) or keras.Sequential([...])")
    return answer


def graph_model_type():
    """The class ``keras.Model(inputs, outputs)`` really builds (Functional, a subclass of Model).

    Found by building a one-layer model through the public API, so no internal path is named.
    """
    inputs = keras.Input(shape=(1,))
    return type(keras.Model(inputs, inputs))


def is_subclassed_model(model):
    """True for an instance of the learner's own ``keras.Model`` subclass, written with ``call``.

    A functional model (``keras.Model(inputs, outputs)``, even through a subclass that passes
    inputs and outputs on) and a ``keras.Sequential`` model are graphs of layers, not subclasses.
    """
    return (isinstance(model, keras.Model) and type(model) is not keras.Model
            and not isinstance(model, (graph_model_type(), keras.Sequential)))


def layer_types(model):
    """The class names of the model's layers, in order (nested models count as one layer)."""
    return [type(layer).__name__ for layer in model.layers]


def output_shape(model):
    """The model's symbolic output shape as a tuple (a list of tuples for several outputs)."""
    outputs = model.outputs
    shapes = [tuple(output.shape) for output in outputs]
    return shapes[0] if len(shapes) == 1 else shapes


def as_shape(answer):
    """A predicted shape as a tuple (a list is accepted); a hint if it is not one."""
    expect(isinstance(answer, (tuple, list)),
           f"write the shape as a tuple such as (None, 10); got a {type(answer).__name__}")
    return tuple(answer)
