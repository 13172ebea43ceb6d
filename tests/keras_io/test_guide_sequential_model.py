"""keras-io guide "The Sequential model" (guides/sequential_model.py), run on kerlite and Keras 3.

Sections: When to use a Sequential model, Creating a Sequential model, Specifying the input
shape in advance, A common debugging workflow: add() + summary(), Feature extraction with a
Sequential model, Transfer learning with a Sequential model.
Data: random arrays instead of the guide's pretrained weights and datasets.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_shapes, param_lines, run_both

pytestmark = pytest.mark.parity


def test_when_to_use_a_sequential_model():
    def section(lib):
        keras, layers, ops = lib.keras, lib.layers, lib.ops
        model = keras.Sequential([
            layers.Dense(2, activation="relu", name="layer1"),
            layers.Dense(3, activation="relu", name="layer2"),
            layers.Dense(4, name="layer3"),
        ])
        x = ops.ones((3, 3))
        y = model(x)
        # the same, layer by layer
        layer1 = layers.Dense(2, activation="relu", name="layer1")
        layer2 = layers.Dense(3, activation="relu", name="layer2")
        layer3 = layers.Dense(4, name="layer3")
        x = ops.ones((3, 3))
        z = layer3(layer2(layer1(x)))
        return model, tuple(y.shape), tuple(z.shape), [l.name for l in model.layers]

    (mine, *mine_facts), (theirs, *their_facts) = run_both(section)
    assert mine_facts == their_facts == [(3, 4), (3, 4), ["layer1", "layer2", "layer3"]]
    copy_weights(mine, theirs)
    x = np.random.default_rng(0).random((3, 3)).astype("float32")
    assert_close(mine(x), theirs(x))


def test_creating_a_sequential_model():
    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential([
            layers.Dense(2, activation="relu"),
            layers.Dense(3, activation="relu"),
            layers.Dense(4),
        ])
        first = len(model.layers)
        model = keras.Sequential()
        model.add(layers.Dense(2, activation="relu"))
        model.add(layers.Dense(3, activation="relu"))
        model.add(layers.Dense(4))
        model.pop()
        after_pop = len(model.layers)
        model = keras.Sequential(name="my_sequential")
        model.add(layers.Dense(2, activation="relu", name="layer1"))
        model.add(layers.Dense(3, activation="relu", name="layer2"))
        model.add(layers.Dense(4, name="layer3"))
        return first, after_pop, model.name, [l.name for l in model.layers]

    mine, theirs = run_both(section)
    assert mine == theirs == (3, 2, "my_sequential", ["layer1", "layer2", "layer3"])


def test_specifying_the_input_shape_in_advance():
    def section(lib):
        keras, layers, ops = lib.keras, lib.layers, lib.ops
        layer = layers.Dense(3)
        before = list(layer.weights)
        x = ops.ones((1, 4))
        y = layer(x)
        after = [tuple(w.shape) for w in layer.weights]

        model = keras.Sequential([
            layers.Dense(2, activation="relu"),
            layers.Dense(3, activation="relu"),
            layers.Dense(4),
        ])
        x = ops.ones((1, 4))
        y = model(x)
        weights_after_call = len(model.weights)
        called_summary = param_lines(model)

        model = keras.Sequential()
        model.add(keras.Input(shape=(4,)))
        model.add(layers.Dense(2, activation="relu"))
        input_summary = param_lines(model)
        layer_names = [type(l).__name__ for l in model.layers]

        model = keras.Sequential()
        model.add(layers.Dense(2, activation="relu", input_shape=(4,)))
        return (before, after, weights_after_call, called_summary, input_summary,
                layer_names, param_lines(model))

    mine, theirs = run_both(section)
    assert mine == theirs
    assert mine[0] == [] and mine[1] == [(4, 3), (3,)] and mine[2] == 6
    assert mine[3][0].startswith("Total params: 35") and mine[5] == ["Dense"]


def test_a_common_debugging_workflow_add_and_summary():
    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential()
        model.add(keras.Input(shape=(250, 250, 3)))
        model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.MaxPooling2D(3))
        first = (layer_shapes(model), param_lines(model))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.MaxPooling2D(3))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.MaxPooling2D(2))
        second = (layer_shapes(model), param_lines(model))
        model.add(layers.GlobalMaxPooling2D())
        model.add(layers.Dense(10))
        return first, second, model.count_params()

    mine, theirs = run_both(section)
    assert mine == theirs
    first, second, total = mine
    assert first[0] == [(None, 123, 123, 32), (None, 121, 121, 32), (None, 40, 40, 32)]
    assert second[0][-1] == (None, 4, 4, 32)
    assert first[1][0].startswith("Total params: 11,680")


def test_feature_extraction_with_a_sequential_model():
    image = np.random.default_rng(1).random((1, 64, 64, 3)).astype("float32")

    def section(lib):
        keras, layers, ops = lib.keras, lib.layers, lib.ops
        initial_model = keras.Sequential([
            keras.Input(shape=(64, 64, 3)),
            layers.Conv2D(32, 5, strides=2, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
        ])
        feature_extractor = keras.Model(
            inputs=initial_model.inputs,
            outputs=[layer.output for layer in initial_model.layers],
        )
        x = ops.ones((1, 64, 64, 3))
        features = feature_extractor(x)

        named_model = keras.Sequential([
            keras.Input(shape=(64, 64, 3)),
            layers.Conv2D(32, 5, strides=2, activation="relu"),
            layers.Conv2D(32, 3, activation="relu", name="my_intermediate_layer"),
            layers.Conv2D(32, 3, activation="relu"),
        ])
        intermediate = keras.Model(
            inputs=named_model.inputs,
            outputs=named_model.get_layer(name="my_intermediate_layer").output,
        )
        return initial_model, feature_extractor, [tuple(f.shape) for f in features], \
            named_model, intermediate

    mine, theirs = run_both(section)
    assert mine[2] == theirs[2] == [(1, 30, 30, 32), (1, 28, 28, 32), (1, 26, 26, 32)]
    copy_weights(mine[0], theirs[0])
    assert_close(mine[1](image), theirs[1](image), atol=1e-4)
    copy_weights(mine[3], theirs[3])
    assert_close(mine[4](image), theirs[4](image), atol=1e-4)
    assert tuple(mine[4].output.shape) == (None, 28, 28, 32)


def test_transfer_learning_with_a_sequential_model():
    rng = np.random.default_rng(2)
    x_train = rng.random((64, 784)).astype("float32")
    y_train = rng.integers(0, 10, size=(64,))

    def section(lib):
        keras, layers = lib.keras, lib.layers
        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(10),
        ])
        for layer in model.layers[:-1]:
            layer.trainable = False
        frozen_before = [np.array(w) for w in model.layers[0].get_weights()]
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0)
        frozen_after = model.layers[0].get_weights()
        return (len(model.trainable_weights), len(model.non_trainable_weights),
                param_lines(model),
                all(np.array_equal(a, b) for a, b in zip(frozen_before, frozen_after)),
                history.history["loss"][1] < history.history["loss"][0])

    mine, theirs = run_both(section)
    assert mine[:4] == theirs[:4]
    assert mine == (2, 6, mine[2], True, True)
