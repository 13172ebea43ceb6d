"""Where an LSTM's time goes, operation by operation: kerlite's fused op next to XLA (JAX).

For one layer's shapes it times, in microseconds per call of the whole sequence:
- kerlite's ``ops.lstm`` (or ``ops.gru``): forward without a tape (what ``predict`` runs)
  and forward + backward (what a training step runs);
- the LSTM op's pieces, made with the same NumPy calls the op makes: the input projection
  (one GEMM for all steps), the recurrent GEMM ``h @ U`` (one per step), the gate
  nonlinearities, the state update, and the backward pass's pieces (coefficients for all
  steps, the per-step elementwise work, the per-step GEMM ``dz @ U^T``, the weight
  gradients); the same per-step calls on 1-row arrays give NumPy's cost per call;
- the same LSTM written as Keras 3 writes its cell (``x @ W + h @ U + b`` in a
  ``lax.scan``), jit-compiled by XLA: forward, forward + backward, and the scan of the
  recurrent GEMM alone.

    python benchmarks/profile_rnn_ops.py                    # lstm28: batch 32, 28 steps, 28 -> 64
    python benchmarks/profile_rnn_ops.py --case bilstm1     # batch 64, 80 steps, 64 -> 64
    python benchmarks/profile_rnn_ops.py --case gru28 --threads 1

Run it alone on the machine (timings), OpenBLAS unpinned as for the benchmarks.
"""

import argparse
import time

import numpy as np

CASES = {  # batch, steps, features, units
    "lstm28": (32, 28, 28, 64),
    "gru28": (32, 28, 28, 64),
    "bilstm1": (64, 80, 64, 64),
    "bilstm2": (64, 80, 128, 64),
}


def best_of(function, calls, rounds=5):
    """Microseconds per call: the best of ``rounds`` rounds of ``calls`` calls."""
    function()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        for _ in range(calls):
            function()
        times.append((time.perf_counter() - began) / calls)
    return min(times) * 1e6


def show(label, microseconds, steps=None):
    per_step = f"{microseconds / steps:8.1f} per step" if steps else ""
    print(f"  {label:<66}{microseconds:9.0f} us  {per_step}")


def kerlite_op(case, batch, steps, features, units, calls):
    import kerlite
    from kerlite import ops

    rng = np.random.default_rng(0)
    gates = 3 if case.startswith("gru") else 4
    x = rng.random((batch, steps, features), dtype=np.float32)
    kernel = kerlite.Variable(rng.normal(size=(features, gates * units)).astype("float32") * .1)
    recurrent = kerlite.Variable(rng.normal(size=(units, gates * units)).astype("float32") * .1)
    bias_shape = (2, gates * units) if gates == 3 else (gates * units,)
    bias = kerlite.Variable(np.zeros(bias_shape, dtype="float32"))
    h0 = np.zeros((batch, units), dtype="float32")
    if gates == 3:
        def forward():
            return ops.gru(x, h0, kernel, recurrent, bias)[1]
    else:
        def forward():
            return ops.lstm(x, h0, h0, kernel, recurrent, bias)[1]

    def forward_backward():
        with kerlite.GradientTape() as tape:
            loss = ops.sum(forward())
        tape.gradient(loss, [kernel, recurrent, bias])

    print(f"kerlite ops.{'gru' if gates == 3 else 'lstm'}:")
    show("forward, no tape (predict)", best_of(forward, calls), steps)
    show("forward + backward (a training step)", best_of(forward_backward, calls), steps)


