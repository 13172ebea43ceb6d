"""kerlite on CuPy (a GPU) next to kerlite on NumPy (the CPU): the same fit, both ways.

kerlite swaps its array library with ``KERLITE_BACKEND=cupy``; nothing else changes.
This script trains the benchmark models once per backend, each in a fresh process
(one warm-up epoch, then a timed one), and prints train and predict samples/s and the
final loss, so a GPU machine shows whether the CuPy path runs, gives the same losses
(within float32 noise: the GPU's kernels sum in another order) and how much faster it is.

    python benchmarks/bench_gpu.py                     # every workload
    python benchmarks/bench_gpu.py --workloads mlp lstm28
"""

import argparse
import json
import os
import subprocess
import sys
import time

import bench_conv
import bench_training

BACKENDS = ("numpy", "cupy")
WORKLOADS = {
    "mlp": "784-64-64-10 MLP, batch 64, RMSprop",
    "wide": "784-1024-1024-10 MLP, batch 256, RMSprop",
    "mnist": "the MNIST convnet, batch 64, Adam",
    "resnet": "the toy ResNet, 32x32x3, batch 64, Adam",
    "lstm28": "LSTM(64) over 28 steps of 28, batch 32, Adam",
}


def build(keras, workload):
    """(model, x, y, batch size) for ``workload``, compiled; random data, seed 0."""
    import numpy as np

    generator = np.random.default_rng(0)
    if workload in ("mlp", "wide"):
        spec = bench_training.WORKLOADS[workload]
        model = bench_training.build_and_compile(keras, spec["hidden"])
        shape, batch = (784,), spec["batch_size"]
    elif workload in ("mnist", "resnet"):
        model = (bench_conv.mnist_convnet if workload == "mnist" else bench_conv.toy_resnet)(keras)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(
                          from_logits=workload == "resnet"))
        shape, batch = bench_conv.WORKLOADS[workload]["shape"], 64
    else:
        inputs = keras.Input((28, 28))
        x = keras.layers.LSTM(64)(inputs)
        model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss="sparse_categorical_crossentropy")
        shape, batch = (28, 28), 32
    count = batch * 50
    x = generator.random((count, *shape), dtype=np.float32)
    return model, x, generator.integers(0, 10, count), batch


def worker(backend, workload):
    os.environ["KERLITE_BACKEND"] = backend
    import kerlite as keras

    keras.utils.set_random_seed(0)
    model, x, y, batch = build(keras, workload)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)  # warm-up
    began = time.perf_counter()
    history = model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    train_seconds = time.perf_counter() - began
    began = time.perf_counter()
    model.predict(x, batch_size=batch, verbose=0)
    predict_seconds = time.perf_counter() - began
    print(json.dumps({"backend": keras.backend.backend(),
                      "train_samples_per_s": len(x) / train_seconds,
                      "predict_samples_per_s": len(x) / predict_seconds,
                      "final_loss": history.history["loss"][-1]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "WORKLOAD"))
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    here = os.path.dirname(os.path.abspath(__file__))
    print(f"{'workload':10s} {'backend':8s} {'train/s':>10s} {'predict/s':>10s} "
          f"{'final loss':>11s}")
    for workload in args.workloads:
        for backend in BACKENDS:
            done = subprocess.run([sys.executable, __file__, "--worker", backend, workload],
                                  capture_output=True, text=True, cwd=here)
            if done.returncode:
                print(f"{workload:10s} {backend:8s} FAILED:\n{done.stderr[-3000:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{workload:10s} {r['backend']:8s} {r['train_samples_per_s']:10,.0f} "
                  f"{r['predict_samples_per_s']:10,.0f} {r['final_loss']:11.5f}")


if __name__ == "__main__":
    main()
