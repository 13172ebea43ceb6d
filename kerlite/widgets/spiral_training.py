"""One short training run on the two spirals, and the decision boundary it learns.

The TrainingExplorer's computation, without widgets: a 2 → width → width → 2 network
(ReLU, logits) trained with the chosen optimizer, learning rate and batch size on
``make_spirals`` points, 20% of them kept for validation. Every run starts from the same
seeded weights and data order, so two runs differ only by their settings.
"""

from collections import namedtuple

import numpy

import kerlite as keras
from kerlite.widgets.explorer_parts import numpy_seeded

TrainingSettings = namedtuple("TrainingSettings", "optimizer learning_rate batch_size width")

OPTIMIZERS = {
    "adam": keras.optimizers.Adam,
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "adagrad": keras.optimizers.Adagrad,
}
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (4, 8, 16, 32, 64, 128, 240)
WIDTHS = (2, 4, 8, 16, 32, 64)
GRID_LIMIT = 1.3  # the spirals lie within radius 1 (plus noise)


def spiral_data(n_samples=300, seed=0):
    """``(points, labels)``: two interleaved spiral arms, float32 points and int labels."""
    return keras.datasets.make_spirals(n_samples=n_samples, n_classes=2, noise=0.1,
                                       turns=1.25, seed=seed)


def spiral_model(width, seed=0):
    """A fresh 2 → width → width → 2 classifier (logits), its weights seeded."""
    init = keras.initializers.GlorotUniform
    inputs = keras.Input(shape=(2,), name="point")
    x = keras.layers.Dense(width, activation="relu", kernel_initializer=init(seed),
                           name="hidden_1")(inputs)
    x = keras.layers.Dense(width, activation="relu", kernel_initializer=init(seed + 1),
                           name="hidden_2")(x)
    outputs = keras.layers.Dense(2, kernel_initializer=init(seed + 2), name="logits")(x)
    return keras.Model(inputs, outputs, name=f"spirals_width_{width}")


def check_settings(settings):
    """ValueError naming the bad setting, before anything is built."""
    if settings.optimizer not in OPTIMIZERS:
        raise ValueError(f"TrainingExplorer: unknown optimizer {settings.optimizer!r}; "
                         f"choose one of {sorted(OPTIMIZERS)}.")
    if not settings.learning_rate > 0:
        raise ValueError("TrainingExplorer: learning_rate must be positive. Received: "
                         f"learning_rate={settings.learning_rate!r}")
    for name in ("batch_size", "width"):
        value = getattr(settings, name)
        if not isinstance(value, (int, numpy.integer)) or value < 1:
            raise ValueError(f"TrainingExplorer: {name} must be a positive integer. "
                             f"Received: {name}={value!r}")


def train_spirals(settings, points, labels, epochs, seed=0, callbacks=()):
    """Build, compile and fit a fresh model; return ``(model, history_dict)``.

    The weights come from seeded initializers and ``fit`` shuffles with NumPy seeded by
    ``seed``, so a run is repeatable; the notebook's random state is left as it was.
    """
    check_settings(settings)
    model = spiral_model(settings.width, seed)
    model.compile(optimizer=OPTIMIZERS[settings.optimizer](learning_rate=settings.learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    with numpy_seeded(seed):
        history = model.fit(points, labels, batch_size=settings.batch_size, epochs=epochs,
                            validation_split=0.2, verbose=0, callbacks=list(callbacks))
    return model, history.history


def boundary_grid(model, steps=70):
    """``(xs, ys, probability_of_class_1)`` over a square grid around the spirals."""
    axis = numpy.linspace(-GRID_LIMIT, GRID_LIMIT, steps, dtype="float32")
    xs, ys = numpy.meshgrid(axis, axis)
    grid = numpy.stack([xs.ravel(), ys.ravel()], axis=1)
    logits = model.predict(grid, batch_size=len(grid), verbose=0)
    logits = logits - logits.max(axis=1, keepdims=True)
    probabilities = numpy.exp(logits) / numpy.exp(logits).sum(axis=1, keepdims=True)
    return xs, ys, probabilities[:, 1].reshape(xs.shape)


def boundary_png(model, points, labels, title):
    """The points coloured by class over the model's probability of class 1, as PNG."""
    from kerlite.widgets.figures import figure_png, new_figure

    xs, ys, probability = boundary_grid(model)
    figure = new_figure(3.4, 3.4)
    axes = figure.add_subplot(1, 1, 1)
    axes.contourf(xs, ys, probability, levels=numpy.linspace(0, 1, 11), cmap="RdBu_r",
                  alpha=0.55)
    axes.contour(xs, ys, probability, levels=[0.5], colors="k", linewidths=1.2)
    for label, color in ((0, "#08306b"), (1, "#67000d")):
        chosen = labels == label
        axes.scatter(points[chosen, 0], points[chosen, 1], s=10, color=color,
                     edgecolors="white", linewidths=0.3)
    axes.set_xlim(-GRID_LIMIT, GRID_LIMIT)
    axes.set_ylim(-GRID_LIMIT, GRID_LIMIT)
    axes.set_aspect("equal")
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_title(title, fontsize=9)
    return figure_png(figure, dpi=80)
