"""The functional API: KerasTensor, Node, map_graph, Model, Sequential."""

import json
import warnings

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers, ops
from kerlite.graph import map_graph


def mlp_784_64_64_10():
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


# --- KerasTensor and Input ---------------------------------------------------------------
def test_input_is_a_symbolic_tensor_with_keras_repr():
    x = keras.Input(shape=(784,))
    assert x.shape == (None, 784) and x.dtype == "float32" and x.ndim == 2
    assert repr(x) == ("<KerasTensor shape=(None, 784), dtype=float32, sparse=False, "
                       "ragged=False, name=keras_tensor>")
    layer, node_index, tensor_index = x._keras_history
    assert isinstance(layer, layers.InputLayer) and layer.name == "input_layer"
    assert (node_index, tensor_index) == (0, 0)


def test_input_forms():
    assert keras.Input(shape=(3, 4), batch_size=8).shape == (8, 3, 4)
    assert keras.Input(batch_shape=(None, 28, 28, 1)).shape == (None, 28, 28, 1)
    assert keras.Input(shape=(5,), dtype="int32").dtype == "int32"
    named = keras.Input(shape=(2,), name="img")
    assert named.name == "img" and named._keras_history.operation.name == "img"
    with pytest.warns(DeprecationWarning, match=r"shape=\(784,\)"):
        assert keras.Input(784).shape == (None, 784)


def test_python_operators_and_ops_on_keras_tensors_build_nodes():
    x = keras.Input(shape=(4,))
    y = -(2 * x + 1)[:, :2]
    assert y.shape == (None, 2)
    z = ops.add(x, x) if getattr(ops.add, "__wrapped__", None) else x + x
    model = keras.Model(x, [y, z])
    out_y, out_z = model(np.ones((3, 4), dtype="float32"))
    np.testing.assert_allclose(out_y.numpy(), -3 * np.ones((3, 2)))
    np.testing.assert_allclose(out_z.numpy(), 2 * np.ones((3, 4)))
    assert [layer.name for layer in model.layers] == ["input_layer"]
    assert "multiply" in [op.name for op in model._operations]


def test_equality_of_keras_tensors_is_identity_as_in_keras_3():
    a = keras.Input(shape=(3,))
    dense = layers.Dense(2)
    encoded = dense(a)
    assert dense.output == encoded
    assert not (dense.output == a)


# --- Node and map_graph ---------------------------------------------------------------------
def test_nodes_record_calls_and_histories():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    shared = layers.Dense(2)
    ya, yb = shared(a), shared(b)
    assert len(shared._inbound_nodes) == 2
    assert ya._keras_history[1:] == (0, 0) and yb._keras_history[1:] == (1, 0)
    node = shared._inbound_nodes[1]
    assert node.input_tensors == [b] and node.outputs == [yb]
    assert node in b._keras_history.operation._outbound_nodes
    assert node.parent_nodes == [b._keras_history.operation._inbound_nodes[0]]


def test_map_graph_orders_nodes_parents_first_and_layers_inputs_first():
    x = keras.Input(shape=(4,), name="x")
    left = layers.Dense(3, name="left")(x)
    right = layers.Dense(3, name="right")(layers.Dense(3, name="pre")(x))
    out = layers.Add(name="sum")([left, right])
    nodes, by_depth, ordered_layers, _ = map_graph([x], [out])
    names = [node.layer.name for node in nodes]
    assert names.index("x") < names.index("left") < names.index("sum")
    assert names.index("pre") < names.index("right") < names.index("sum")
    assert [layer.name for layer in ordered_layers] == ["x", "pre", "left", "right", "sum"]
    assert [n.layer.name for n in by_depth[0]] == ["sum"]


def test_deep_graph_does_not_hit_recursion_limit():
    x = inputs = keras.Input(shape=(2,))
    for _ in range(1500):
        x = layers.Identity()(x)
    model = keras.Model(inputs, x)
    assert len(model.layers) == 1501