def lstm_pieces(batch, steps, features, units, calls):
    """The fused LSTM op's work, piece by piece, with its own NumPy calls."""
    rng = np.random.default_rng(0)
    u = units
    x = rng.random((steps, batch, features), dtype=np.float32)
    W = rng.normal(size=(features, 4 * u)).astype("float32") * .1
    U = rng.normal(size=(u, 4 * u)).astype("float32") * .1
    b = np.zeros(4 * u, dtype="float32")
    scale, shift = np.full(4 * u, 0.5, "float32"), np.zeros(4 * u, "float32")
    scale[3 * u:], shift[:3 * u] = 1, 0.5
    projected = (x.reshape(-1, features) @ W + b).reshape(steps, batch, 4 * u)
    gates = np.tanh(rng.normal(size=(steps, batch, 4 * u))).astype("float32") * .5 + .5
    carry = rng.normal(size=(steps + 1, batch, u)).astype("float32")
    act_carry, hidden = np.tanh(carry[1:]), np.tanh(carry)
    z, c, a, tmp = (np.empty((batch, 4 * u), "float32"), np.zeros((batch, u), "float32"),
                    np.empty((batch, u), "float32"), np.empty((batch, u), "float32"))
    U_T, d_z = np.ascontiguousarray(U.T), np.empty_like(gates)

    def projection():
        p = x.reshape(-1, features) @ W
        p += b

    def recurrent_gemm(kernel=U):
        for t in range(steps):
            np.matmul(hidden[t], kernel, out=z)

    def nonlinearities(z=z):
        for t in range(steps):
            z += projected[t]
            np.tanh(z, out=z)
            z *= scale
            z += shift

    def state_update(z=z, c=c, a=a, tmp=tmp, h=hidden):
        for t in range(steps):
            np.multiply(z[:, 2 * u:3 * u], c, out=c)
            c += np.multiply(z[:, u:2 * u], z[:, 3 * u:], out=tmp)
            np.tanh(c, out=a)
            np.multiply(z[:, :u], a, out=h[t + 1])

    def coefficients():
        slopes = gates * (1 - gates)
        slopes[..., 3 * u:] = 1 - gates[..., 3 * u:] ** 2
        coefficient = np.empty_like(gates)
        np.multiply(act_carry, slopes[..., :u], out=coefficient[..., :u])
        np.multiply(gates[..., 3 * u:], slopes[..., u:2 * u], out=coefficient[..., u:2 * u])
        np.multiply(carry[:-1], slopes[..., 2 * u:3 * u], out=coefficient[..., 2 * u:3 * u])
        np.multiply(gates[..., u:2 * u], slopes[..., 3 * u:], out=coefficient[..., 3 * u:])
        slope = 1 - act_carry * act_carry
        slope *= gates[..., :u]
        return coefficient, slope

    coefficient, slope = coefficients()

    def backward_elementwise():
        dh, dc = np.zeros((batch, u), "float32"), carry[-1]
        for t in reversed(range(steps)):
            dh_new = dh + hidden[t + 1]
            dc_new = dc + dh_new * slope[t]
            d = d_z[t]
            np.multiply(dh_new, coefficient[t, :, :u], out=d[:, :u])
            np.multiply(dc_new.reshape(batch, 1, u), coefficient[t, :, u:].reshape(batch, 3, u),
                        out=d[:, u:].reshape(batch, 3, u))
            dc = dc_new * gates[t, :, 2 * u:3 * u]

    def backward_gemm(kernel_T):
        for t in reversed(range(steps)):
            d_z[t] @ kernel_T

    def weight_gradients():
        flat = d_z.reshape(-1, 4 * u)
        x.reshape(-1, features).T @ flat
        hidden[:-1].reshape(-1, u).T @ flat
        flat.sum(axis=0)

    def input_gradient():
        d_z.reshape(-1, 4 * u) @ W.T

    one_row = [np.zeros((1, 4 * u), "float32")] + [np.zeros((1, u), "float32")] * 3

    def per_call_cost():  # the forward step's 10 calls on 1-row arrays
        z1, c1, a1, t1 = one_row
        for _ in range(steps):
            np.matmul(c1, U, out=z1)
            z1 += z1
            np.tanh(z1, out=z1)
            z1 *= scale
            z1 += shift
            np.multiply(z1[:, :u], c1, out=c1)
            c1 += np.multiply(z1[:, :u], z1[:, u:2 * u], out=t1)
            np.tanh(c1, out=a1)
            np.multiply(z1[:, :u], a1, out=t1)

    print("the LSTM op's pieces (NumPy, the op's own calls):")
    forward = [("input projection x @ W + b, one GEMM for all steps", projection),
               ("recurrent GEMM h @ U, one per step", recurrent_gemm),
               ("gate nonlinearities (+x part, tanh, sigmoid = tanh*.5+.5)", nonlinearities),
               ("state update c = f*c + i*g, h = o*tanh(c)", state_update)]
    total = 0
    for label, function in forward:
        spent = best_of(function, calls)
        total += spent
        show("forward: " + label, spent, steps)
    show("forward: sum of the pieces", total, steps)
    show("  NumPy's own cost of those 10 calls per step (1-row arrays)",
         best_of(per_call_cost, calls), steps)
    backward = [("coefficients for all steps (10 whole-array passes)", coefficients),
                ("per-step elementwise (6 calls per step)", backward_elementwise),
                ("recurrent GEMM dz @ U^T per step (contiguous U^T)",
                 lambda: backward_gemm(U_T)),
                ("  the same with U.T, a transposed view (before)", lambda: backward_gemm(U.T)),
                ("weight gradients x^T dz, h^T dz, bias (3 whole-sequence)",
                 weight_gradients),
                ("input gradient dz @ W^T (when the inputs need one)", input_gradient)]
    for label, function in backward:
        show("backward: " + label, best_of(function, calls), steps)


