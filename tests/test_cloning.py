"""keras.models.clone_model as Keras 3 documents it, and the automatic layer config.

Functional models are called again with cloned layers (a shared layer stays shared), with
``clone_function`` / ``call_function`` / ``recursive`` / ``input_tensors``; Sequential
models are rebuilt; subclassed models come back from their config, built; a compiled
model's clone is compiled. Each case is checked against Keras 3 on the same script.
"""

import numpy as np
import pytest

import kerlite
from _keras_reference import import_keras


def _graph(keras):
    """x -> pre -> shared, and x -> shared again (one layer, two calls), summed, relu."""
    inputs = keras.Input((4,), name="x")
    shared = keras.layers.Dense(3, name="shared")
    first = shared(inputs)
    second = shared(keras.layers.Dense(4, name="pre")(inputs))
    outputs = keras.ops.relu(keras.layers.Add(name="sum")([first, second]))
    model = keras.Model(inputs, outputs, name="net")
    model.compile("adam", "mse", metrics=["mae"])
    return model


def _add_dropout_after_dense(keras):
    def call_function(layer, *args, **kwargs):
        outputs = layer(*args, **kwargs)
        if isinstance(layer, keras.layers.Dense):
            outputs = keras.layers.Dropout(0.5)(outputs)
        return outputs
    return call_function


def _describe(keras):
    """What clone_model gives for each documented use, in plain values."""
    model = _graph(keras)
    clone = keras.models.clone_model(model)
    reused = keras.models.clone_model(model, clone_function=lambda layer: layer,
                                      call_function=_add_dropout_after_dense(keras))
    sequential = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a"),
                                   keras.layers.Dense(1, name="b")], name="s")
    sequential_clone = keras.models.clone_model(sequential)
    on_new_input = keras.models.clone_model(sequential,
                                            input_tensors=keras.Input((3,), name="other"))
    outer_input = keras.Input((3,))
    outer = keras.Model(outer_input, sequential(outer_input))
    deep = keras.models.clone_model(outer, recursive=True)
    return {
        "clone": (type(clone).__name__, clone.name, [layer.name for layer in clone.layers],
                  clone.compiled, len(clone.weights), clone.optimizer is not model.optimizer),
        "fresh layers": all(mine is not theirs for mine, theirs in
                            zip(clone.layers, model.layers)),
        "reused": ([type(layer).__name__ for layer in reused.layers],
                   reused.get_layer("shared") is model.get_layer("shared")),
        "sequential": (type(sequential_clone).__name__, sequential_clone.name,
                       [layer.name for layer in sequential_clone.layers],
                       len(sequential_clone.weights)),
        "input_tensors": tuple(on_new_input.inputs[0].shape),
        "recursive": ([type(layer).__name__ for layer in deep.layers],
                      deep.layers[1] is sequential),
    }


@pytest.mark.parity
def test_clone_model_does_what_keras_3_does():
    keras = import_keras()
    assert _describe(kerlite) == _describe(keras)


def test_a_clone_computes_the_same_function_once_given_the_weights():
    model = _graph(kerlite)
    clone = kerlite.models.clone_model(model)
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    assert not np.allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    assert len(clone.get_layer("shared")._inbound_nodes) == 2  # still one shared layer


@pytest.mark.parity
def test_a_subclassed_model_comes_back_built_and_refuses_clone_function():
    keras = import_keras()
    results = []
    for library in (kerlite, keras):
        class Tower(library.Model):
            def __init__(self, hidden=4, **kwargs):
                super().__init__(**kwargs)
                self.hidden = hidden
                self.inner = library.layers.Dense(hidden)
                self.head = library.layers.Dense(1)

            def call(self, inputs):
                return self.head(self.inner(inputs))

        model = Tower(hidden=3)
        model(np.zeros((2, 5), "float32"))
        clone = library.models.clone_model(model)
        with pytest.raises(ValueError, match="clone_function"):
            library.models.clone_model(model, clone_function=lambda layer: layer)
        with pytest.raises(ValueError, match="call_function"):
            library.models.clone_model(model, call_function=lambda layer, x: layer(x))
        results.append((type(clone).__name__, clone.built, clone.hidden,
                        [tuple(w.shape) for w in clone.weights]))
    # The same, except that Keras 3.15's automatic config of a Model subclass records the
    # default hidden=4 where hidden=3 was given (kerlite keeps what was given).
    assert results[0] == ("Tower", True, 3, [(5, 3), (3,), (3, 1), (1,)])
    assert results[1] == ("Tower", True, 4, [(5, 4), (4,), (4, 1), (1,)])


def test_unknown_arguments_and_sequential_call_function_are_refused():
    model = _graph(kerlite)
    with pytest.raises(ValueError, match="Unexpected keyword argument"):
        kerlite.models.clone_model(model, custom_objects={})
    sequential = kerlite.Sequential([kerlite.Input((2,)), kerlite.layers.Dense(1)])
    with pytest.raises(ValueError, match="call_function"):
        kerlite.models.clone_model(sequential, call_function=lambda layer, x: layer(x))
    with pytest.raises(ValueError, match="callable"):
        kerlite.models.clone_model(model, clone_function="dense")


@pytest.mark.parity
def test_operations_lists_the_ops_that_layers_leaves_out():
    keras = import_keras()
    names = []
    for library in (kerlite, keras):
        inputs = library.Input((4,))
        hidden = library.layers.Dense(3)(inputs)
        model = library.Model(inputs, library.ops.concatenate(
            [library.ops.add(hidden, 1.0), hidden], axis=-1))
        names.append(([type(op).__name__ for op in model.operations],
                      [type(layer).__name__ for layer in model.layers]))
    assert names[0] == names[1]


@pytest.mark.parity
def test_the_automatic_config_keeps_default_arguments_as_keras():
    keras = import_keras()
    configs = []
    for library in (kerlite, keras):
        class Scaled(library.layers.Layer):
            def __init__(self, units=32, activation="relu", scale=1.0, **kwargs):
                super().__init__(**kwargs)
                self.units, self.activation, self.scale = units, activation, scale

            def call(self, inputs):
                return inputs * self.scale

        config = Scaled(64, name="scaled").get_config()
        again = Scaled.from_config(config)
        configs.append((sorted(config.items(), key=str),
                        (again.units, again.activation, again.scale, again.name)))
    assert configs[0] == configs[1]