# --- Model ------------------------------------------------------------------------------
def test_mlp_parameters_names_and_eager_call():
    model = mlp_784_64_64_10()
    assert model.count_params() == 55050
    assert [layer.name for layer in model.layers] == ["input_layer", "dense", "dense_1", "dense_2"]
    assert model.name == "mnist_model"
    assert model.get_layer("dense_1") is model.layers[2]
    assert model.get_layer(index=1).name == "dense"
    out = model(np.random.default_rng(0).normal(size=(5, 784)))
    assert isinstance(out, keras.Tensor) and out.shape == (5, 10) and out.dtype == "float32"
    assert [w.shape for w in model.get_weights()] == [
        (784, 64), (64,), (64, 64), (64,), (64, 10), (10,)]
    assert model.input is model.inputs[0] and model.output.shape == (None, 10)
    assert model.output_names == ["dense_2"]


def test_model_keyword_and_positional_forms_return_functional():
    x = keras.Input(shape=(3,))
    y = layers.Dense(2)(x)
    for model in (keras.Model(x, y), keras.Model(inputs=x, outputs=y),
                  keras.models.Model(x, outputs=y)):
        assert type(model).__name__ == "Functional" and isinstance(model, keras.Model)


def test_multi_input_multi_output_lists_and_dicts():
    a = keras.Input(shape=(16,), name="a")
    b = keras.Input(shape=(32,), name="b")
    added = layers.add([layers.Dense(8, activation="relu")(a),
                        layers.Dense(8, activation="relu")(b)])
    out1, out2 = layers.Dense(4, name="out1")(added), layers.Dense(1, name="out2")(added)
    model = keras.Model(inputs=[a, b], outputs=[out1, out2])
    data = [np.ones((2, 16)), np.ones((2, 32))]
    y1, y2 = model(data)
    assert y1.shape == (2, 4) and y2.shape == (2, 1)
    by_name = model({"a": data[0], "b": data[1]})
    np.testing.assert_allclose(by_name[0].numpy(), y1.numpy())
    dict_model = keras.Model({"a": a, "b": b}, {"first": out1, "second": out2})
    result = dict_model({"b": data[1], "a": data[0]})
    assert set(result) == {"first", "second"}
    np.testing.assert_allclose(result["second"].numpy(), y2.numpy())
    assert model.count_params() == 136 + 264 + 36 + 9


def test_nested_models_share_weights():
    encoder_input = keras.Input(shape=(8,), name="original")
    encoder = keras.Model(encoder_input, layers.Dense(3)(encoder_input), name="encoder")
    decoder_input = keras.Input(shape=(3,), name="encoded")
    decoder = keras.Model(decoder_input, layers.Dense(8)(decoder_input), name="decoder")
    x = keras.Input(shape=(8,), name="img")
    autoencoder = keras.Model(x, decoder(encoder(x)), name="autoencoder")
    assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()
    data = np.random.default_rng(1).normal(size=(4, 8)).astype("float32")
    np.testing.assert_allclose(autoencoder(data).numpy(), decoder(encoder(data)).numpy(),
                               rtol=1e-6)
    assert autoencoder.weights[0] is encoder.weights[0]


def test_several_models_over_one_graph():
    inputs = keras.Input(shape=(6,))
    code = layers.Dense(2)(inputs)
    decoded = layers.Dense(6)(code)
    encoder = keras.Model(inputs, code)
    autoencoder = keras.Model(inputs, decoded)
    assert autoencoder.layers[:2] == encoder.layers
    data = np.ones((1, 6), dtype="float32")
    np.testing.assert_allclose(
        autoencoder(data).numpy(), autoencoder.layers[-1](encoder(data)).numpy(), rtol=1e-6)


