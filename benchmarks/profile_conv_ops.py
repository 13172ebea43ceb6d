"""Where a convnet's step goes, one operation at a time: kerlite next to PyTorch and XLA.

For every distinct operation of the two convnets in ``bench_conv.py`` (the MNIST convnet
and the toy ResNet, batch 64) this times, at the benchmark's own shapes:

- kerlite's op forward and backward (the fused conv+bias+relu op the Conv2D layer calls,
  max pooling, global average pooling, add, Dense, BatchNormalization, the Adam update);
- the same operation in PyTorch (``torch.nn.functional``, NCHW as oneDNN prefers it,
  forward and ``autograd.grad`` backward, the same number of threads as NumPy's BLAS);
- forward only, the same operation ``jax.jit``-compiled by XLA (NHWC).

kerlite runs with glibc's freed big buffers kept in the process, as ``fit`` and
``predict`` set it (``kerlite/perf/host_allocator.py``); without it every big array is
mapped afresh and page-faulted, which doubles some backward times here.
Backward is timed alone: kerlite's op is recorded once and its backward rule is called
with a fixed output gradient; PyTorch's ``autograd.grad`` runs with ``retain_graph``.
The first convolution's input needs no gradient in training (it is the data), so none
is computed on any side. Medians of ``--repeats`` rounds, each the mean of enough calls
to last about ``--round-ms``. The "share" columns say how much of kerlite's training step
(forward + backward of every op, as often as the model uses it, plus the update) and of
its predict step (forwards only) each operation takes.

``--parts`` also splits kerlite's convolution into its pieces (padding, im2col copies,
GEMM, bias+relu; backward: relu mask, kernel-gradient GEMM, the input gradient's GEMM per
kernel offset and its strided additions, i.e. col2im).

    python benchmarks/profile_conv_ops.py                 # both models, the table
    python benchmarks/profile_conv_ops.py --model resnet --parts
    python benchmarks/profile_conv_ops.py --no-jax --no-torch --parts   # kerlite alone
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BATCH = 64

# name, kind, input shape (NHWC, no batch), parameters, times used per step in that model
MNIST_OPS = [
    ("conv 3x3 1->32 on 28x28 (first)", "conv", (28, 28, 1),
     dict(filters=32, padding="valid", first=True), 1),
    ("maxpool 2x2 on 26x26x32", "maxpool", (26, 26, 32), dict(pool=2), 1),
    ("conv 3x3 32->64 on 13x13", "conv", (13, 13, 32), dict(filters=64, padding="valid"), 1),
    ("maxpool 2x2 on 11x11x64", "maxpool", (11, 11, 64), dict(pool=2), 1),
    ("dense 1600->10", "dense", (1600,), dict(units=10), 1),
    ("adam update (34,826 weights, 6 vars)", "adam", None, dict(model="mnist"), 1),
]
RESNET_OPS = [
    ("conv 3x3 3->32 on 32x32 (first)", "conv", (32, 32, 3),
     dict(filters=32, padding="valid", first=True), 1),
    ("conv 3x3 32->64 on 30x30", "conv", (30, 30, 32), dict(filters=64, padding="valid"), 1),
    ("maxpool 3x3 on 28x28x64", "maxpool", (28, 28, 64), dict(pool=3), 1),
    ("conv 3x3 64->64 same on 9x9", "conv", (9, 9, 64), dict(filters=64, padding="same"), 4),
    ("add 9x9x64", "add", (9, 9, 64), {}, 2),
    ("conv 3x3 64->64 valid on 9x9", "conv", (9, 9, 64), dict(filters=64, padding="valid"), 1),
    ("global avg pool 7x7x64", "gap", (7, 7, 64), {}, 1),
    ("dense 64->256 relu", "dense", (64,), dict(units=256, relu=True), 1),
    ("dense 256->10", "dense", (256,), dict(units=10), 1),
    ("adam update (223,242 weights, 18 vars)", "adam", None, dict(model="resnet"), 1),
    ("batchnorm 9x9x64 (in neither model; bwd = train fwd+bwd)", "batchnorm", (9, 9, 64), {}, 0),
]


def timed(function, round_ms, repeats):
    """Median seconds per call: ``repeats`` rounds of ``n`` calls, ``n`` sized to ``round_ms``."""
    function()
    start = time.perf_counter()
    function()
    once = max(time.perf_counter() - start, 1e-6)
    calls = max(1, int(round_ms / 1000 / once))
    rounds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        rounds.append((time.perf_counter() - start) / calls)
    return statistics.median(rounds)


# --- kerlite ------------------------------------------------------------------------
def kerlite_leaf(array, needs_grad):
    from kerlite.autodiff.tensor import Tensor

    leaf = Tensor(array)
    leaf._needs_grad = needs_grad
    return leaf


def kerlite_op(kind, shape, params, rng):
    """(forward, backward) closures for one kerlite op at batch 64 (batchnorm: see below)."""
    from kerlite import ops
    from kerlite.autodiff import tensor as tensor_module

    x = rng.standard_normal((BATCH, *shape), dtype=np.float32)
    if kind == "conv":
        channels = shape[-1]
        w = rng.standard_normal((3, 3, channels, params["filters"]), dtype=np.float32) * 0.1
        b = np.zeros(params["filters"], np.float32)
        inputs = (kerlite_leaf(x, not params.get("first")), kerlite_leaf(w, True),
                  kerlite_leaf(b, True))

        def call(*a):
            return ops.convolution.fused_conv(*a, "relu", 1, params["padding"])
    elif kind == "maxpool":
        inputs = (kerlite_leaf(x, True),)

        def call(a):
            return ops.max_pool(a, params["pool"])
    elif kind == "gap":
        inputs = (kerlite_leaf(x, True),)

        def call(a):
            return ops.mean(a, axis=(1, 2))
    elif kind == "add":
        inputs = (kerlite_leaf(x, True), kerlite_leaf(x.copy(), True))

        def call(a, b):
            return ops.add(a, b)
    elif kind == "dense":
        from kerlite.layers.core.fused_dense import dense as fused_dense

        w = rng.standard_normal((shape[0], params["units"]), dtype=np.float32) * 0.05
        b = np.zeros(params["units"], np.float32)
        inputs = (kerlite_leaf(x, True), kerlite_leaf(w, True), kerlite_leaf(b, True))
        activation = "relu" if params.get("relu") else None

        def call(*a):
            return fused_dense(*a, activation)
    else:
        raise ValueError(kind)

    def forward():
        call(*inputs)

    out = None

    def record_once():
        nonlocal out
        tensor_module._Recording.depth += 1
        try:
            out = call(*inputs)
        finally:
            tensor_module._Recording.depth -= 1
        return np.ones_like(out.data)

    g = record_once()

    def backward():
        out._backward(g)

    return forward, backward


def kerlite_adam(model_name):
    """Adam's update over a kerlite model's weights (what fit's optimizer step does)."""
    import kerlite

    import bench_conv

    kerlite.utils.set_random_seed(0)
    model = (bench_conv.mnist_convnet if model_name == "mnist" else bench_conv.toy_resnet)(kerlite)
    optimizer = kerlite.optimizers.Adam(1e-3)
    variables = model.trainable_variables
    grads = [np.full(v.shape, 1e-3, np.float32) for v in variables]
    optimizer.build(variables)

    def update():
        optimizer.apply(grads, variables)

    return update, None


# --- PyTorch ------------------------------------------------------------------------
def torch_op(kind, shape, params, rng):
    import torch
    import torch.nn.functional as F

    x_nhwc = rng.standard_normal((BATCH, *shape), dtype=np.float32)
    if len(shape) == 3:
        x = torch.from_numpy(np.ascontiguousarray(x_nhwc.transpose(0, 3, 1, 2)))
    else:
        x = torch.from_numpy(x_nhwc)
    if kind == "conv":
        w = torch.randn(params["filters"], shape[-1], 3, 3) * 0.1
        b = torch.zeros(params["filters"])
        x.requires_grad_(not params.get("first"))
        w.requires_grad_(True)
        b.requires_grad_(True)
        leaves = [t for t in (x, w, b) if t.requires_grad]
        padding = 1 if params["padding"] == "same" else 0

        def call():
            return F.relu(F.conv2d(x, w, b, padding=padding))
    elif kind == "maxpool":
        x.requires_grad_(True)
        leaves = [x]

        def call():
            return F.max_pool2d(x, params["pool"])
    elif kind == "gap":
        x.requires_grad_(True)
        leaves = [x]

        def call():
            return x.mean(dim=(2, 3))
    elif kind == "add":
        y = x.clone()
        x.requires_grad_(True)
        y.requires_grad_(True)
        leaves = [x, y]

        def call():
            return x + y
    elif kind == "dense":
        w = (torch.randn(params["units"], shape[0]) * 0.05).requires_grad_(True)
        b = torch.zeros(params["units"]).requires_grad_(True)
        x.requires_grad_(True)
        leaves = [x, w, b]

        def call():
            y = F.linear(x, w, b)
            return F.relu(y) if params.get("relu") else y
    elif kind == "batchnorm":
        gamma = torch.ones(shape[-1]).requires_grad_(True)
        beta = torch.zeros(shape[-1]).requires_grad_(True)
        mean, var = torch.zeros(shape[-1]), torch.ones(shape[-1])
        x.requires_grad_(True)
        leaves = [x, gamma, beta]

        def call():
            return F.batch_norm(x, mean, var, gamma, beta, training=True)

        def infer():
            with torch.no_grad():
                F.batch_norm(x, mean, var, gamma, beta, training=False)
    else:
        raise ValueError(kind)

    def forward():
        with torch.no_grad():
            call()

    out = call()
    g = torch.ones_like(out)

    def backward():
        if kind == "batchnorm":  # like kerlite's row: a training forward, then backward
            torch.autograd.grad(call(), leaves, g)
        else:
            torch.autograd.grad(out, leaves, g, retain_graph=True)

    return (infer if kind == "batchnorm" else forward), backward


def torch_adam(model_name):
    import torch

    sizes = {"mnist": [(3, 3, 1, 32), (32,), (3, 3, 32, 64), (64,), (1600, 10), (10,)],
             "resnet": [(3, 3, 3, 32), (32,), (3, 3, 32, 64), (64,)] + [(3, 3, 64, 64), (64,)] * 5
             + [(64, 256), (256,), (256, 10), (10,)]}[model_name]
    params = [torch.zeros(s, requires_grad=True) for s in sizes]
    for p in params:
        p.grad = torch.full(p.shape, 1e-3)
    optimizer = torch.optim.Adam(params, lr=1e-3)
    return optimizer.step, None


# --- JAX / XLA (forward only) -------------------------------------------------------
def jax_op(kind, shape, params, rng):
    import jax
    import jax.numpy as jnp

    x = jnp.asarray(rng.standard_normal((BATCH, *shape), dtype=np.float32))
    if kind == "conv":
        w = jnp.asarray(rng.standard_normal((3, 3, shape[-1], params["filters"]), dtype=np.float32))
        b = jnp.zeros(params["filters"], jnp.float32)
        padding = params["padding"].upper()

        @jax.jit
        def call(x, w, b):
            y = jax.lax.conv_general_dilated(x, w, (1, 1), padding,
                                             dimension_numbers=("NHWC", "HWIO", "NHWC"))
            return jax.nn.relu(y + b)

        args = (x, w, b)
    elif kind == "maxpool":
        p = params["pool"]

        @jax.jit
        def call(x):
            return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, p, p, 1), (1, p, p, 1),
                                         "VALID")

        args = (x,)
    elif kind == "gap":
        call, args = jax.jit(lambda x: x.mean(axis=(1, 2))), (x,)
    elif kind == "add":
        call, args = jax.jit(lambda a, b: a + b), (x, x + 1)
    elif kind == "dense":
        w = jnp.asarray(rng.standard_normal((shape[0], params["units"]), dtype=np.float32))
        b = jnp.zeros(params["units"], jnp.float32)
        relu = params.get("relu")
        call = jax.jit(lambda x, w, b: jax.nn.relu(x @ w + b) if relu else x @ w + b)
        args = (x, w, b)
    elif kind == "batchnorm":
        scale = jnp.ones(shape[-1], jnp.float32)
        call = jax.jit(lambda x, s: (x - 0.5) * s + 0.1)
        args = (x, scale)
    else:
        return None

    def forward():
        call(*args).block_until_ready()

    return forward


