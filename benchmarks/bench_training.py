"""Training and predict speed, and memory: kerlite next to Keras 3 on its JAX and PyTorch
backends (CPU; the PyTorch side runs where torch is installed).

The same Keras-API code (``build_and_compile`` below) runs on both libraries; each run
is a fresh subprocess, so its peak memory (max RSS) is its own. Sides alternate and
every measurement is repeated; the table shows medians.

    python benchmarks/bench_training.py              # all workloads, 3 repeats
    python benchmarks/bench_training.py --repeats 5 --workloads mlp
    python benchmarks/bench_training.py --blas-threads 1   # single-threaded OpenBLAS

Workloads (train samples/s on random MNIST-shaped data, after a warm-up; the MLP is
timed over 4 epochs, since one of its epochs lasts only about a tenth of a second):
    mlp    784-64-64-10, batch 64, RMSprop, sparse categorical cross-entropy from logits
    wide   784-1024-1024-10, batch 256, same optimizer and loss
The ``numpy`` side is a hand-written, preallocated, in-place NumPy loop of the same
network: the floor any NumPy library pays.
"""

import time

import side_by_side
from side_by_side import print_result

WORKLOADS = {
    "mlp": {"hidden": (64, 64), "batch_size": 64, "steps": 300, "epochs": 4},
    "wide": {"hidden": (1024, 1024), "batch_size": 256, "steps": 40, "epochs": 1},
}
SIDES = ("kerlite", "keras-jax", "keras-torch", "numpy")


def build_and_compile(keras, hidden):
    """The Keras-API model used by both libraries."""
    inputs = keras.Input((784,))
    x = inputs
    for units in hidden:
        x = keras.layers.Dense(units, activation="relu")(x)
    model = keras.Model(inputs, keras.layers.Dense(10)(x))
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def data(count, seed=0):
    import numpy

    generator = numpy.random.default_rng(seed)
    x = generator.random((count, 784), dtype=numpy.float32)
    return x, generator.integers(0, 10, count)


def library_worker(side, workload):
    """Import, build, one warm-up epoch, then one timed epoch."""
    start = time.perf_counter()
    keras = side_by_side.import_library(side)
    spec = WORKLOADS[workload]
    model = build_and_compile(keras, spec["hidden"])
    ready = time.perf_counter() - start
    x, y = data(spec["batch_size"] * spec["steps"])
    warm = spec["batch_size"] * 10
    model.fit(x[:warm], y[:warm], batch_size=spec["batch_size"], epochs=1, verbose=0)
    first_epoch_end = time.perf_counter() - start
    began = time.perf_counter()
    history = model.fit(x, y, batch_size=spec["batch_size"], epochs=spec["epochs"],
                        verbose=0)
    seconds = time.perf_counter() - began
    # one batch first: Keras compiles its predict function on the first call
    model.predict(x[:spec["batch_size"]], batch_size=spec["batch_size"], verbose=0)
    began = time.perf_counter()
    model.predict(x, batch_size=spec["batch_size"], verbose=0)
    predict_seconds = time.perf_counter() - began
    return {"samples_per_s": len(x) * spec["epochs"] / seconds,
            "predict_samples_per_s": len(x) / predict_seconds, "import_build_compile_s": ready,
            "start_to_first_epoch_s": first_epoch_end,
            "final_loss": history.history["loss"][-1]}


def numpy_floor(sizes, batch, seed=0):
    """The MLP of ``sizes`` and RMSprop as a hand-written, preallocated, in-place NumPy
    loop: ``(load, phases)``, where ``load(x, y)`` puts a batch in place and ``phases``
    maps "forward", "loss", "backward" and "update" to functions that run them in turn."""
    import numpy as np

    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32))
        biases.append(np.zeros(fan_out, np.float32))
    params = weights + biases
    grads = [np.zeros_like(p) for p in params]
    velocity = [np.zeros_like(p) for p in params]
    scratch = [np.zeros_like(p) for p in params]
    activations = [np.zeros((batch, n), np.float32) for n in sizes]
    deltas = [np.zeros((batch, n), np.float32) for n in sizes]
    labels = np.zeros(batch, np.int64)
    rows = np.arange(batch)
    lr, rho, eps = np.float32(1e-3), np.float32(0.9), np.float32(1e-7)
    layers = len(weights)

    def load(x, y):
        activations[0][...] = x
        labels[...] = y

    def forward():
        for i in range(layers):
            np.matmul(activations[i], weights[i], out=activations[i + 1])
            activations[i + 1] += biases[i]
            if i < layers - 1:
                np.maximum(activations[i + 1], 0, out=activations[i + 1])

    def loss():  # softmax cross-entropy's gradient with respect to the logits
        logits, delta = activations[-1], deltas[-1]
        np.subtract(logits, logits.max(axis=1, keepdims=True), out=delta)
        np.exp(delta, out=delta)
        delta /= delta.sum(axis=1, keepdims=True)
        delta[rows, labels] -= 1
        delta /= batch

    def backward():
        for i in reversed(range(layers)):
            np.matmul(activations[i].T, deltas[i + 1], out=grads[i])
            deltas[i + 1].sum(axis=0, out=grads[layers + i])
            if i:
                np.matmul(deltas[i + 1], weights[i].T, out=deltas[i])
                deltas[i] *= activations[i] > 0

    def update():  # v = rho v + (1 - rho) g^2;  w -= lr g / sqrt(v + eps)
        for p, g, v, s in zip(params, grads, velocity, scratch):
            v *= rho
            np.multiply(g, g, out=s)
            s *= 1 - rho
            v += s
            np.add(v, eps, out=s)
            np.sqrt(s, out=s)
            np.divide(g, s, out=s)
            s *= lr
            p -= s

    return load, {"forward": forward, "loss": loss, "backward": backward, "update": update}


def numpy_worker(workload):
    """The same network and RMSprop as a hand-written, preallocated NumPy loop."""
    spec = WORKLOADS[workload]
    batch = spec["batch_size"]
    load, phases = numpy_floor((784,) + spec["hidden"] + (10,), batch)
    x_all, y_all = data(batch * spec["steps"])

    def step(x, y):
        load(x, y)
        for phase in phases.values():
            phase()

    for start in range(0, batch * 10, batch):
        step(x_all[start:start + batch], y_all[start:start + batch])
    began = time.perf_counter()
    for _ in range(spec["epochs"]):
        for start in range(0, len(x_all), batch):
            step(x_all[start:start + batch], y_all[start:start + batch])
    return {"samples_per_s": len(x_all) * spec["epochs"] / (time.perf_counter() - began)}


def worker(side, workload):
    print_result(numpy_worker(workload) if side == "numpy" else library_worker(side, workload))


if __name__ == "__main__":
    side_by_side.main(__file__, __doc__, WORKLOADS, SIDES, worker,
                      "OPENBLAS_NUM_THREADS for the kerlite and numpy runs")
