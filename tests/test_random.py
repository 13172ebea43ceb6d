"""kerlite.random as keras.random: shapes, dtypes, distributions, and reproducibility."""

import numpy as np
import pytest

import kerlite
from kerlite import random
from kerlite.random import SeedGenerator
from kerlite.testing import check_grad

DRAWS = {
    "normal": lambda seed: random.normal((200, 50), mean=1.0, stddev=2.0, seed=seed),
    "uniform": lambda seed: random.uniform((200, 50), minval=-1.0, maxval=3.0, seed=seed),
    "truncated_normal": lambda seed: random.truncated_normal((200, 50), stddev=0.5, seed=seed),
    "randint": lambda seed: random.randint((200, 50), 0, 10, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(100), seed=seed),
    "dropout": lambda seed: random.dropout(np.ones((200, 50), "float32"), 0.3, seed=seed),
    "categorical": lambda seed: random.categorical(np.zeros((4, 3)), 20, seed=seed),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_int_seed_gives_the_same_numbers_every_call(name):
    a, b = DRAWS[name](42).numpy(), DRAWS[name](42).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, DRAWS[name](43).numpy())


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_set_random_seed_makes_unseeded_calls_reproducible(name):
    kerlite.utils.set_random_seed(7)
    first = [DRAWS[name](None).numpy() for _ in range(2)]
    kerlite.utils.set_random_seed(7)
    second = [DRAWS[name](None).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])  # the stream moves on


def test_seed_generator_streams():
    a, b = SeedGenerator(3), SeedGenerator(3)
    a1, a2 = random.normal((5,), seed=a).numpy(), random.normal((5,), seed=a).numpy()
    assert not np.array_equal(a1, a2)
    np.testing.assert_array_equal(a1, random.normal((5,), seed=b).numpy())
    assert SeedGenerator.from_config(a.get_config()).initial_seed == 3
    with pytest.raises(ValueError, match="int or None"):
        SeedGenerator("three")


def test_seed_generator_without_seed_follows_set_random_seed():
    kerlite.utils.set_random_seed(11)
    first = random.uniform((4,), seed=SeedGenerator()).numpy()
    kerlite.utils.set_random_seed(11)
    np.testing.assert_array_equal(first, random.uniform((4,), seed=SeedGenerator()).numpy())


def test_bad_seed_type():
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed="abc")


def test_distribution_statistics_dtypes_and_ranges():
    n = random.normal((200, 50), mean=1.0, stddev=2.0, seed=0).numpy()
    assert n.dtype == np.float32 and n.shape == (200, 50)
    assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 2.0) < 0.1
    u = random.uniform((1000,), minval=-1.0, maxval=3.0, seed=0).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.15
    t = random.truncated_normal((10_000,), stddev=0.5, seed=0).numpy()
    assert np.abs(t).max() <= 1.0 and t.dtype == np.float32
    r = random.randint((1000,), 2, 5, seed=0).numpy()
    assert r.dtype == np.int32 and set(np.unique(r)) == {2, 3, 4}
    assert random.normal((3,), dtype="float64", seed=0).dtype == "float64"
    assert random.uniform(4, seed=0).shape == (4,)


def test_shuffle_is_a_permutation_along_the_axis():
    x = np.arange(12).reshape(3, 4)
    out = random.shuffle(x, axis=1, seed=0).numpy()
    order = out[0]  # whole columns move together: one permutation for every row
    assert sorted(order) == [0, 1, 2, 3] and list(order) != [0, 1, 2, 3]
    np.testing.assert_array_equal(out, x[:, order])


def test_categorical_follows_the_probabilities():
    logits = np.log(np.array([[0.9, 0.1, 1e-9], [1e-9, 1e-9, 1.0]]))
    samples = random.categorical(logits, 2000, seed=0).numpy()
    assert samples.shape == (2, 2000) and samples.dtype == np.int32
    assert abs((samples[0] == 0).mean() - 0.9) < 0.03
    assert (samples[1] == 2).all()
    with pytest.raises(ValueError, match="batch_size, num_classes"):
        random.categorical(np.zeros(3), 2)


def test_dropout_keeps_the_expected_value_and_has_a_gradient():
    x = np.ones((400, 100), "float32")
    out = random.dropout(x, 0.25, seed=0).numpy()
    assert out.dtype == np.float32
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.75)}
    assert abs(out.mean() - 1.0) < 0.02
    check_grad(lambda t: random.dropout(t, 0.5, seed=3), np.arange(6.0).reshape(2, 3))
    shared = random.dropout(np.ones((4, 5), "float32"), 0.5, noise_shape=(1, 5), seed=0).numpy()
    assert (shared == shared[:1]).all()  # one mask for every row
    with pytest.raises(ValueError, match="rate"):
        random.dropout(x, 1.0)
