"""``keras.ops.linalg``: the linear-algebra ops under that name (``ops.linalg.inv``).

Only names: the decompositions and solvers are written in ``nn_linalg/matrices.py`` (and
``norm`` in ``norms.py``). Looked up on first use (PEP 562), so they are kerlite.ops's
versions, which also accept the symbolic KerasTensors of a functional model.
"""

from kerlite.ops._helpers import ops_under_another_name

_LINALG_NAMES = ("cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "lstsq",
                 "lu_factor", "matrix_rank", "norm", "pinv", "qr", "solve",
                 "solve_triangular", "svd")
__getattr__, __dir__ = ops_under_another_name(__name__, _LINALG_NAMES)
