"""Recurrent networks' training and predict speed, and memory: kerlite next to Keras 3 on its
JAX and PyTorch backends (CPU; the PyTorch side runs where torch is installed).

The same Keras-API code builds each model on every side:
    bilstm  the seed's text classifier: Embedding(1000, 64) - Bidirectional(LSTM(64,
            return_sequences=True)) - Bidirectional(LSTM(64)) - Dense(32, relu) -
            Dense(1, sigmoid); random token ids of length 80, batch 64, Adam, binary
            cross-entropy
    lstm28  the keras-io MNIST-rows shape: Input((28, 28)) - LSTM(64) - Dense(10, softmax),
            batch 32, Adam, sparse categorical cross-entropy, accuracy
    gru28   the same with GRU(64)
Each run is a fresh subprocess (so its peak RSS is its own), warms up on 10 batches of
``fit`` and one of ``predict`` (Keras compiles then), then times ``fit`` and ``predict`` on
random data. Sides alternate and every measurement is repeated; the table shows medians.
``start_to_first_epoch_s`` is the time from the process's start (as the kernel records it)
to the end of the warm-up ``fit``: imports, building, compiling and 10 batches.

    python benchmarks/bench_rnn.py                          # all three, 3 repeats
    python benchmarks/bench_rnn.py --workloads lstm28 --repeats 5
    python benchmarks/bench_rnn.py --blas-threads 1         # single-threaded OpenBLAS
"""

import time

import side_by_side
from side_by_side import print_result, seconds_since_process_start

WORKLOADS = {
    "bilstm": {"length": 80, "vocabulary": 1000, "batch_size": 64, "samples": 1024,
               "epochs": 2},
    "lstm28": {"layer": "LSTM", "batch_size": 32, "samples": 4096, "epochs": 1},
    "gru28": {"layer": "GRU", "batch_size": 32, "samples": 4096, "epochs": 1},
}
SIDES = ("kerlite", "keras-jax", "keras-torch")


def bidirectional_lstm(keras, vocabulary, length):
    layers = keras.layers
    inputs = keras.Input(shape=(length,), dtype="int32")
    x = layers.Embedding(vocabulary, 64)(inputs)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(64))(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    return model


def mnist_rows_rnn(keras, layer_name):
    model = keras.Sequential([
        keras.Input((28, 28)),
        getattr(keras.layers, layer_name)(64),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def data(workload, spec):
    import numpy as np

    rng = np.random.default_rng(0)
    count = spec["samples"]
    if workload == "bilstm":
        vocabulary = spec["vocabulary"]
        x = rng.integers(1, vocabulary, size=(count, spec["length"])).astype("int32")
        y = (x[:, :5].mean(axis=1) > vocabulary / 2).astype("float32")[:, None]
        return x, y
    return rng.random((count, 28, 28), dtype=np.float32), rng.integers(0, 10, count)


def library_worker(side, workload):
    """Import, build, warm up on 10 batches, then time ``fit`` and ``predict``."""
    keras = side_by_side.import_library(side)
    keras.utils.set_random_seed(0)
    spec = WORKLOADS[workload]
    batch = spec["batch_size"]
    if workload == "bilstm":
        model = bidirectional_lstm(keras, spec["vocabulary"], spec["length"])
    else:
        model = mnist_rows_rnn(keras, spec["layer"])
    x, y = data(workload, spec)
    model.fit(x[:10 * batch], y[:10 * batch], batch_size=batch, epochs=1, verbose=0)
    first_epoch = seconds_since_process_start()
    model.predict(x[:batch], batch_size=batch, verbose=0)
    began = time.perf_counter()
    history = model.fit(x, y, batch_size=batch, epochs=spec["epochs"], verbose=0)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    model.predict(x, batch_size=batch, verbose=0)
    predict_seconds = time.perf_counter() - began
    return {"samples_per_s": len(x) * spec["epochs"] / seconds,
            "predict_samples_per_s": len(x) / predict_seconds,
            "start_to_first_epoch_s": first_epoch,
            "final_loss": float(history.history["loss"][-1])}


def worker(side, workload):
    print_result(library_worker(side, workload))


if __name__ == "__main__":
    side_by_side.main(__file__, __doc__, WORKLOADS, SIDES, worker,
                      "OPENBLAS_NUM_THREADS for the kerlite runs")
