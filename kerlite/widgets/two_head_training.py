"""A model with two outputs trained with chosen loss weights (no widgets here).

The wide & deep network of lesson 06 with an auxiliary output: 8 features go through
two hidden layers; the **main** head reads the features and the last hidden layer, the
**auxiliary** head reads the hidden layer alone. Both predict the same price, each with
its own mean squared error; ``fit`` minimises ``main_weight · main loss + aux_weight ·
aux loss``. A head whose weight is 0 gets no gradient at all: its own weights never
change, so its loss stays high.
"""

import numpy

import kerlite as keras
from kerlite.widgets.explorer_parts import numpy_seeded

HEADS = ("main_output", "aux_output")


def two_head_data(n_samples=400, seed=0):
    """``(features, prices)``: 8 float32 features, prices (n, 1) with a non-linear part."""
    features, linear_part = keras.datasets.make_regression(
        n_samples=n_samples, n_features=8, kind="linear", noise=0.05, seed=seed)
    prices = linear_part + 0.5 * numpy.sin(3 * features[:, 6:7])
    return features, prices.astype("float32")


def two_head_model(seed=0):
    """A fresh wide & deep model with a main and an auxiliary output, its weights seeded."""
    init = keras.initializers.GlorotUniform
    inputs = keras.Input(shape=(8,), name="features")
    hidden1 = keras.layers.Dense(30, activation="relu", kernel_initializer=init(seed),
                                 name="hidden1")(inputs)
    hidden2 = keras.layers.Dense(30, activation="relu", kernel_initializer=init(seed + 1),
                                 name="hidden2")(hidden1)
    wide_and_deep = keras.layers.Concatenate(name="wide_and_deep")([inputs, hidden2])
    main = keras.layers.Dense(1, kernel_initializer=init(seed + 2),
                              name="main_output")(wide_and_deep)
    aux = keras.layers.Dense(1, kernel_initializer=init(seed + 3), name="aux_output")(hidden2)
    return keras.Model(inputs, [main, aux], name="two_heads")


def check_weights(main_weight, aux_weight):
    for name, value in (("main_weight", main_weight), ("aux_weight", aux_weight)):
        if not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"LossWeightsExplorer: {name} must be a number >= 0. "
                             f"Received: {name}={value!r}")


def train_two_heads(main_weight, aux_weight, features, prices, epochs, seed=0, callbacks=()):
    """Fit a fresh model with these loss weights; return its history dict.

    The weights come from seeded initializers and ``fit`` shuffles with NumPy seeded by
    ``seed``, so a run is repeatable; the notebook's random state is left as it was.
    """
    check_weights(main_weight, aux_weight)
    model = two_head_model(seed)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=["mse", "mse"],
                  loss_weights=[float(main_weight), float(aux_weight)])
    with numpy_seeded(seed):
        history = model.fit(features, [prices, prices], batch_size=32, epochs=epochs,
                            validation_split=0.2, verbose=0, callbacks=list(callbacks))
    return history.history


def heads_png(runs, shown=6):
    """One panel per head: its training loss, epoch by epoch, one line per run (PNG).

    Only the last ``shown`` runs are drawn; ``runs`` are dicts with ``main_weight``,
    ``aux_weight`` and ``history``."""
    from kerlite.widgets.figures import figure_png, new_figure

    figure = new_figure(7.6, 2.9)
    panels = figure.subplots(1, 2, sharey=True)
    for axes, head, title in zip(panels, HEADS, ("main head", "auxiliary head")):
        for number, run in list(enumerate(runs, 1))[-shown:]:
            values = run["history"][f"{head}_loss"]
            latest = number == len(runs)
            axes.plot(range(1, len(values) + 1), values, linewidth=2.2 if latest else 1.0,
                      alpha=1.0 if latest else 0.55, marker="o" if latest else None,
                      markersize=2.5, label=f"run {number}: weights {run_label(run)}")
        axes.set_yscale("log")
        axes.set_title(f"{title} ({head}_loss)", fontsize=9)
        axes.set_xlabel("epoch", fontsize=8)
        axes.tick_params(labelsize=7)
        axes.grid(True, alpha=0.3)
    if runs:
        panels[1].legend(fontsize=7, loc="upper right")
    return figure_png(figure, dpi=80)


def run_label(run):
    return f"{run['main_weight']:g} / {run['aux_weight']:g}"
