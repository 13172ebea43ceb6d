"""Normalization: adapt() on arrays and batches, given statistics, invert, and the same
numbers, weights and config as Keras 3."""

import numpy as np
import pytest
from _keras_reference import import_keras

import kerlite as keras
from kerlite import layers
from kerlite.testing import check_grad


def features(rng, *shape):
    return rng.normal(3.0, 2.0, size=shape).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, None, 1, (1, 2)])
@pytest.mark.parametrize("invert", [False, True])
def test_adapt_on_an_array_matches_keras(rng, axis, invert):
    real = import_keras()
    data = features(rng, 20, 4, 3)
    ours = layers.Normalization(axis=axis, invert=invert)
    theirs = real.layers.Normalization(axis=axis, invert=invert)
    ours.adapt(data)
    theirs.adapt(data)
    for mine, keras_weight in zip(ours.weights, theirs.weights):
        assert (mine.name, mine.shape, mine.dtype) == (
            keras_weight.name, tuple(keras_weight.shape), keras_weight.dtype)
        np.testing.assert_allclose(mine.numpy(), np.asarray(keras_weight), rtol=1e-5)
    np.testing.assert_allclose(ours(data[:5]).numpy(), np.asarray(theirs(data[:5])),
                               rtol=1e-5, atol=1e-5)


def test_weights_are_non_trainable_and_the_formula_uses_the_population_variance(rng):
    data = features(rng, 50, 3)
    layer = layers.Normalization()
    layer.adapt(data)
    assert [w.name for w in layer.non_trainable_weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == [] and int(layer.count.numpy()) == 0  # as Keras
    expected = (data - data.mean(0)) / np.sqrt(data.var(0))  # ddof=0
    np.testing.assert_allclose(layer(data).numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.mean.numpy(), data.mean(0, keepdims=True), rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, (1, 2)])
def test_given_mean_and_variance_broadcast_as_keras(rng, axis):
    real = import_keras()
    x = features(rng, 5, 4, 3)
    kwargs = dict(axis=axis, mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 0.25])
    for invert in (False, True):
        ours = layers.Normalization(invert=invert, **kwargs)
        theirs = real.layers.Normalization(invert=invert, **kwargs)
        np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5)
        assert ours.weights == []
    scalar = layers.Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(scalar(x).numpy(), (x - 3) / np.sqrt(2), rtol=1e-6)


def test_zero_variance_divides_by_epsilon_not_zero():
    layer = layers.Normalization(axis=None)
    layer.adapt(np.zeros((4, 2), "float32"))
    out = layer(np.array([[0.0, 1e-6]], "float32")).numpy()
    assert np.isfinite(out).all() and out[0, 0] == 0
    np.testing.assert_allclose(out[0, 1], 1e-6 / keras.backend.epsilon(), rtol=1e-5)


def test_adapt_on_batches_equals_adapt_on_the_whole_array(rng):
    data = features(rng, 30, 4)
    whole = layers.Normalization()
    whole.adapt(data)

    def pairs():
        for start in range(0, 30, 7):
            yield data[start:start + 7], np.zeros(len(data[start:start + 7]))

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return data[index * 10:(index + 1) * 10]

    for source in ([data[:11], data[11:]], pairs(), Batches(), keras.ops.convert_to_tensor(data)):
        layer = layers.Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(layer.adapt_mean.numpy(), whole.adapt_mean.numpy(),
                                   rtol=1e-5)
        np.testing.assert_allclose(layer.adapt_variance.numpy(),
                                   whole.adapt_variance.numpy(), rtol=1e-5)


def test_calling_before_adapt_is_the_identity_as_in_keras(rng):
    x = features(rng, 3, 2)
    np.testing.assert_allclose(layers.Normalization()(x).numpy(), x)


def test_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=1.0)
    with pytest.raises(ValueError, match="rank of `mean`"):
        layers.Normalization(mean=[[1.0]], variance=[[1.0]])
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        layers.Normalization(axis=3).adapt(np.ones((2, 3)))
    layer = layers.Normalization()
    layer.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.ones((4, 5)))
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])
    with pytest.raises(TypeError, match="`.shape`"):
        layers.Normalization().adapt([1.0, 2.0])
    with pytest.raises(TypeError, match="Unsupported data type"):
        layers.Normalization().adapt(3.0)
    with pytest.raises(ValueError, match="nothing to adapt"):
        layers.Normalization(mean=0.0, variance=1.0).adapt(np.ones((2, 2)))
    with pytest.raises(ValueError, match="known shape"):
        layers.Normalization()(keras.Input((None,)))


def test_gradient_flows_through_the_affine_map(rng):
    layer = layers.Normalization(axis=-1, dtype="float64")
    layer.adapt(rng.normal(size=(10, 3)))
    check_grad(lambda x: layer(x), rng.normal(size=(4, 3)))
    inverse = layers.Normalization(axis=None, invert=True, dtype="float64", mean=1.0,
                                   variance=4.0)
    check_grad(lambda x: inverse(x), rng.normal(size=(4, 3)))


@pytest.mark.parity
def test_config_round_trip_and_keys_as_keras():
    real = import_keras()
    for kwargs in (dict(axis=(1, 2), invert=True), dict(mean=[1.0, 2.0], variance=[3.0, 4.0])):
        ours = layers.Normalization(**kwargs).get_config()
        theirs = real.layers.Normalization(**kwargs).get_config()
        assert set(ours) == set(theirs)
        assert {k: ours[k] for k in ("axis", "invert", "mean", "variance")} == {
            k: theirs[k] for k in ("axis", "invert", "mean", "variance")}
        assert layers.Normalization.from_config(ours).get_config() == ours


def test_adapted_model_saves_and_loads(rng, tmp_path):
    data = features(rng, 40, 5)
    norm = layers.Normalization()
    norm.adapt(data)
    inputs = keras.Input((5,))
    model = keras.Model(inputs, layers.Dense(2)(norm(inputs)))
    model.save(tmp_path / "normalized.keras")
    loaded = keras.models.load_model(tmp_path / "normalized.keras")
    np.testing.assert_allclose(loaded.layers[1].adapt_mean.numpy(), data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0),
                               rtol=1e-5, atol=1e-6)
