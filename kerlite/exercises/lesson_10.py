"""Checks for lesson 10 (saving and loading): a registered custom layer that survives a save and
a load, weights moved by file, and the optimizer variables a saved file holds."""

import os
import tempfile

import numpy as np

import kerlite as keras
from kerlite import layers
from kerlite.exercises.answers import answered, expect
from kerlite.exercises.model_facts import require_model
from kerlite.exercises.registry import exercise


@exercise("10.offset_layer")
def offset_layer(layer_class):
    """``Offset(scale=...)``: ``(inputs + offset) * scale`` with a trainable ``offset`` weight per
    feature; registered, so that load_model finds it without custom_objects."""
    expect(isinstance(layer_class, type) and issubclass(layer_class, layers.Layer),
           "give the class itself: class Offset(layers.Layer): ...")
    ones = np.ones((2, 5), dtype="float32")
    answered(layer_class(scale=2.0)(ones))
    layer = layer_class(scale=2.0, name="offset")
    inputs = keras.Input((5,))
    model = keras.Model(inputs, layer(inputs))
    expect(model.count_params() == 5, f"{model.count_params()} parameters on 5 features: one "
                                      f"offset per feature, shape (features,)")
    layer.set_weights([np.arange(5, dtype="float32")])
    expected = 2 * (1 + np.arange(5))
    expect(np.allclose(np.asarray(model(ones)), expected),
           "with offset [0, 1, 2, 3, 4] and scale 2, ones should give [2, 4, 6, 8, 10]: "
           "return (inputs + offset) * scale")
    registered = keras.saving.get_registered_name(layer_class)
    expect(registered != layer_class.__name__,
           "the class is not registered: decorate it with "
           "@keras.saving.register_keras_serializable(package=\"exercise\")")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "offset.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
    loaded_layer = loaded.layers[-1]
    expect(getattr(loaded_layer, "scale", None) == 2.0,
           "the loaded layer lost its scale: get_config must return it (config.update(...))")
    expect(np.allclose(np.asarray(loaded(ones)), expected),
           "the loaded model computes something else: is the offset a weight made with "
           "add_weight (so that it is saved)?")
    return f"saved and loaded as {registered!r}, no custom_objects needed: same numbers, same scale"


@exercise("10.transfer")
def transfer(student, teacher, images):
    """``student``: a new make_model() that got ``teacher``'s trained weights from a weights file."""
    require_model(student, "the student keras.Model")
    expect(student is not teacher, "student must be a new model: make_model(), not model itself")
    expect(student.count_params() == teacher.count_params(),
           f"{student.count_params():,} parameters: build the student with make_model()")
    expect(np.allclose(student.predict(images, verbose=0), teacher.predict(images, verbose=0),
                       atol=1e-5),
           "the student predicts something else: model.save_weights(...) then "
           "student.load_weights(...) with the same file name, ending in .weights.h5")
    return "the student predicts exactly what the trained model does, without any training"


@exercise("10.optimizer_params")
def optimizer_params(count):
    """The "Optimizer params" of the loaded summary had digits_mlp been trained with Adam."""
    expect(isinstance(count, (int, np.integer)),
           f"give a whole number of optimizer variables, not a {type(count).__name__}")
    inputs = keras.Input(shape=(64,))
    model = keras.Model(inputs, layers.Dense(10)(layers.Dense(32, activation="relu")(inputs)))
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((2, 64), "float32"), np.zeros((2, 10), "float32"), verbose=0)
    truth = sum(int(np.prod(variable.shape)) for variable in model.optimizer.variables)
    expect(count != 2410 + 2, "that is RMSprop's count: one running average per weight. Adam "
                              "keeps two (a momentum and a velocity)")
    expect(count == truth, "count the optimizer's own variables: two per weight for Adam, plus "
                           "its step counter and its learning rate")
    return f"{truth:,} = 2 × 2,410 (momentum and velocity per weight) + iterations + learning rate"
