"""Shape, indexing, joining and sorting ops: values against NumPy, gradients against
finite differences (repeated indices must add up)."""

import numpy as np
import pytest

import kerlite
from kerlite import ops
from kerlite.testing import check_grad

X = np.arange(24, dtype="float64").reshape(2, 3, 4) / 7 - 1.3

def _updated(x):
    out = x.copy()
    out[:1, 1:3, 1:3] = x[:1, :2, :2] ** 2
    return out


# name -> (kerlite call, NumPy reference) on X
CASES = {
    "reshape": (lambda o, x: o.reshape(x, (4, -1)), lambda x: x.reshape(4, -1)),
    "reshape_none": (lambda o, x: o.reshape(x, (None, 12)), lambda x: x.reshape(-1, 12)),
    "ravel": (lambda o, x: o.ravel(x), np.ravel),
    "transpose": (lambda o, x: o.transpose(x), np.transpose),
    "transpose_axes": (lambda o, x: o.transpose(x, (1, 0, 2)),
                       lambda x: np.transpose(x, (1, 0, 2))),
    "swapaxes": (lambda o, x: o.swapaxes(x, 0, 2), lambda x: np.swapaxes(x, 0, 2)),
    "moveaxis": (lambda o, x: o.moveaxis(x, 0, -1), lambda x: np.moveaxis(x, 0, -1)),
    "moveaxis_many": (lambda o, x: o.moveaxis(x, [0, 1], [2, 0]),
                      lambda x: np.moveaxis(x, [0, 1], [2, 0])),
    "expand_dims": (lambda o, x: o.expand_dims(x, 1), lambda x: np.expand_dims(x, 1)),
    "squeeze": (lambda o, x: o.squeeze(x[:, :1], axis=1), lambda x: x[:, 0]),
    "broadcast_to": (lambda o, x: o.broadcast_to(x[:, :1], (5, 2, 3, 4)),
                     lambda x: np.broadcast_to(x[:, :1], (5, 2, 3, 4))),
    "flip": (lambda o, x: o.flip(x, axis=1), lambda x: np.flip(x, axis=1)),
    "flip_all": (lambda o, x: o.flip(x), np.flip),
    "getitem_basic": (lambda o, x: x[1, ::2, None, 1:], lambda x: x[1, ::2, None, 1:]),
    "getitem_ellipsis": (lambda o, x: x[..., -1], lambda x: x[..., -1]),
    "getitem_fancy_repeats": (lambda o, x: x[:, [0, 2, 0]], lambda x: x[:, [0, 2, 0]]),
    "getitem_mask": (lambda o, x: x[x > 0], lambda x: x[x > 0]),
    "take": (lambda o, x: o.take(x, np.array([[3, 0], [3, 3]]), axis=2),
             lambda x: np.take(x, [[3, 0], [3, 3]], axis=2)),
    "take_flat": (lambda o, x: o.take(x, [5, 5, 23]), lambda x: np.take(x, [5, 5, 23])),
    "take_negative": (lambda o, x: o.take(x, [-1, 0], axis=1),
                      lambda x: np.take(x, [-1, 0], axis=1)),
    "take_along_axis": (
        lambda o, x: o.take_along_axis(x, np.array([[[1], [0], [1]]] * 2), axis=2),
        lambda x: np.take_along_axis(x, np.array([[[1], [0], [1]]] * 2), axis=2)),
    "concatenate": (lambda o, x: o.concatenate([x, x[:, :1] * 2], axis=1),
                    lambda x: np.concatenate([x, x[:, :1] * 2], axis=1)),
    "stack": (lambda o, x: o.stack([x[0], x[1] * 3], axis=1),
              lambda x: np.stack([x[0], x[1] * 3], axis=1)),
    "tile": (lambda o, x: o.tile(x, (2, 1, 3)), lambda x: np.tile(x, (2, 1, 3))),
    "tile_more_axes": (lambda o, x: o.tile(x[0], (2, 1, 2)), lambda x: np.tile(x[0], (2, 1, 2))),
    "repeat": (lambda o, x: o.repeat(x, 2, axis=1), lambda x: np.repeat(x, 2, axis=1)),
    "repeat_counts": (lambda o, x: o.repeat(x, [1, 0, 3], axis=1),
                      lambda x: np.repeat(x, [1, 0, 3], axis=1)),
    "repeat_flat": (lambda o, x: o.repeat(x, 2), lambda x: np.repeat(x, 2)),
    "pad": (lambda o, x: o.pad(x, ((0, 0), (1, 2), (0, 1))),
            lambda x: np.pad(x, ((0, 0), (1, 2), (0, 1)))),
    "pad_value": (lambda o, x: o.pad(x, 1, constant_values=0.5),
                  lambda x: np.pad(x, 1, constant_values=0.5)),
    "pad_reflect": (lambda o, x: o.pad(x, ((0, 0), (2, 1), (1, 2)), mode="reflect"),
                    lambda x: np.pad(x, ((0, 0), (2, 1), (1, 2)), mode="reflect")),
    "pad_edge": (lambda o, x: o.pad(x, (1, 2), mode="edge"),
                 lambda x: np.pad(x, (1, 2), mode="edge")),
    "pad_symmetric": (lambda o, x: o.pad(x, ((1, 1), (1, 1), (2, 2)), mode="symmetric"),
                      lambda x: np.pad(x, ((1, 1), (1, 1), (2, 2)), mode="symmetric")),
    "where": (lambda o, x: o.where(x > 0, x, x * x), lambda x: np.where(x > 0, x, x * x)),
    "where_broadcast": (lambda o, x: o.where(x[0] > 0, x[1, :, :1], 2.0),
                        lambda x: np.where(x[0] > 0, x[1, :, :1], 2.0)),
    "slice": (lambda o, x: o.slice(x, (1, 0, 2), (1, 2, 2)), lambda x: x[1:2, 0:2, 2:4]),
    "slice_update": (lambda o, x: o.slice_update(x, (0, 1, 1), x[:1, :2, :2] ** 2),
                     lambda x: _updated(x)),
    "tril": (lambda o, x: o.tril(x), lambda x: np.tril(x)),
    "triu": (lambda o, x: o.triu(x, k=1), lambda x: np.triu(x, k=1)),
    "tril_negative_k": (lambda o, x: o.tril(x[0], k=-1), lambda x: np.tril(x[0], k=-1)),
    "sort": (lambda o, x: o.sort(-x * x, axis=1), lambda x: np.sort(-x * x, axis=1)),
    "sort_last": (lambda o, x: o.sort(o.cos(7 * x)), lambda x: np.sort(np.cos(7 * x))),
    "top_k_values": (lambda o, x: o.top_k(o.cos(7 * x), 2)[0],
                     lambda x: -np.sort(-np.cos(7 * x), axis=-1)[..., :2]),
}


