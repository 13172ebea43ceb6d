"""One MLP training step taken apart: where NumPy's time goes, next to XLA's.

kerlite's MLP step runs at the hand-written NumPy loop of ``bench_training.py`` (the
"floor"). This script splits that floor into its four phases and times each alone,
then the same phases jit-compiled by JAX (what Keras 3 on JAX runs), in fresh processes,
alternating, medians:

    forward    x @ W + b, relu, for each layer
    loss       softmax cross-entropy's gradient with respect to the logits
    backward   the weight, bias and input gradients (x^T @ dz, sum(dz), dz @ W^T, relu')
    update     RMSprop: v = rho v + (1 - rho) g^2;  w -= lr g / sqrt(v + eps)

plus the whole step as one function (XLA fuses across phases; NumPy cannot). A phase that
is slower on NumPy than XLA's *whole step* is a floor no NumPy library can go under.
The ``kerlite`` side times the same phases through kerlite's public API, as its ``fit``
runs them (the forward under a ``GradientTape``, the compiled loss, ``tape.gradient``,
``optimizer.apply``, then the accuracy metric, a phase the others do not have); its
"whole step" and Keras 3's (on JAX) are ``fit``'s own time per batch (shuffling, batch
slicing and callbacks included), so the difference to the sum of phases is the loop.

    python benchmarks/profile_mlp_step.py                    # the wide MLP, 3 repeats
    python benchmarks/profile_mlp_step.py --workload mlp
"""

import argparse
import json
import os
import statistics
import time

import bench_training
import side_by_side

WORKLOADS = {"mlp": ((784, 64, 64, 10), 64), "wide": ((784, 1024, 1024, 10), 256)}
PHASES = ("forward", "loss", "backward", "update", "whole step")
SIDES = ("numpy", "xla", "kerlite")
RHO, EPSILON, LEARNING_RATE = 0.9, 1e-7, 1e-3


def initial_state(sizes, batch):
    import numpy as np

    generator = np.random.default_rng(0)
    weights = [generator.uniform(-0.05, 0.05, (i, o)).astype(np.float32)
               for i, o in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(o, np.float32) for o in sizes[1:]]
    x = generator.random((batch, sizes[0]), dtype=np.float32)
    y = generator.integers(0, sizes[-1], batch)
    return weights, biases, x, y


def numpy_phases(sizes, batch):
    """The floor's step (``bench_training.numpy_floor``) on one batch, phase by phase."""
    _, _, x, y = initial_state(sizes, batch)
    load, phases = bench_training.numpy_floor(sizes, batch)
    load(x, y)

    def whole_step():
        for phase in phases.values():
            phase()

    return {**phases, "whole step": whole_step}


def xla_phases(sizes, batch):
    """The same phases as jit-compiled JAX functions (each waits for its result)."""
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp

    weights, biases, x, y = initial_state(sizes, batch)
    weights = [jax.device_put(w) for w in weights]
    biases = [jax.device_put(b) for b in biases]
    x, y = jax.device_put(x), jax.device_put(y)
    params = (weights, biases)
    velocity = jax.tree_util.tree_map(jnp.zeros_like, params)

    def forward_pass(params, x):
        h = x
        for i, (w, b) in enumerate(zip(*params)):
            h = h @ w + b
            if i < len(params[0]) - 1:
                h = jax.nn.relu(h)
        return h

    def loss_value(params, x, y):
        logits = forward_pass(params, x)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], 1))

    def logits_gradient(logits, y):
        return (jax.nn.softmax(logits) - jax.nn.one_hot(y, logits.shape[1])) / logits.shape[0]

    def rmsprop(params, grads, velocity):
        velocity = jax.tree_util.tree_map(lambda v, g: RHO * v + (1 - RHO) * g * g,
                                          velocity, grads)
        params = jax.tree_util.tree_map(
            lambda p, g, v: p - LEARNING_RATE * g / jnp.sqrt(v + EPSILON),
            params, grads, velocity)
        return params, velocity

    def step(params, velocity, x, y):
        grads = jax.grad(loss_value)(params, x, y)
        return rmsprop(params, grads, velocity)

    forward_jit = jax.jit(forward_pass)
    logits = forward_jit(params, x)
    loss_jit = jax.jit(logits_gradient)
    grads = jax.jit(jax.grad(loss_value))(params, x, y)
    # backward alone: the gradients given the forward's activations, as jax.vjp keeps them
    _, pullback = jax.vjp(lambda p: forward_pass(p, x), params)
    pullback_jit = jax.jit(pullback)
    cotangent = loss_jit(logits, y)
    update_jit = jax.jit(rmsprop)
    step_jit = jax.jit(step)

    def ready(value):
        jax.block_until_ready(value)

    return {"forward": lambda: ready(forward_jit(params, x)),
            "loss": lambda: ready(loss_jit(logits, y)),
            "backward": lambda: ready(pullback_jit(cotangent)),
            "update": lambda: ready(update_jit(params, grads, velocity)),
            "whole step": lambda: ready(step_jit(params, velocity, x, y))}


