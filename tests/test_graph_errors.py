"""Graph errors say what is wrong, where (layer, tensor, shapes) and how to fix it."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers


def test_disconnected_graph_names_tensor_and_layers_seed_001():
    input_tensor = keras.Input(shape=(64,))
    x = layers.Dense(32, activation="relu")(input_tensor)
    output_tensor = layers.Dense(10, activation="softmax")(x)
    unrelated_input = keras.Input(shape=(32,), name="unrelated")
    with pytest.raises(ValueError) as error:
        keras.Model(unrelated_input, output_tensor)
    message = str(error.value)
    assert message.startswith("Graph disconnected: cannot find parent for tensor")
    assert input_tensor.name in message and "(None, 64)" in message
    assert 'at layer "input_layer"' in message and 'needed by layer "dense"' in message
    assert '"unrelated"' in message


def test_disconnected_when_an_output_is_an_unrelated_input():
    a, b = keras.Input(shape=(2,)), keras.Input(shape=(2,))
    with pytest.raises(ValueError, match="Graph disconnected.*model outputs"):
        keras.Model(a, b)


def test_missing_second_input_of_a_merge():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    out = layers.Add(name="join")([a, b])
    with pytest.raises(ValueError, match='Graph disconnected.*needed by layer "join"'):
        keras.Model(a, out)


def test_wrong_width_at_the_call_names_layer_and_both_shapes():
    inputs = keras.Input(shape=(32,))
    dense = layers.Dense(4)
    dense(keras.Input(shape=(784,)))
    with pytest.raises(ValueError) as error:
        dense(inputs)
    assert str(error.value) == (
        'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of '
        "input shape to have value 784, but received input with shape (None, 32)")


def test_wrong_rank_and_eager_wrong_width():
    with pytest.raises(ValueError, match=r'layer "dense".*expected min_ndim=2, found ndim=1'):
        layers.Dense(3)(np.ones(4, dtype="float32"))
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    # As Keras 3, a Sequential leaves the check to its layers: the Dense names the axis.
    with pytest.raises(ValueError, match=r'"dense_1".*axis -1 of input shape to have '
                                         r"value 3, but received input with shape \(4, 5\)"):
        model(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r'"repeat_vector".*expected ndim=2, found ndim=3'):
        layers.RepeatVector(2)(keras.Input(shape=(3, 4)))


def test_duplicate_layer_names():
    inputs = keras.Input(shape=(3,))
    x = layers.Dense(2, name="twin")(inputs)
    y = layers.Dense(2, name="twin")(x)
    with pytest.raises(ValueError, match='The name "twin" is used 2 times in the model'):
        keras.Model(inputs, y)
    model = keras.Sequential([layers.Dense(2, name="same")])
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(2, name="same"))


def test_non_tensor_input_to_a_layer():
    with pytest.raises(ValueError, match=r'Layer "dense" expects tensors or arrays.*str'):
        layers.Dense(2)("not a tensor")
    with pytest.raises(ValueError, match="mix of symbolic and concrete"):
        layers.Add()([keras.Input(shape=(2,)), np.ones((1, 2))])
    with pytest.raises(ValueError, match="must be a KerasTensor"):
        keras.Model(np.ones((1, 2)), keras.Input(shape=(2,)))
    with pytest.raises(TypeError, match="Only instances of `keras.Layer`"):
        keras.Sequential().add("dense")


def test_symbolic_tensor_refuses_numpy_bool_len_iteration():
    x = keras.Input(shape=(3,))
    with pytest.raises(ValueError, match="symbolic.*NumPy array"):
        np.asarray(x)
    with pytest.raises(TypeError, match="cannot be used as a boolean"):
        bool(x)
    with pytest.raises(TypeError, match="len"):
        len(x)
    with pytest.raises(NotImplementedError, match="Iterating over a symbolic KerasTensor"):
        iter(x)
    with pytest.raises(ValueError, match="int"):
        int(x)


def test_merge_shape_errors():
    a, b = keras.Input(shape=(4,)), keras.Input(shape=(5,))
    with pytest.raises(ValueError, match=r'"add".*incompatible shapes.*\(None, 4\).*\(None, 5\)'):
        layers.add([a, b])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.subtract([a, a, a])
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Add()(a)
    c = keras.Input(shape=(4, 4))
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        layers.concatenate([c, keras.Input(shape=(5, 5))])
    with pytest.raises(ValueError, match="Incompatible input shapes: axis values 4"):
        layers.dot([a, b], axes=1)


def test_reshape_and_permute_errors():
    with pytest.raises(ValueError, match=r'"reshape" cannot reshape.*\(None, 10\)'):
        layers.Reshape((3, 3))(keras.Input(shape=(10,)))
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="consecutive and start from 1"):
        layers.Permute((0, 1))


def test_layer_and_model_argument_errors():
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: \{'unit': 3\}"):
        layers.Dense(3, unit=3)
    with pytest.raises(ValueError, match="expected a positive integer"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="You must pass a `shape` argument"):
        keras.Input()
    with pytest.raises(ValueError, match="Cannot convert"):
        keras.Input(shape="784")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has 2 layers"):
        keras.Model(model.inputs, model.outputs).get_layer(index=5)
    with pytest.raises(TypeError, match="needs both `inputs` and `outputs`"):
        keras.Model(keras.Input((2,)))


def test_set_weights_and_count_params_errors():
    dense = layers.Dense(3)
    with pytest.raises(ValueError, match="isn't built"):
        dense.count_params()
    dense.build((None, 4))
    with pytest.raises(ValueError, match="expecting 2 weights"):
        dense.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r'"dense" weight shape \(4, 3\).*\(3, 4\)'):
        dense.set_weights([np.zeros((3, 4)), np.zeros(3)])


def test_model_wrong_number_of_inputs_and_missing_dict_key():
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    model = keras.Model([a, b], layers.add([a, b]))
    with pytest.raises(ValueError, match="expects 2 input"):
        model(np.ones((1, 2)))
    with pytest.raises(ValueError, match="missing: \\['b'\\]"):
        model({"a": np.ones((1, 2))})


def test_layer_output_before_any_call():
    with pytest.raises(AttributeError, match="not connected"):
        layers.Dense(2).output


def test_layer_subclass_that_forgot_super_init():
    class Forgetful(layers.Layer):
        def __init__(self):
            self.units = 3

        def call(self, inputs):
            return inputs

    with pytest.raises(RuntimeError, match=r"did not call `super\(\).__init__\(\)`"):
        Forgetful()(np.ones((1, 2)))


def test_sequential_add_of_a_layer_that_does_not_fit_keeps_the_model_intact():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match=r'"reshape" cannot reshape.*\(None, 2\)'):
        model.add(layers.Reshape((5,)))
    assert len(model.layers) == 1 and model.output.shape == (None, 2)


def test_cycle_in_a_tampered_graph_is_reported():
    x = keras.Input(shape=(2,))
    y = layers.Dense(2, name="first")(x)
    z = layers.Dense(2, name="second")(y)
    y._keras_history.operation._inbound_nodes[0].input_tensors = [z]  # z feeds y feeds z
    with pytest.raises(ValueError, match='cycle through layer "second"'):
        keras.Model(x, z)