def test_ensemble_averaged_with_layers_average():
    def get_model():
        inputs = keras.Input(shape=(128,))
        return keras.Model(inputs, layers.Dense(1)(inputs))

    models = [get_model() for _ in range(3)]
    inputs = keras.Input(shape=(128,))
    outputs = layers.average([model(inputs) for model in models])
    ensemble = keras.Model(inputs=inputs, outputs=outputs)
    data = np.random.default_rng(2).normal(size=(5, 128)).astype("float32")
    expected = sum(model(data).numpy() for model in models) / 3
    np.testing.assert_allclose(ensemble(data).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ensemble.count_params() == 3 * 129


def test_feature_extraction_from_layer_outputs():
    model = mlp_784_64_64_10()
    extractor = keras.Model(inputs=model.inputs,
                            outputs=[layer.output for layer in model.layers])
    features = extractor(np.zeros((2, 784), dtype="float32"))
    assert [f.shape for f in features] == [(2, 784), (2, 64), (2, 64), (2, 10)]


def test_shared_layer_node_accessors_keras_2_forms():
    a, b = keras.Input(shape=(32, 32, 3)), keras.Input(shape=(64, 64, 3))
    dense = layers.Dense(16)
    out_a = dense(a)
    with pytest.warns(DeprecationWarning, match="input.shape"):
        assert dense.input_shape == (None, 32, 32, 3)
    out_b = dense(b)
    with pytest.warns(DeprecationWarning, match="Keras 2"):
        assert dense.get_input_shape_at(0) == (None, 32, 32, 3)
        assert dense.get_input_shape_at(1) == (None, 64, 64, 3)
        assert dense.get_output_shape_at(1) == (None, 64, 64, 16)
        assert dense.get_output_at(0) == out_a and dense.get_output_at(1) == out_b
        assert dense.get_input_at(1) is b
    assert dense.output is out_a and dense.input is a  # Keras 3: the first call's
    with pytest.raises(AttributeError, match="get_input_shape_at"):
        with pytest.warns(DeprecationWarning):
            dense.input_shape


def test_calling_a_model_in_a_graph_on_a_new_shape_infers_it():
    inputs = keras.Input(shape=(None, 3))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    y = model(keras.Input(shape=(7, 3)))
    assert y.shape == (None, 7, 2)


def test_training_flag_reaches_nested_layers():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, inputs):
            return self.probe(inputs)

    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, Block()(inputs))
    seen.clear()
    model(np.ones((1, 2)), training=True)
    model(np.ones((1, 2)))
    assert seen == [True, None]


def test_dropout_in_a_model_only_when_training():
    inputs = keras.Input(shape=(1000,))
    model = keras.Model(inputs, layers.Dropout(0.5, seed=1)(inputs))
    data = np.ones((2, 1000), dtype="float32")
    np.testing.assert_array_equal(model(data).numpy(), data)
    dropped = model(data, training=True).numpy()
    assert 0.4 < (dropped == 0).mean() < 0.6
    assert set(np.unique(dropped)) == {0.0, 2.0}


def test_functional_config_round_trip_keeps_graph_and_outputs():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    shared = layers.Dense(2)
    x = layers.concatenate([shared(a), layers.Dense(2)(b)])
    y = shared(layers.Dense(4, activation="relu")(x))
    model = keras.Model({"a": a, "b": b}, [y, x])
    config = json.loads(json.dumps(model.get_config()))
    assert config["output_layers"] == [["dense", 1, 0], ["concatenate", 0, 0]]
    restored = keras.Model.from_config(config)
    restored.set_weights(model.get_weights())
    data = {"a": np.ones((2, 4)), "b": np.full((2, 3), 0.5)}
    for got, want in zip(restored(data), model(data)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


# --- Sequential ------------------------------------------------------------------------
def test_sequential_with_input_shape_kwarg_matches_seed_001():
    model = keras.Sequential()
    with pytest.warns(UserWarning, match="input_shape"):
        model.add(layers.Dense(32, activation="relu", input_shape=(64,)))
    model.add(layers.Dense(32, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    assert model.count_params() == 3466
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert model.inputs[0].shape == (None, 64) and model.outputs[0].shape == (None, 10)
    assert model(np.ones((2, 64))).shape == (2, 10)


def test_sequential_from_list_with_input_and_pop():
    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(4), layers.Dense(3)],
                             name="stack")
    assert model.name == "stack" and model.built and model.output.shape == (None, 3)
    popped = model.pop()
    assert popped.name == "dense_1" and model.output.shape == (None, 4)
    assert [layer.name for layer in model.layers] == ["dense"]
    model.add(layers.Dense(7))
    assert model.output.shape == (None, 7) and model(np.ones((1, 5))).shape == (1, 7)


def test_sequential_deferred_build():
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not model.built and model.weights == []
    with pytest.raises(ValueError, match="isn't built"):
        model.count_params()
    assert model(np.ones((3, 6))).shape == (3, 2)
    # Built with the first call's shape, batch size included, as Keras 3.
    assert model.built and model.inputs[0].shape == (3, 6)
    assert model.count_params() == 6 * 4 + 4 + 4 * 2 + 2
    other = keras.Sequential([layers.Dense(4)])
    other.build((None, 3))
    assert other.count_params() == 16


def test_sequential_inside_a_functional_model():
    block = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(2)])
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, block(inputs))
    assert model.count_params() == 16 + 10 and model(np.ones((2, 3))).shape == (2, 2)


