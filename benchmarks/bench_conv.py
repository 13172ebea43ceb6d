"""Convnet training and predict speed, and memory: kerlite next to Keras 3 on its JAX and
PyTorch backends (CPU; the PyTorch side runs where torch is installed).

The seeds' two image models, built by the same Keras-API code on both libraries:
    mnist   the MNIST convnet (Conv 32 - Pool - Conv 64 - Pool - Flatten - Dropout -
            Dense 10 softmax), 28x28x1, batch 64, Adam, sparse categorical cross-entropy
    resnet  the toy ResNet for CIFAR-10 (7 convolutions, 2 residual additions, global
            average pooling, Dense 256 - Dropout - Dense 10), 32x32x3, batch 64
Each run is a fresh subprocess (so its peak RSS is its own), warms up on 10 batches
(Keras compiles then), and is timed on one epoch of random data. Sides alternate and
every measurement is repeated; the table shows medians.

    python benchmarks/bench_conv.py                        # both workloads, 3 repeats
    python benchmarks/bench_conv.py --workloads mnist --repeats 5
    python benchmarks/bench_conv.py --blas-threads 1       # single-threaded OpenBLAS
"""

import time

import side_by_side
from side_by_side import print_result

WORKLOADS = {
    "mnist": {"shape": (28, 28, 1), "batch_size": 64, "steps": 40},
    "resnet": {"shape": (32, 32, 3), "batch_size": 64, "steps": 12},
}
SIDES = ("kerlite", "keras-jax", "keras-torch")


def mnist_convnet(keras):
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


def toy_resnet(keras):
    layers = keras.layers
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs, name="toy_resnet")


def library_worker(side, workload):
    """Import, build, warm up on 10 batches, then time one epoch."""
    import numpy as np

    start = time.perf_counter()
    keras = side_by_side.import_library(side)
    keras.utils.set_random_seed(0)
    spec = WORKLOADS[workload]
    model = mnist_convnet(keras) if workload == "mnist" else toy_resnet(keras)
    from_logits = workload == "resnet"
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits),
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    count = spec["batch_size"] * spec["steps"]
    x = rng.random((count, *spec["shape"]), dtype=np.float32)
    y = rng.integers(0, 10, count)
    warm = spec["batch_size"] * 10
    model.fit(x[:warm], y[:warm], batch_size=spec["batch_size"], epochs=1, verbose=0)
    ready = time.perf_counter() - start
    began = time.perf_counter()
    history = model.fit(x, y, batch_size=spec["batch_size"], epochs=1, verbose=0)
    seconds = time.perf_counter() - began
    # one batch first: Keras compiles its predict function on the first call
    model.predict(x[:spec["batch_size"]], batch_size=spec["batch_size"], verbose=0)
    began = time.perf_counter()
    model.predict(x, batch_size=spec["batch_size"], verbose=0)
    predict_seconds = time.perf_counter() - began
    return {"samples_per_s": count / seconds, "predict_samples_per_s": count / predict_seconds,
            "start_to_warm_s": ready, "final_loss": history.history["loss"][-1]}


def worker(side, workload):
    print_result(library_worker(side, workload))


if __name__ == "__main__":
    side_by_side.main(__file__, __doc__, WORKLOADS, SIDES, worker,
                      "OPENBLAS_NUM_THREADS for the kerlite runs")
