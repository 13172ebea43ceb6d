"""Draw a ``CurveLog``: one panel per metric, training and validation lines."""

import math

from kerlite.widgets.figures import TRAIN_COLOR, VAL_COLOR, new_figure

PANEL_WIDTH, PANEL_HEIGHT, MAX_COLUMNS = 4.2, 3.0, 3


def curves_figure(metric_count):
    """An empty figure sized for ``metric_count`` panels (at most three per row)."""
    columns = max(1, min(metric_count, MAX_COLUMNS))
    rows = max(1, math.ceil(metric_count / MAX_COLUMNS))
    return new_figure(PANEL_WIDTH * columns, PANEL_HEIGHT * rows)


def draw_curves(figure, log, title=None):
    """Redraw ``figure`` from ``log`` (clears it first; the figure object is reused).

    Dotted vertical lines mark where a later ``fit`` call continued the run.
    """
    figure.clear()
    names = log.metric_names() or ["loss"]
    columns = max(1, min(len(names), MAX_COLUMNS))
    rows = math.ceil(len(names) / columns)
    for index, name in enumerate(names):
        axes = figure.add_subplot(rows, columns, index + 1)
        _draw_panel(axes, log, name)
    if title:
        figure.suptitle(title, fontsize=11)
    return figure


def _draw_panel(axes, log, name):
    for key, label, color in ((name, "training", TRAIN_COLOR),
                              ("val_" + name, "validation", VAL_COLOR)):
        xs, ys = log.series(key)
        if xs:
            axes.plot(xs, ys, color=color, marker="o", markersize=3, linewidth=1.6,
                      label=label)
    for start in log.fit_starts[1:]:
        axes.axvline(start + 0.5, color="0.6", linestyle=":", linewidth=1)
    axes.set_title(name, fontsize=10)
    axes.set_xlabel("epoch", fontsize=9)
    axes.tick_params(labelsize=8)
    axes.grid(True, alpha=0.3)
    last_epoch = max(log.epochs_done, 1)
    axes.set_xlim(0.5, last_epoch + 0.5 if last_epoch > 1 else 1.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if axes.get_lines():
        axes.legend(fontsize=8, loc="best")