def test_conversions_between_functional_and_sequential_seed_000():
    functional = mlp_784_64_64_10()
    seq_model = keras.models.Sequential()
    for layer in functional.layers:
        seq_model.add(layer)
    assert seq_model.count_params() == 55050
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        inputs = keras.Input(batch_shape=seq_model.layers[0].input_shape)
    x = inputs
    for layer in seq_model.layers:
        x = layer(x)
    func_model = keras.Model(inputs=inputs, outputs=x, name="func_mnist_model")
    data = np.random.default_rng(0).normal(size=(3, 784)).astype("float32")
    np.testing.assert_allclose(func_model(data).numpy(), functional(data).numpy(), rtol=1e-6)
    np.testing.assert_allclose(seq_model(data).numpy(), functional(data).numpy(), rtol=1e-6)


def test_sequential_config_round_trip():
    model = keras.Sequential([keras.Input((5,)), layers.Dense(3), layers.Dropout(0.2),
                              layers.Dense(1)])
    restored = keras.Sequential.from_config(json.loads(json.dumps(model.get_config())))
    assert [layer.name for layer in restored.layers] == ["dense", "dropout", "dense_1"]
    assert restored.count_params() == model.count_params() == 22


# --- subclassed models -----------------------------------------------------------------
class TwoLayerModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(8, activation="relu")
        self.blocks = [layers.Dense(4), layers.Dense(2)]

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        for block in self.blocks:
            x = block(x)
        return x


def test_subclassed_model_tracks_attribute_and_list_layers():
    model = TwoLayerModel()
    assert model.name == "two_layer_model" and not model.built
    assert model(np.ones((3, 5))).shape == (3, 2)
    assert model.count_params() == (5 * 8 + 8) + (8 * 4 + 4) + (4 * 2 + 2)
    assert model.layers == [model.hidden] + model.blocks
    y = model(keras.Input(shape=(5,)))
    assert y.shape == (None, 2)


def test_subclassed_model_build_and_functional_subclass():
    model = TwoLayerModel()
    model.build((None, 5))
    assert model.built and len(model.weights) == 6

    class Wrapped(keras.Model):
        def describe(self):
            return f"{len(self.layers)} layers"

    x = keras.Input(shape=(2,))
    wrapped = Wrapped(x, layers.Dense(3)(x))
    assert wrapped.describe() == "2 layers" and wrapped(np.ones((1, 2))).shape == (1, 3)


# --- the custom-layer patterns of seed 003 ---------------------------------------------
class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


def test_custom_layer_config_with_custom_objects():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, CustomDense(10)(inputs))
    config = model.get_config()
    new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
    assert new_model.count_params() == 50 and new_model.output.shape == (None, 10)
    new_model.set_weights(model.get_weights())
    data = np.ones((2, 4), dtype="float32")
    np.testing.assert_allclose(new_model(data).numpy(), model(data).numpy(), rtol=1e-6)


def test_custom_rnn_layer_with_python_loop_in_a_functional_model(capsys):
    class CustomRNN(layers.Layer):
        def __init__(self, units=8):
            super().__init__()
            self.units = units
            self.projection_1 = layers.Dense(units=units, activation="tanh")
            self.projection_2 = layers.Dense(units=units, activation="tanh")
            self.classifier = layers.Dense(1)

        def call(self, inputs):
            outputs = []
            state = ops.zeros(shape=(inputs.shape[0], self.units))
            for t in range(inputs.shape[1]):
                state = self.projection_1(inputs[:, t, :]) + self.projection_2(state)
                outputs.append(state)
            features = ops.stack(outputs, axis=1)
            print(features.shape)
            return self.classifier(features)

    inputs = keras.Input(batch_shape=(16, 10, 5))
    model = keras.Model(inputs, CustomRNN()(layers.Dense(4)(inputs)))
    assert capsys.readouterr().out == "(16, 10, 8)\n"  # one trial run: no unknown sizes
    assert model.output.shape == (16, 10, 1)
    assert model.count_params() == 24 + (4 * 8 + 8) + (8 * 8 + 8) + 9
    rnn = CustomRNN()
    assert rnn(ops.zeros((1, 10, 5))).shape == (1, 10, 1)


