"""The graduation path: a .keras file written by kerlite opens in Keras 3 (JAX backend)
and predicts the same, and a file written by Keras 3 opens in kerlite."""

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
keras3 = pytest.importorskip("keras")

import kerlite  # noqa: E402

pytestmark = pytest.mark.parity


def dense_bn(lib):
    inputs = lib.Input((6,))
    x = lib.layers.Dense(8, activation="relu")(inputs)
    x = lib.layers.BatchNormalization()(x)
    x = lib.layers.Dropout(0.3)(x)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(x)), (4, 6)


def convnet(lib):
    inputs = lib.Input((10, 10, 2))
    x = lib.layers.Conv2D(4, 3, activation="relu", padding="same")(inputs)
    x = lib.layers.MaxPooling2D(2)(x)
    x = lib.layers.Conv2D(3, 3, strides=2)(x)
    x = lib.layers.GlobalAveragePooling2D()(x)
    return lib.Model(inputs, lib.layers.Dense(2)(x)), (2, 10, 10, 2)


def text_rnn(lib):
    inputs = lib.Input((7,), dtype="int32")
    x = lib.layers.Embedding(20, 5, mask_zero=True)(inputs)
    x = lib.layers.Bidirectional(lib.layers.LSTM(4, return_sequences=True))(x)
    x = lib.layers.GRU(3)(x)
    return lib.Model(inputs, lib.layers.Dense(1, activation="sigmoid")(x)), "tokens"


def merges_nested_multi_io(lib):
    inner_in = lib.Input((4,))
    inner = lib.Model(inner_in, lib.layers.Dense(4, activation="tanh")(inner_in),
                      name="tower")
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    ta, tb = inner(a), inner(b)
    merged = lib.layers.concatenate([lib.layers.add([ta, tb]),
                                     lib.layers.multiply([ta, tb])])
    out1 = lib.layers.Dense(2, name="first")(merged)
    out2 = lib.layers.Dense(1, name="second")(lib.layers.average([ta, tb]))
    return lib.Model([a, b], [out1, out2]), [(3, 4), (3, 4)]


def sequential_model(lib):
    model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(4, activation="elu"),
                            lib.layers.LayerNormalization(), lib.layers.Dense(2)])
    return model, (3, 5)


BUILDERS = [dense_bn, convnet, text_rnn, merges_nested_multi_io, sequential_model]


def sample_inputs(spec, seed=0):
    rng = np.random.default_rng(seed)
    if spec == "tokens":
        tokens = rng.integers(1, 20, size=(3, 7)).astype("int32")
        tokens[0, 4:] = 0  # padding, so the mask matters
        return tokens
    if isinstance(spec, list):
        return [rng.normal(size=shape).astype("float32") for shape in spec]
    return rng.normal(size=spec).astype("float32")


def as_list(outputs):
    return [np.asarray(o) for o in outputs] if isinstance(outputs, list) else [
        np.asarray(outputs)]


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_kerlite_file_opens_in_keras(builder, tmp_path):
    kerlite.utils.set_random_seed(3)
    model, spec = builder(kerlite)
    model.compile(optimizer="adam", loss="mse")
    path = str(tmp_path / "from_kerlite.keras")
    model.save(path)
    x = sample_inputs(spec)
    reloaded = keras3.saving.load_model(path)
    for ours, theirs in zip(as_list(model.predict(x, verbose=0)),
                            as_list(reloaded.predict(x, verbose=0))):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_keras_file_opens_in_kerlite(builder, tmp_path):
    keras3.utils.set_random_seed(4)
    model, spec = builder(keras3)
    path = str(tmp_path / "from_keras.keras")
    model.save(path)
    x = sample_inputs(spec, seed=1)
    reloaded = kerlite.models.load_model(path)
    assert reloaded.count_params() == model.count_params()
    for theirs, ours in zip(as_list(model.predict(x, verbose=0)),
                            as_list(reloaded.predict(x, verbose=0))):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)


def test_trained_keras_model_resumes_in_kerlite_with_its_optimizer(tmp_path):
    keras3.utils.set_random_seed(5)
    model, spec = dense_bn(keras3)
    model.compile(optimizer=keras3.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x = sample_inputs((16, 6))
    y = np.zeros((16, 3), "float32")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / "trained.keras")
    model.save(path)
    reloaded = kerlite.models.load_model(path)
    assert type(reloaded.optimizer).__name__ == "Adam"
    assert int(reloaded.optimizer.iterations.numpy()) == 2
    assert reloaded.optimizer.learning_rate == pytest.approx(0.01)
    reloaded.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert int(reloaded.optimizer.iterations.numpy()) == 4


def test_kerlite_custom_layer_opens_in_keras_with_custom_objects(tmp_path):
    class Scale(kerlite.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    class KerasScale(keras3.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

    inputs = kerlite.Input((3,))
    model = kerlite.Model(inputs, Scale(3.0)(inputs))
    path = str(tmp_path / "custom.keras")
    model.save(path)
    reloaded = keras3.saving.load_model(path, custom_objects={"Scale": KerasScale})
    np.testing.assert_allclose(reloaded.predict(np.ones((1, 3), "float32"), verbose=0), 3.0)
