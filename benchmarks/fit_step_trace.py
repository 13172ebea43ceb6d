"""Which kerlite files and functions one warm ``fit`` step runs through.

A reader who wants to follow ``fit`` should not have to open the whole library. This
script measures that path: it builds a small Dense MLP, runs ``fit`` once (so the model,
optimizer and metrics are built), then traces ONE more training step with
``sys.setprofile`` and counts the distinct kerlite source files and functions entered.

    python benchmarks/fit_step_trace.py            # the counts
    python benchmarks/fit_step_trace.py --list     # and the files and functions, in order
    python benchmarks/fit_step_trace.py --step-only  # only what repeats for every batch

The step traced is what ``fit`` runs per batch (``model.fit`` on exactly one batch, so
the per-call setup is counted too: it is part of what a reader meets).
"""

import argparse
import os
import sys


def build_model(keras):
    """784 -> 64 relu -> 64 relu -> 10, RMSprop, sparse cross-entropy, accuracy."""
    inputs = keras.Input((784,))
    x = keras.layers.Dense(64, activation="relu")(inputs)
    x = keras.layers.Dense(64, activation="relu")(x)
    model = keras.Model(inputs, keras.layers.Dense(10)(x))
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def trace_one_step(model, x, y, step_only=False):
    """(files, functions) entered by one ``fit`` call on one batch, in first-seen order;
    with ``step_only``, only inside the per-batch step (``Trainer._train_batch``)."""
    import kerlite

    root = os.path.dirname(os.path.abspath(kerlite.__file__))
    files, functions = {}, {}

    inside = [not step_only]

    def profiler(frame, event, arg):
        if step_only and frame.f_code.co_name == "_train_batch":
            inside[0] = event == "call"
            if event == "return":
                return
        if event != "call" or not inside[0]:
            return
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(root + os.sep):
            return
        relative = os.path.relpath(filename, os.path.dirname(root))
        files.setdefault(relative, None)
        functions.setdefault(f"{relative}:{frame.f_code.co_qualname}", None)

    sys.setprofile(profiler)
    try:
        model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, shuffle=False)
    finally:
        sys.setprofile(None)
    return list(files), list(functions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print files and functions")
    parser.add_argument("--step-only", action="store_true",
                        help="count only what runs per batch (Trainer._train_batch)")
    args = parser.parse_args()
    import numpy

    import kerlite as keras

    generator = numpy.random.default_rng(0)
    x = generator.random((64, 784), dtype=numpy.float32)
    y = generator.integers(0, 10, 64)
    model = build_model(keras)
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)  # builds everything
    files, functions = trace_one_step(model, x, y, args.step_only)
    if args.list:
        print("\n".join(files))
        print()
        print("\n".join(functions))
    what = "one warm training step (per batch)" if args.step_only else "one warm fit step"
    print(f"{what}: {len(files)} kerlite files, {len(functions)} functions")


if __name__ == "__main__":
    main()