def fit_seconds_per_batch(keras, sizes, batch, steps=200):
    """``fit``'s time per batch on an MLP of ``sizes`` (RMSprop, as ``bench_training``)."""
    model = bench_training.build_and_compile(keras, sizes[1:-1])  # 784 in, 10 out
    data, labels = bench_training.data(batch * steps)
    model.fit(data[:batch * 10], labels[:batch * 10], batch_size=batch, verbose=0)
    times = []
    for _ in range(3):
        began = time.perf_counter()
        model.fit(data, labels, batch_size=batch, epochs=1, verbose=0)
        times.append((time.perf_counter() - began) / steps)
    return min(times), model


def kerlite_phases(sizes, batch):
    """kerlite's training step through its public API, phase by phase, as ``fit``
    runs it; "whole step" is ``fit``'s own time per batch. Returns timings (ms)."""
    import numpy as np

    import kerlite as keras

    seconds, model = fit_seconds_per_batch(keras, sizes, batch)
    generator = np.random.default_rng(1)
    x = keras.ops.convert_to_tensor(generator.random((batch, sizes[0]), dtype=np.float32))
    y = generator.integers(0, sizes[-1], batch)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    variables = model.trainable_weights
    names = ("forward", "loss", "backward", "update", "metrics")
    times = {name: [] for name in names}
    for repeat in range(45):
        marks = [time.perf_counter()]
        with keras.GradientTape() as tape:
            logits = model(x, training=True)
            marks.append(time.perf_counter())
            loss = loss_fn(y, logits)
            marks.append(time.perf_counter())
        grads = tape.gradient(loss, variables)
        marks.append(time.perf_counter())
        model.optimizer.apply(grads, variables)
        marks.append(time.perf_counter())
        accuracy.update_state(y, logits)
        marks.append(time.perf_counter())
        if repeat >= 5:
            for name, start, end in zip(names, marks, marks[1:]):
                times[name].append(end - start)
    result = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    result["whole step"] = seconds * 1e3
    result["keras-jax fit step"] = keras_fit_ms(sizes, batch)
    return result


def keras_fit_ms(sizes, batch):
    """Keras 3 (JAX backend) ``fit``'s time per batch, in ms, in a fresh process."""
    import subprocess
    import sys

    code = ("import os, sys; os.environ['KERAS_BACKEND'] = 'jax'; "
            "os.environ.setdefault('JAX_PLATFORMS', 'cpu'); sys.path.insert(0, %r); "
            "import keras, profile_mlp_step as p; "
            "print(p.fit_seconds_per_batch(keras, %r, %d)[0] * 1e3)"
            % (os.path.dirname(os.path.abspath(__file__)), tuple(sizes), batch))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return float(done.stdout.strip().splitlines()[-1])


def worker(side, workload):
    sizes, batch = WORKLOADS[workload]
    if side == "kerlite":
        result = kerlite_phases(sizes, batch)
        result["sum of phases"] = sum(result[name] for name in PHASES[:-1]) + result["metrics"]
        print(json.dumps(result))
        return
    phases = (numpy_phases if side == "numpy" else xla_phases)(sizes, batch)
    result = {}
    for name, run in phases.items():
        result[name] = side_by_side.median_ms(run, calls=40)
    result["sum of phases"] = sum(result[name] for name in PHASES[:-1])
    if side == "numpy":
        import threadpoolctl

        result["blas"] = [(info.get("internal_api"), info.get("architecture"),
                           info.get("num_threads")) for info in threadpoolctl.threadpool_info()]
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workload", choices=WORKLOADS, default="wide")
    parser.add_argument("--worker", nargs=2, metavar=("SIDE", "WORKLOAD"))
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    runs = side_by_side.alternating_runs(__file__, SIDES, args.workload, args.repeats)
    sizes, batch = WORKLOADS[args.workload]
    print(f"\n{'-'.join(map(str, sizes))}, batch {batch}: ms per phase "
          f"({args.repeats} repeats, medians); BLAS: {runs['numpy'][0]['blas']}")
    print(f"  {'phase':16s} {'numpy':>9s} {'xla':>9s} {'numpy/xla':>10s} {'kerlite':>9s}")
    for name in PHASES[:-1] + ("metrics", "sum of phases", "whole step"):
        numpy_ms, xla_ms, kerlite_ms = (
            statistics.median(r.get(name, float("nan")) for r in runs[side]) for side in SIDES)
        print(f"  {name:16s} {numpy_ms:9.3f} {xla_ms:9.3f} {numpy_ms / xla_ms:9.2f}x "
              f"{kerlite_ms:9.3f}")
    keras_fit = statistics.median(r["keras-jax fit step"] for r in runs["kerlite"])
    print(f"  fit's time per batch: kerlite "
          f"{statistics.median(r['whole step'] for r in runs['kerlite']):.3f} ms, "
          f"Keras 3 on JAX {keras_fit:.3f} ms (whole step above: numpy and xla are one "
          f"function, kerlite is fit's)")


if __name__ == "__main__":
    main()