def xla_lstm(batch, steps, features, units, calls):
    """The same LSTM as Keras 3 runs it on JAX: its cell in a lax.scan, jit-compiled."""
    import jax
    import jax.numpy as jnp

    u = units
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.random((steps, batch, features), dtype=np.float32))
    W = jnp.asarray(rng.normal(size=(features, 4 * u)).astype("float32") * .1)
    U = jnp.asarray(rng.normal(size=(u, 4 * u)).astype("float32") * .1)
    b = jnp.zeros(4 * u, "float32")
    h0 = jnp.zeros((batch, u), "float32")

    def run(W, U, b, x):
        def step(state, x_t):
            h, c = state
            z = x_t @ W + h @ U + b
            i, f, g, o = jnp.split(z, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), h
        (h, _), _ = jax.lax.scan(step, (h0, h0), x)
        return h

    forward = jax.jit(run)
    gradients = jax.jit(jax.grad(lambda *a: run(*a).sum(), argnums=(0, 1, 2)))

    def gemm_only(U, h):
        return jax.lax.fori_loop(0, steps, lambda _, h: (h @ U)[:, :u], h)

    gemms = jax.jit(gemm_only)
    print("XLA (JAX), Keras 3's LSTM cell in lax.scan, jit-compiled:")
    show("forward", best_of(lambda: forward(W, U, b, x).block_until_ready(), calls), steps)
    show("forward + backward", best_of(
        lambda: jax.block_until_ready(gradients(W, U, b, x)), calls), steps)
    show("recurrent GEMM h @ U alone, one per step",
         best_of(lambda: gemms(U, h0).block_until_ready(), calls), steps)


def whole_model(case, batch, calls):
    """The keras-io model around the op (lstm28/gru28): one predict batch and one training
    step, in kerlite and in Keras 3 on JAX; what is not the op is the layers, loss,
    optimizer and loop around it."""
    import os
    import subprocess
    import sys

    code = f"""
import os, sys, time, numpy as np
sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
import side_by_side, bench_rnn
keras = side_by_side.import_library(sys.argv[1])
model = bench_rnn.mnist_rows_rnn(keras, {"GRU" if case.startswith("gru") else "LSTM"!r})
x, y = bench_rnn.data("lstm28", dict(samples={batch * 40}))
model.fit(x, y, batch_size={batch}, epochs=1, verbose=0)
model.predict(x, batch_size={batch}, verbose=0)
for label, run in (("predict, per batch", lambda: model.predict(x, batch_size={batch}, verbose=0)),
                   ("fit, per batch", lambda: model.fit(x, y, batch_size={batch}, verbose=0))):
    times = []
    for _ in range(5):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    print(label, min(times) / 40 * 1e6)
"""
    print("the whole model (Input - RNN(64) - Dense(10, softmax)), microseconds per batch:")
    for side in ("kerlite", "keras-jax"):
        env = dict(os.environ)
        done = subprocess.run([sys.executable, "-c", code, side], capture_output=True,
                              text=True, env=env)
        for line in done.stdout.strip().splitlines():
            label, value = line.rsplit(" ", 1)
            show(f"{side}: {label}", float(value))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=list(CASES), default="lstm28")
    parser.add_argument("--threads", type=int, default=None, help="OpenBLAS threads")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--no-xla", action="store_true")
    args = parser.parse_args()
    import contextlib

    from kerlite.perf import blas_threads, host_allocator

    host_allocator.keep_freed_buffers()  # as fit and predict do
    batch, steps, features, units = CASES[args.case]
    print(f"{args.case}: batch {batch}, {steps} steps, {features} features -> {units} units, "
          f"OpenBLAS threads: {args.threads or 'default'}")
    limit = blas_threads.limit_threads(args.threads) if args.threads else \
        contextlib.nullcontext()
    with limit:
        kerlite_op(args.case, batch, steps, features, units, args.calls)
        if not args.case.startswith("gru"):
            lstm_pieces(batch, steps, features, units, args.calls)
    if not args.no_xla and not args.case.startswith("gru"):
        xla_lstm(batch, steps, features, units, args.calls)
    if args.case in ("lstm28", "gru28"):
        whole_model(args.case, batch, args.calls)


if __name__ == "__main__":
    main()
