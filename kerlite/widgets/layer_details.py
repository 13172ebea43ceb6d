"""What a learner wants to know about one layer: config, weights, parameter count.

``layer_facts`` gathers it as plain data (tested without drawing); ``layer_details_html``
shows it as a small HTML block; ``weight_histograms_png`` draws one histogram per
weight (how the values are spread: right after initialisation, after training).
"""

import html

import numpy as np

from kerlite.widgets.figures import TRAIN_COLOR, figure_png, new_figure


def _short(value):
    """A config value in a few characters (an initializer shows as its class name)."""
    if isinstance(value, dict) and "class_name" in value:
        return value["class_name"]
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _weight_name(weight):
    return getattr(weight, "path", None) or getattr(weight, "name", "weight")


def layer_facts(layer):
    """``{"name", "class_name", "config", "weights", "param_count", "trainable"}``.

    ``weights`` is a list of ``(name, shape, dtype, trainable)``.
    """
    try:
        config = dict(layer.get_config())
    except Exception as error:  # a custom layer without get_config must not break the view
        config = {"get_config() failed": f"{type(error).__name__}: {error}"}
    weights = [(_weight_name(w), tuple(w.shape), str(w.dtype), bool(w.trainable))
               for w in getattr(layer, "weights", [])]
    built = getattr(layer, "built", True)
    return {
        "name": layer.name,
        "class_name": type(layer).__name__,
        "config": config,
        "weights": weights,
        "param_count": layer.count_params() if built and hasattr(layer, "count_params") else 0,
        "trainable": bool(getattr(layer, "trainable", True)),
    }


def _grid(rows, columns):
    """A compact table made of a CSS grid (notebook table styles would pad it widely)."""
    cells = "".join(f'<div style="padding:1px 10px 1px 0">{cell}</div>'
                    for row in rows for cell in row)
    return (f'<div style="display:grid;grid-template-columns:repeat({columns},auto);'
            f'justify-content:start;margin:4px 0">{cells}</div>')


def layer_details_html(layer):
    """Name, parameter count, weight shapes and config of ``layer`` as HTML."""
    facts = layer_facts(layer)
    esc = html.escape
    parts = ['<div style="font-family:Helvetica,Arial,sans-serif;font-size:12px">'
             f'<div style="font-size:14px"><b>{esc(facts["name"])}</b> '
             f'({esc(facts["class_name"])})</div>',
             f'<div>{facts["param_count"]:,} parameters'
             f'{"" if facts["trainable"] else " (frozen)"}</div>']
    if facts["weights"]:
        header = [[f"<b>{title}</b>" for title in ("weight", "shape", "dtype", "trainable")]]
        rows = [[esc(name), str(shape), esc(dtype), str(trainable)]
                for name, shape, dtype, trainable in facts["weights"]]
        parts.append(_grid(header + rows, 4))
    else:
        parts.append("<div>no weights</div>")
    config = [[esc(str(key)), f"<code>{esc(_short(value))}</code>"]
              for key, value in facts["config"].items()
              if key != "name" and value is not None]
    parts.append(f"<details><summary>config</summary>{_grid(config, 2)}</details></div>")
    return "".join(parts)


def weight_histograms_png(layer, bins=30):
    """One histogram per weight of ``layer`` as PNG bytes, or None without weights."""
    weights = list(getattr(layer, "weights", []))
    if not weights:
        return None
    figure = new_figure(min(3.0 * len(weights), 9.0), 2.4)
    for index, weight in enumerate(weights):
        axes = figure.add_subplot(1, len(weights), index + 1)
        values = np.asarray(weight.numpy() if hasattr(weight, "numpy") else weight).ravel()
        axes.hist(values, bins=bins, color=TRAIN_COLOR, alpha=0.85)
        axes.set_title(f"{_weight_name(weight).split('/')[-1]} {tuple(weight.shape)}",
                       fontsize=9)
        axes.tick_params(labelsize=7)
        axes.set_yticks([])
    figure.suptitle(f"{layer.name}: weight values", fontsize=10)
    return figure_png(figure)