def _as_list_result(value):
    return value if isinstance(value, (list, tuple)) else [value]


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_matches_numpy(name, xp):
    call, reference = CASES[name]
    out = call(ops, kerlite.ops.convert_to_tensor(xp.asarray(X)))
    np.testing.assert_allclose(ops.convert_to_numpy(out), reference(X), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient(name, xp):
    call, _ = CASES[name]
    check_grad(lambda t: call(ops, t), xp.asarray(X))


def test_split_and_unstack(xp):
    pieces = ops.split(xp.asarray(X), 2, axis=2)
    assert [p.shape for p in pieces] == [(2, 3, 2), (2, 3, 2)]
    pieces = ops.split(xp.asarray(X), [1, 3], axis=-1)
    assert [p.shape for p in pieces] == [(2, 3, 1), (2, 3, 2), (2, 3, 1)]
    np.testing.assert_array_equal(ops.convert_to_numpy(pieces[1]), X[..., 1:3])
    check_grad(lambda t: ops.split(t, [1, 3], axis=-1), xp.asarray(X))
    rows = ops.unstack(xp.asarray(X), axis=1)
    assert len(rows) == 3 and rows[0].shape == (2, 4)
    check_grad(lambda t: [r * (i + 1) for i, r in enumerate(ops.unstack(t, axis=1))],
               xp.asarray(X))
    with pytest.raises(ValueError, match="equal sections"):
        ops.split(X, 3, axis=2)


def test_sort_argsort_argmax_argmin():
    x = np.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
    np.testing.assert_array_equal(ops.argsort(x).numpy(), np.argsort(x))
    np.testing.assert_array_equal(ops.sort(x, axis=0).numpy(), np.sort(x, axis=0))
    for fn, reference in ((ops.argmax, np.argmax), (ops.argmin, np.argmin)):
        assert fn(x).dtype == "int32"
        assert int(fn(x).numpy()) == reference(x)
        np.testing.assert_array_equal(fn(x, axis=1).numpy(), reference(x, axis=1))
        assert fn(x, axis=1, keepdims=True).shape == (2, 1)
    values, indices = ops.top_k(x, 2)
    np.testing.assert_array_equal(values.numpy(), [[3.0, 2.0], [4.0, 0.5]])
    np.testing.assert_array_equal(indices.numpy(), [[0, 2], [1, 0]])


def test_one_hot_like_keras():
    out = ops.one_hot(np.array([0, 2, -1, 3]), 3)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    assert ops.one_hot(np.array([[1, 0]]), 4, axis=0).shape == (4, 1, 2)


def test_where_with_condition_only_gives_indices():
    rows, cols = ops.where(np.array([[0, 1], [1, 0]]))
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(cols.numpy(), [1, 0])


def test_shape_errors_are_clear():
    with pytest.raises(ValueError, match="Cannot reshape"):
        ops.reshape(np.ones((2, 3)), (4, 2))
    with pytest.raises(ValueError, match="Cannot squeeze axis 1"):
        ops.squeeze(np.ones((2, 3)), axis=1)
    with pytest.raises(ValueError, match="concatenate"):
        ops.concatenate([np.ones((2, 3)), np.ones((3, 2))], axis=0)
    with pytest.raises(ValueError, match="mode"):
        ops.pad(np.ones((2, 3)), 1, mode="maximum")
