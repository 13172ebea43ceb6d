"""The matrix products of one wide-MLP training step: NumPy's BLAS next to XLA's.

A training step of the wide MLP (784-1024-1024-10, batch 256) is mostly five float32
matrix products: three forward (x @ W) and, backward, the weight gradients x^T @ dz
and the input gradients dz @ W^T (none for the first layer). Whatever a library does
around them, its step cannot be shorter than these products on its BLAS. This script
times them alone, in fresh processes, alternating:

    numpy   NumPy's matmul (OpenBLAS, with the environment's OPENBLAS_* settings)
    xla     the same products jit-compiled by JAX on the CPU (what Keras 3 runs)

    python benchmarks/bench_gemm.py              # 3 repeats, medians
"""

import argparse
import json
import statistics

import side_by_side

BATCH = 256
# (rows, inner, columns) of each product in one step of the wide MLP.
PRODUCTS = {
    "forward 1: x @ W1": (BATCH, 784, 1024),
    "forward 2: h1 @ W2": (BATCH, 1024, 1024),
    "forward 3: h2 @ W3": (BATCH, 1024, 10),
    "backward: h2^T @ dz3": (1024, BATCH, 10),
    "backward: dz3 @ W3^T": (BATCH, 10, 1024),
    "backward: h1^T @ dz2": (1024, BATCH, 1024),
    "backward: dz2 @ W2^T": (BATCH, 1024, 1024),
    "backward: x^T @ dz1": (784, BATCH, 1024),
}
SIDES = ("numpy", "xla")


def product_timer(side, a, b):
    """A function that runs ``a @ b`` once on ``side`` and waits for the result."""
    if side == "numpy":
        import numpy

        out = numpy.empty((a.shape[0], b.shape[1]), numpy.float32)
        return lambda: numpy.matmul(a, b, out=out)
    import os

    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax

    left, right = jax.device_put(a), jax.device_put(b)
    product = jax.jit(lambda p, q: p @ q)
    return lambda: product(left, right).block_until_ready()


def worker(side):
    import numpy

    generator = numpy.random.default_rng(0)
    result = {}
    for name, (rows, inner, columns) in PRODUCTS.items():
        a = generator.standard_normal((rows, inner), dtype=numpy.float32)
        b = generator.standard_normal((inner, columns), dtype=numpy.float32)
        result[name] = side_by_side.median_ms(product_timer(side, a, b), calls=30)
    result["step total"] = sum(result.values())
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", metavar="SIDE")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    runs = side_by_side.alternating_runs(__file__, SIDES, None, args.repeats)
    print(f"\nms per product ({args.repeats} repeats, medians) and GFLOP/s")
    print(f"  {'product':24s} {'numpy':>14s} {'xla':>14s}")
    for name in list(PRODUCTS) + ["step total"]:
        cells = []
        for side in SIDES:
            ms = statistics.median(r[name] for r in runs[side])
            shape = PRODUCTS.get(name)
            flops = 2 * shape[0] * shape[1] * shape[2] / ms / 1e6 if shape else None
            cells.append(f"{ms:6.2f}" + (f" ({flops:4.0f})" if flops else "       "))
        print(f"  {name:24s} {cells[0]:>14s} {cells[1]:>14s}")


if __name__ == "__main__":
    main()