def test_model_auto_config_for_a_layer_without_get_config():
    class Scale(layers.Layer):
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

    layer = Scale(3.0, name="triple")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "triple"
    assert Scale.from_config(config).factor == 3.0


def test_operations_on_keras_tensors_survive_config_round_trip():
    x = keras.Input((4,))
    model = keras.Model(x, [-(2 * x + 1)[:, :2], x[..., 1:3] ** 2])
    restored = keras.Model.from_config(json.loads(json.dumps(model.get_config())))
    assert [type(op).__name__ for op in restored._operations] == [
        "InputLayer", "Multiply", "Add", "GetItem", "GetItem", "Negative", "Power"]
    data = np.arange(8, dtype="float32").reshape(2, 4)
    for got, want in zip(restored(data), model(data)):
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_symbolic_dispatch_lets_an_op_build_a_node():
    from kerlite.graph.dispatch import symbolic_dispatch

    maximum = symbolic_dispatch(ops.maximum)
    x = keras.Input((3,))
    y = maximum(x, 0.5)
    assert y.shape == (None, 3) and y._keras_history.operation.name == "maximum"
    data = np.array([[0.0, 1.0, -2.0]], dtype="float32")
    np.testing.assert_allclose(keras.Model(x, y)(data).numpy(), [[0.5, 1.0, 0.5]])
    np.testing.assert_allclose(maximum(data, 0.5).numpy(), [[0.5, 1.0, 0.5]])


@pytest.mark.parity
def test_parity_configs_load_both_ways_between_keras_and_kerlite():
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    real = pytest.importorskip("keras")

    def build(k):
        a, b = k.Input((4, 6), name="a"), k.Input((24,), name="b")
        flat = k.layers.Flatten()(k.layers.Permute((2, 1))(a))
        hidden = k.layers.Dense(3, activation="relu", kernel_regularizer="l2")(flat)
        merged = k.layers.add([k.layers.Dropout(0.3)(flat), b])
        joined = k.layers.Activation("tanh")(k.layers.concatenate([merged, b]))
        return k.Model([a, b], [k.layers.Reshape((3, -1))(flat),
                                k.layers.RepeatVector(2)(hidden),
                                k.layers.Dot(axes=1, normalize=True)([merged, b]),
                                k.layers.Identity()(joined),
                                k.layers.Average()([merged, b])])

    theirs = build(real)
    ours = keras.Model.from_config(json.loads(json.dumps(theirs.get_config())))
    ours.set_weights(theirs.get_weights())
    back = real.Model.from_config(json.loads(json.dumps(ours.get_config())))
    back.set_weights(ours.get_weights())
    rng = np.random.default_rng(0)
    data = [rng.random((2, 4, 6)).astype("float32"), rng.random((2, 24)).astype("float32")]
    for mine, reference, round_trip in zip(ours(data), theirs(data), back(data)):
        np.testing.assert_allclose(mine.numpy(), np.asarray(reference), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(round_trip), np.asarray(reference), rtol=1e-5,
                                   atol=1e-6)
    sequential = real.Sequential([real.Input((5,)), real.layers.Dense(3), real.layers.Dense(1)])
    restored = keras.Sequential.from_config(json.loads(json.dumps(sequential.get_config())))
    assert restored.count_params() == 22 and restored.output.shape == (None, 1)


def test_model_inputs_take_the_dtype_and_rank_of_their_input():
    x = keras.Input((1,))
    model = keras.Model(x, layers.Dense(2)(x))
    assert model(np.ones(3)).shape == (3, 2)  # (n,) fits Input(shape=(1,)), as Keras 3
    ints = keras.Input((3,), dtype="int32")
    assert keras.Model(ints, ints + 1)(np.ones((1, 3))).dtype == "int32"
    floats = keras.Input((3,))
    assert keras.Model(floats, -floats)(np.ones((1, 3), dtype="float64")).dtype == "float32"
