"""The offline datasets: embedded digits (with their licence) and the seeded generators."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kerlite.datasets as datasets
from kerlite.datasets import digits, generators


# --- digits ------------------------------------------------------------------------------


def test_digits_original_size_shapes_dtypes_and_values():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert x_train.max() == 16 and x_train.min() == 0
    counts = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_size_28_is_mnist_shaped_and_centred():
    (x_train, y_train), (x_test, y_test) = digits.load_data(size=28)
    assert x_train.shape == (1437, 28, 28) and x_test.shape == (360, 28, 28)
    assert x_train.dtype == np.uint8 and x_train.max() == 255
    border = np.concatenate([x_train[:, :4].ravel(), x_train[:, -4:].ravel(),
                             x_train[:, :, :4].ravel(), x_train[:, :, -4:].ravel()])
    assert border.max() == 0  # the digit sits in the central 20x20 box, as in MNIST
    (_, y_train_8), _ = digits.load_data(size=8)
    np.testing.assert_array_equal(y_train, y_train_8)  # same seed, same order


def test_digits_upsampling_keeps_the_picture():
    full = np.full((1, 8, 8), 16, dtype=np.uint8)
    big = digits.upsample(full, 28)
    assert (big[0, 4:24, 4:24] == 255).all() and big.sum() == 255 * 400
    original, _ = digits.load_original()
    enlarged = digits.upsample(original[:50], 28)[:, 4:24, 4:24].astype(np.float32)
    shrunk = enlarged.reshape(50, 4, 5, 4, 5).mean(axis=(2, 4))  # back to 4x4 blocks
    reference = original[:50].astype(np.float32).reshape(50, 4, 2, 4, 2).mean(axis=(2, 4))
    correlation = np.corrcoef(shrunk.ravel(), reference.ravel())[0, 1]
    assert correlation > 0.95


def test_digits_seed_and_split():
    (a, _), _ = digits.load_data(seed=1)
    (b, _), _ = digits.load_data(seed=1)
    (c, _), _ = digits.load_data(seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    (x_train, _), (x_test, _) = digits.load_data(test_split=0.5)
    assert (len(x_train), len(x_test)) == (898, 899)
    with pytest.raises(ValueError, match="size"):
        digits.load_data(size=4)
    with pytest.raises(ValueError, match="test_split"):
        digits.load_data(test_split=1.5)


def test_digits_ship_with_licence_and_source():
    assert os.path.exists(digits.LICENSE_FILE)
    with open(digits.LICENSE_FILE, encoding="utf8") as file:
        text = file.read()
    for fact in ("CC BY 4.0", "10.24432/C50P49", "Alpaydin", "scikit-learn", "BSD 3-Clause",
                 "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"):
        assert fact in text
    data_folder = os.path.dirname(digits.DATA_FILE)
    total = sum(os.path.getsize(os.path.join(data_folder, n)) for n in os.listdir(data_folder))
    assert total < 1_000_000


def test_package_data_patterns_ship_the_data_files():
    tomllib = pytest.importorskip("tomllib")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "pyproject.toml"), "rb") as file:
        patterns = tomllib.load(file)["tool"]["setuptools"]["package-data"]["kerlite"]
    assert "**/*.npz" in patterns and "**/*.txt" in patterns


def test_importing_datasets_does_not_load_network_modules():
    code = ("import sys, kerlite.datasets; "
            "print([m for m in ('urllib.request', 'http.client', 'tarfile') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- generators --------------------------------------------------------------------------

CLASSIFICATION_GENERATORS = [
    (generators.make_spirals, {"n_samples": 301, "n_classes": 3}, 3),
    (generators.make_moons, {"n_samples": 200}, 2),
    (generators.make_xor, {"n_samples": 400}, 2),
    (generators.make_blobs, {"n_samples": 300, "n_classes": 4, "n_features": 5}, 4),
]


@pytest.mark.parametrize("make, kwargs, n_classes", CLASSIFICATION_GENERATORS)
def test_point_generators_shapes_dtypes_balance_and_seeds(make, kwargs, n_classes):
    x, y = make(seed=0, **kwargs)
    n = kwargs["n_samples"]
    assert x.dtype == np.float32 and y.dtype == np.int32
    assert x.shape == (n, kwargs.get("n_features", 2)) and y.shape == (n,)
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes and counts.min() >= 0.35 * n / n_classes
    x_again, y_again = make(seed=0, **kwargs)
    np.testing.assert_array_equal(x, x_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(x, make(seed=1, **kwargs)[0])


def test_spirals_and_xor_are_not_linearly_separable_but_are_learnable():
    x, y = generators.make_xor(n_samples=400, noise=0.0, seed=3)
    assert ((x[:, 0] * x[:, 1] < 0) == y.astype(bool)).all()
    x, y = generators.make_spirals(n_samples=200, noise=0.0, seed=3)
    design = np.c_[x, np.ones(len(x))]
    weights = np.linalg.lstsq(design, y * 2.0 - 1.0, rcond=None)[0]
    assert ((design @ weights > 0) == y.astype(bool)).mean() < 0.8  # a line is not enough


def test_regression_generator():
    x, y = generators.make_regression(n_samples=100, n_features=3, kind="linear", noise=0.01, seed=0)
    assert x.shape == (100, 3) and y.shape == (100, 1) and y.dtype == np.float32
    design = np.c_[x, np.ones(len(x))]
    residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    assert residual.std() < 0.02
    x, y = generators.make_regression(n_samples=50, seed=0)
    assert x.shape == (50, 1) and np.abs(y).max() < 1.6
    with pytest.raises(ValueError, match="kind"):
        generators.make_regression(kind="cubic")


def test_shapes_images():
    images, labels = generators.make_shapes_images(n_samples=90, size=28, seed=0)
    assert images.shape == (90, 28, 28, 1) and images.dtype == np.float32
    assert labels.dtype == np.int32 and np.bincount(labels).tolist() == [30, 30, 30]
    assert images.min() >= 0 and images.max() <= 1
    assert (images.reshape(90, -1) > 0.5).sum(axis=1).min() > 20  # every image shows a shape
    again, _ = generators.make_shapes_images(n_samples=90, seed=0)
    np.testing.assert_array_equal(images, again)
    small, _ = generators.make_shapes_images(n_samples=4, size=16, seed=0)
    assert small.shape == (4, 16, 16, 1)


def test_sequence_tasks():
    x, y = generators.make_sequence_task(50, length=12, task="sum_sign", seed=0)
    assert x.shape == (50, 12, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(y, (x.sum(axis=(1, 2)) > 0).astype(np.int32))
    x, y = generators.make_sequence_task(50, length=12, task="parity", seed=0)
    assert x.dtype == np.int32 and set(np.unique(x)) <= {0, 1}
    np.testing.assert_array_equal(y, x.sum(axis=1) % 2)
    x, y = generators.make_sequence_task(50, length=7, task="reverse", vocab_size=9, seed=0)
    np.testing.assert_array_equal(y, x[:, ::-1])
    assert x.min() >= 1 and x.max() <= 8
    x, y = generators.make_sequence_task(50, task="first_token", seed=0)
    np.testing.assert_array_equal(y, x[:, 0])
    with pytest.raises(ValueError, match="Unknown task"):
        generators.make_sequence_task(task="sorting")


def test_tickets_match_the_seed_router_and_carry_signal():
    inputs, targets = generators.make_tickets(n_samples=400, seed=0)
    assert inputs["title"].shape == (400, 10) and inputs["body"].shape == (400, 100)
    assert inputs["title"].dtype == np.int32 and inputs["title"].max() < 10000
    assert inputs["title"].min() >= 1
    assert inputs["tags"].shape == (400, 12) and set(np.unique(inputs["tags"])) <= {0.0, 1.0}
    assert targets["priority"].shape == (400, 1) and targets["priority"].dtype == np.float32
    assert 0 <= targets["priority"].min() and targets["priority"].max() <= 1
    department = targets["department"]
    assert department.shape == (400, 4) and (department.sum(axis=1) == 1).all()
    assert department.sum(axis=0).tolist() == [100, 100, 100, 100]
    # The department's keywords (ids 20 + 20*d ... 39 + 20*d) give it away in the body.
    body = inputs["body"]
    keyword_counts = np.stack([((body >= 20 + 20 * d) & (body < 40 + 20 * d)).sum(axis=1)
                               for d in range(4)], axis=1)
    assert (keyword_counts.argmax(axis=1) == department.argmax(axis=1)).mean() > 0.9
    again, _ = generators.make_tickets(n_samples=400, seed=0)
    np.testing.assert_array_equal(inputs["body"], again["body"])


def test_sentiment_sequences_are_padded_and_learnable():
    x, y = generators.make_sentiment(n_samples=300, length=40, seed=0)
    assert x.shape == (300, 40) and x.dtype == np.int32 and y.dtype == np.int32
    assert np.bincount(y).tolist() == [150, 150]
    assert x.max() < 512 and (x[:, -1] != 0).all()  # padding goes in front
    lengths = (x != 0).sum(axis=1)
    assert lengths.min() >= 20 and lengths.max() <= 40 and lengths.std() > 0
    positive = ((x >= 1) & (x <= 20)).sum(axis=1)
    negative = ((x >= 21) & (x <= 40)).sum(axis=1)
    np.testing.assert_array_equal((positive > negative).astype(np.int32), y)


def test_generators_are_exported_from_the_package():
    for name in generators.__all__:
        assert getattr(datasets, name) is getattr(generators, name)
