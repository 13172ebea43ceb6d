"""matmul, dot, tensordot, einsum, outer: values against NumPy, gradients against
finite differences, including batch broadcasting and vectors."""

import numpy as np
import pytest

from kerlite import ops
from kerlite.testing import check_grad

MATMUL_SHAPES = [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)),
                 ((1, 3, 4), (2, 4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (4,)), ((4,), (2, 4, 3))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul(shapes, rng, xp):
    a, b = (rng.standard_normal(s) for s in shapes)
    out = ops.matmul(xp.asarray(a), xp.asarray(b))
    np.testing.assert_allclose(ops.convert_to_numpy(out), a @ b, rtol=1e-10)
    check_grad(ops.matmul, xp.asarray(a), xp.asarray(b))


DOT_SHAPES = [((3, 4), (4, 2)), ((4,), (4,)), ((3,), ()), ((2, 3, 4), (4, 2)),
              ((2, 3, 4), (5, 4, 2))]


@pytest.mark.parametrize("shapes", DOT_SHAPES, ids=str)
def test_dot(shapes, rng):
    a, b = (rng.standard_normal(s) for s in shapes)
    np.testing.assert_allclose(ops.dot(a, b).numpy(), np.dot(a, b), rtol=1e-10)
    check_grad(ops.dot, a, b)


TENSORDOT = [(1, (2, 5)), (2, (4, 2, 3)), (([0], [1]), (2, 3)), (([1, 0], [0, 2]), (4, 5, 3))]


@pytest.mark.parametrize("axes,shape_b", TENSORDOT, ids=str)
def test_tensordot(axes, shape_b, rng):
    a = rng.standard_normal((3, 4, 2))
    b = rng.standard_normal(shape_b)
    want = np.tensordot(a, b, axes=axes)
    np.testing.assert_allclose(ops.tensordot(a, b, axes=axes).numpy(), want, rtol=1e-10)
    check_grad(lambda x, y: ops.tensordot(x, y, axes=axes), a, b)


EINSUM = [
    ("ij,jk->ik", [(3, 4), (4, 2)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij->i", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("...ij,jk->...ik", [(2, 5, 3, 4), (4, 2)]),
    ("bqd,bkd->bqk", [(2, 3, 4), (2, 5, 4)]),
    ("ij,jk", [(3, 4), (4, 2)]),
    ("abc->cab", [(2, 3, 4)]),
]


@pytest.mark.parametrize("subscripts,shapes", EINSUM, ids=[e[0] for e in EINSUM])
def test_einsum(subscripts, shapes, rng, xp):
    arrays = [rng.standard_normal(s) for s in shapes]
    out = ops.einsum(subscripts, *[xp.asarray(a) for a in arrays])
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.einsum(subscripts, *arrays),
                               rtol=1e-10, atol=1e-12)
    check_grad(lambda *t: ops.einsum(subscripts, *t), *[xp.asarray(a) for a in arrays])


def test_einsum_reused_operand(rng):
    a = rng.standard_normal((3, 4))
    check_grad(lambda t: ops.einsum("ij,kj->ik", t, t), a)


def test_outer(rng):
    a, b = rng.standard_normal(3), rng.standard_normal((2, 2))
    np.testing.assert_allclose(ops.outer(a, b).numpy(), np.outer(a, b))
    check_grad(ops.outer, a, b)


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        ops.matmul(np.ones((2, 3)), np.ones((4, 5)))
