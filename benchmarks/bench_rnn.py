"""Bidirectional LSTM text classifier: kerlite vs Keras 3 (JAX, CPU), side by side.

The seed tutorial's model (Embedding -> BiLSTM(64, sequences) -> BiLSTM(64) -> Dense(32)
-> Dense(1)) trained with ``fit`` on random token ids; each library runs in its own
process, warms up for one epoch (Keras compiles then), and is timed on the next epochs.

    python benchmarks/bench_rnn.py [--length 80] [--batch 64] [--samples 1024]

Prints train samples per second, predict samples per second, peak memory (RSS) and the
final loss for each library.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def build(keras, vocabulary, length):
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


def measure(library, length, batch, samples, epochs):
    """Runs inside the child process; returns a dict of figures."""
    import numpy as np

    if library == "keras":
        os.environ["KERAS_BACKEND"] = "jax"
        import keras
    else:
        import kerlite as keras
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    vocabulary = 1000
    x = rng.integers(1, vocabulary, size=(samples, length)).astype("int32")
    y = (x[:, :5].mean(axis=1) > vocabulary / 2).astype("float32")[:, None]
    model = build(keras, vocabulary, length)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm-up (and Keras's jit)
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    train_seconds = time.perf_counter() - start
    model.predict(x[:batch], batch_size=batch, verbose=0)
    start = time.perf_counter()
    model.predict(x, batch_size=batch, verbose=0)
    predict_seconds = time.perf_counter() - start
    return {
        "library": library,
        "version": keras.__version__,
        "train_samples_per_s": samples * epochs / train_seconds,
        "predict_samples_per_s": samples / predict_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "final_loss": float(history.history["loss"][-1]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=80)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--only", choices=["kerlite", "keras"])
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OPENBLAS_NUM_THREADS for kerlite's NumPy (default: BLAS's own)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.only, args.length, args.batch, args.samples,
                                 args.epochs)))
        return
    results = []
    for library in ([args.only] if args.only else ["kerlite", "keras"]):
        command = [sys.executable, __file__, "--child", "--only", library,
                   "--length", str(args.length), "--batch", str(args.batch),
                   "--samples", str(args.samples), "--epochs", str(args.epochs)]
        environment = dict(os.environ)
        if library == "kerlite" and args.blas_threads:
            environment["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
        done = subprocess.run(command, capture_output=True, text=True, check=True,
                              env=environment)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"BiLSTM classifier, length {args.length}, batch {args.batch}, "
          f"{args.samples} samples x {args.epochs} epochs, {os.cpu_count()} CPUs, "
          f"BLAS threads for kerlite: {args.blas_threads or 'default'}")
    print(f"{'library':<16}{'train samples/s':>16}{'predict samples/s':>19}"
          f"{'peak RSS MB':>13}{'final loss':>12}")
    for r in results:
        print(f"{r['library'] + ' ' + r['version']:<16}{r['train_samples_per_s']:>16.0f}"
              f"{r['predict_samples_per_s']:>19.0f}{r['peak_rss_mb']:>13.0f}"
              f"{r['final_loss']:>12.4f}")
    if len(results) == 2:
        ratio = results[0]["train_samples_per_s"] / results[1]["train_samples_per_s"]
        print(f"kerlite / keras train speed: {ratio:.2f}x")


if __name__ == "__main__":
    main()