# --- kerlite's convolution, piece by piece ------------------------------------------
def conv_parts(shape, filters, padding, first, round_ms, repeats, rng):
    """Seconds of each piece of kerlite's conv forward and backward, the pieces done as
    ``ops/convolution.py`` does them (forward in cache-sized blocks of the batch)."""
    from kerlite.ops import convolution as conv_module
    from kerlite.ops import sliding_windows as sw

    x = rng.standard_normal((BATCH, *shape), dtype=np.float32)
    w = rng.standard_normal((3, 3, shape[-1], filters), dtype=np.float32) * 0.1
    b = np.zeros(filters, np.float32)
    kernel, ones = (3, 3), (1, 1)
    pads = sw.padding_amounts(shape[:2], kernel, ones, ones, padding)
    padded = sw.pad_spatial(x, pads)
    view = sw.windows(padded, kernel, ones, ones)
    out_spatial = view.shape[1:3]
    blocks = sw.cache_blocks(BATCH, sw.unfolded_bytes(out_spatial, kernel, shape[-1], 4))
    w_matrix = w.reshape(-1, filters)
    cols = [conv_module._im2col(view[block], 1)[0] for block in blocks]
    out = np.concatenate([c @ w_matrix for c in cols]).reshape(BATCH, *out_spatial, filters)
    g = np.ones(out.shape, np.float32) * (out > 0)
    w_per_offset = [np.ascontiguousarray(w[i, j].T) for i in range(3) for j in range(3)]
    shares = [(g.reshape(-1, filters) @ m).reshape(*g.shape[:3], shape[-1])
              for m in w_per_offset]

    def im2col():
        for block in blocks:
            conv_module._im2col(view[block], 1)

    def gemm():
        for block, c in zip(blocks, cols):
            np.matmul(c, w_matrix, out=out[block].reshape(-1, filters))

    def bias_relu():
        for block in blocks:
            out[block] += b
            np.maximum(out[block], 0, out=out[block])

    def dx_gemms():
        for m in w_per_offset:
            g.reshape(-1, filters) @ m

    def dx_adds():
        target = np.zeros(padded.shape, np.float32)
        for (i, j), share in zip(sw.kernel_offsets(kernel), shares):
            target[sw.window_slices((i, j), out_spatial, ones, ones)] += share

    pieces = [
        ("pad", lambda: sw.pad_spatial(x, pads)),
        (f"im2col copies ({len(blocks)} blocks)", im2col),
        ("GEMM cols @ W", gemm),
        ("bias + relu in place", bias_relu),
        ("relu mask g*(out>0)", lambda: g * (out > 0)),
        ("backward's im2col copies again", im2col),
        ("GEMM dW = cols^T @ g", lambda: sum(c.T @ g[blk].reshape(-1, filters)
                                             for blk, c in zip(blocks, cols))),
    ]
    if not first:
        pieces += [("GEMMs g @ W_k^T (9 offsets)", dx_gemms),
                   ("col2im: 9 strided adds", dx_adds)]
    ones_row = np.ones(g.size // filters, np.float32)
    pieces.append(("bias grad ones @ g", lambda: ones_row @ g.reshape(-1, filters)))
    return [(name, timed(f, round_ms, repeats)) for name, f in pieces]


def side_times(side, model, round_ms, repeats, threads):
    """{operation: (forward s, backward s or None)} for one side, in this process alone."""
    rng = np.random.default_rng(0)
    if side == "kerlite":  # as fit/predict do: freed big buffers stay in the process
        from kerlite.perf.host_allocator import keep_freed_buffers

        keep_freed_buffers()
    if side == "torch":
        import torch

        torch.set_num_threads(threads)
    times = {}
    for name, kind, shape, params, _ in (MNIST_OPS if model == "mnist" else RESNET_OPS):
        if kind == "adam":
            if side != "jax":
                update = (kerlite_adam if side == "kerlite" else torch_adam)(params["model"])[0]
                times[name] = (timed(update, round_ms, repeats), None)
            continue
        if side == "jax":
            forward = jax_op(kind, shape, params, rng)
            times[name] = (timed(forward, round_ms, repeats), None)
            continue
        pair = (_kerlite_pair if side == "kerlite" else torch_op)(kind, shape, params, rng)
        times[name] = tuple(timed(f, round_ms, repeats) for f in pair)
    return times


def run_side(side, args):
    """One side's times, measured in a fresh process (no other library's threads spinning)."""
    command = [sys.executable, os.path.abspath(__file__), "--worker", side, "--model",
               args.model, "--repeats", str(args.repeats), "--round-ms", str(args.round_ms)]
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def blas_threads_and_kernel():
    from threadpoolctl import threadpool_info

    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    if not blas:
        return os.cpu_count(), "?"
    return blas[0]["num_threads"], f"{blas[0]['internal_api']} {blas[0].get('architecture')}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["mnist", "resnet", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--round-ms", type=float, default=60.0)
    parser.add_argument("--parts", action="store_true", help="split kerlite's conv into pieces")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--no-jax", action="store_true")
    parser.add_argument("--worker", choices=["kerlite", "torch", "jax"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    threads, kernel = blas_threads_and_kernel()
    models = ["mnist", "resnet"] if args.model == "both" else [args.model]
    if args.worker:
        print(json.dumps({model: side_times(args.worker, model, args.round_ms, args.repeats,
                                            threads) for model in models}))
        return
    print(f"batch {BATCH}; NumPy BLAS: {kernel}, {threads} threads (PyTorch set to the same); "
          f"ms per call, median of {args.repeats}; each side in its own process")
    sides = ["kerlite"] + [s for s, off in (("torch", args.no_torch), ("jax", args.no_jax))
                           if not off]
    results = {side: run_side(side, args) for side in sides}
    for model in models:
        print_table(model, results)
        if args.parts:
            print_conv_parts(model, args)


def print_table(model, results):
    kerlite = results["kerlite"][model]
    ops_list = MNIST_OPS if model == "mnist" else RESNET_OPS
    uses = {name: n for name, _, _, _, n in ops_list}
    train_total = sum(uses[name] * (f + (b or 0)) for name, (f, b) in kerlite.items())
    predict_total = sum(uses[name] * f for name, (f, b) in kerlite.items()
                        if not name.startswith("adam"))
    print(f"\n{model}: kerlite's ops add up to {train_total * 1e3:.2f} ms per training step "
          f"and {predict_total * 1e3:.2f} ms per predict step (batch {BATCH})")
    print("| operation | uses | kerlite fwd | kerlite bwd | torch fwd | torch bwd | XLA fwd "
          "| train share | predict share |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def ms(side, name, index):
        value = results.get(side, {}).get(model, {}).get(name)
        value = None if value is None else value[index]
        return "" if value is None else f"{value * 1e3:.3f}"

    for name, _, _, _, n in ops_list:
        f, b = kerlite[name]
        train_share = n * (f + (b or 0)) / train_total * 100
        predict_share = 0 if name.startswith("adam") else n * f / predict_total * 100
        print(f"| {name} | {n} | {ms('kerlite', name, 0)} | {ms('kerlite', name, 1)} | "
              f"{ms('torch', name, 0)} | {ms('torch', name, 1)} | {ms('jax', name, 0)} | "
              f"{train_share:.1f}% | {predict_share:.1f}% |")


def print_conv_parts(model, args):
    from kerlite.perf.host_allocator import keep_freed_buffers

    keep_freed_buffers()
    rng = np.random.default_rng(0)
    for name, kind, shape, params, _ in (MNIST_OPS if model == "mnist" else RESNET_OPS):
        if kind != "conv":
            continue
        parts = conv_parts(shape, params["filters"], params["padding"], params.get("first"),
                           args.round_ms, args.repeats, rng)
        flops = 2 * BATCH * math.prod(shape[:2]) * 9 * shape[-1] * params["filters"]
        print(f"  kerlite {name}, its pieces (the output's GEMM is {flops / 1e6:.0f} MFLOP):")
        for piece, seconds in parts:
            print(f"    {piece:34s} {seconds * 1e3:8.3f} ms")


def _kerlite_pair(kind, shape, params, rng):
    if kind == "batchnorm":
        return _kerlite_batchnorm(shape, rng)
    return kerlite_op(kind, shape, params, rng)


def _kerlite_batchnorm(shape, rng):
    """BatchNormalization's inference call, and a training forward+backward round."""
    import kerlite

    layer = kerlite.layers.BatchNormalization()
    layer.build((BATCH, *shape))
    x = kerlite.ops.convert_to_tensor(rng.standard_normal((BATCH, *shape), dtype=np.float32))

    def infer():
        layer(x, training=False)

    def train_round():
        with kerlite.GradientTape() as tape:
            tape.watch(x)
            loss = kerlite.ops.sum(layer(x, training=True))
        tape.gradient(loss, x)

    return infer, train_round


if __name__ == "__main__":
    main()
