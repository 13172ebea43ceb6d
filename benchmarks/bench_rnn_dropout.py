"""LSTM and GRU training with and without dropout: one kerlite tree against another.

Made to compare two versions of kerlite (for example ``main`` before a change and a
branch after it) on the same workload: ``fit`` of Input(28, 28) -> LSTM(64) or GRU(64) ->
Dense(10), batch 32, with ``dropout=0.2, recurrent_dropout=0.2`` (one mask per gate, as
Keras 3) and without dropout. Every measurement is a fresh process that imports kerlite
from the tree given (``PYTHONPATH``); the trees alternate, and each figure is the median
of the repeats. Time is seconds per epoch after a warm-up epoch.

    python benchmarks/bench_rnn_dropout.py --tree before=/path/a --tree after=/path/b
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CASES = [(layer, dropout) for layer in ("LSTM", "GRU") for dropout in (0.2, 0.0)]


def measure(layer_name, dropout, samples, batch):
    """Runs inside the child process: seconds for one training epoch."""
    import numpy as np

    import kerlite as keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(samples, 28, 28)).astype("float32")
    y = rng.integers(0, 10, size=samples)
    recurrent = getattr(keras.layers, layer_name)(64, dropout=dropout,
                                                  recurrent_dropout=dropout)
    model = keras.Sequential([keras.Input((28, 28)), recurrent, keras.layers.Dense(10)])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    return time.perf_counter() - start


def run_child(tree, layer_name, dropout, samples, batch):
    env = dict(os.environ, PYTHONPATH=tree)
    args = [sys.executable, __file__, "--child", layer_name, str(dropout),
            "--samples", str(samples), "--batch", str(batch)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[],
                        help="label=path of a kerlite source tree (give two or more)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=1920)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--child", nargs=2, metavar=("LAYER", "DROPOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds = measure(args.child[0], float(args.child[1]), args.samples, args.batch)
        print(json.dumps({"seconds": seconds}))
        return
    trees = [tree.split("=", 1) for tree in args.tree]
    if len(trees) < 2 or any(len(tree) != 2 for tree in trees):
        parser.error("give at least two --tree label=path")
    times = {(label, case): [] for label, _ in trees for case in CASES}
    for _ in range(args.repeats):
        for case in CASES:
            for label, path in trees:  # alternate the trees within each case
                times[label, case].append(run_child(path, *case, args.samples, args.batch))
    steps = -(-args.samples // args.batch)
    print(f"seconds per epoch of {steps} steps (batch {args.batch}, 28 time steps), "
          f"median of {args.repeats}")
    print(f"| layer | dropout, recurrent_dropout | {' | '.join(l for l, _ in trees)} |")
    print("|---|---|" + "---:|" * len(trees))
    for layer_name, dropout in CASES:
        cells = [f"{statistics.median(times[label, (layer_name, dropout)]):.3f}"
                 for label, _ in trees]
        print(f"| {layer_name}(64) | {dropout} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
