"""Figures of the inspector: activations of one sample, gradient norm per layer."""

import math

import numpy as np

from kerlite.widgets.figures import TRAIN_COLOR, new_figure

MAX_FEATURE_MAPS = 32
MAX_COLUMNS = 9


def activation_figure(sample_activation, title, input_image=None):
    """Draw one sample's activation of one layer (batch axis already removed).

    - (height, width, channels): one small image per channel (at most 32), all on
      one colour scale (a dead filter looks dark), after the ``input_image`` if given;
    - (steps, features): a heatmap, time going down;
    - (features,): one bar per unit (a heatmap strip when there are many);
    - anything else is flattened to bars.
    """
    values = np.asarray(sample_activation, dtype=np.float32)
    if values.ndim == 3:
        return _feature_maps(values, title, input_image)
    if values.ndim == 2:
        figure = new_figure(6.0, 3.2)
        axes = figure.add_subplot(1, 1, 1)
        image = axes.imshow(values, aspect="auto", cmap="viridis", interpolation="nearest")
        axes.set_xlabel("feature", fontsize=9)
        axes.set_ylabel("step", fontsize=9)
        figure.colorbar(image, ax=axes)
        axes.set_title(title, fontsize=10)
        return figure
    flat = values.ravel()
    figure = new_figure(6.0, 2.6)
    axes = figure.add_subplot(1, 1, 1)
    if flat.size <= 128:
        colors = [TRAIN_COLOR if v >= 0 else "#d62728" for v in flat]
        axes.bar(np.arange(flat.size), flat, color=colors)
        axes.set_xlabel("unit", fontsize=9)
        axes.axhline(0, color="0.3", linewidth=0.8)
    else:
        image = axes.imshow(flat[None, :], aspect="auto", cmap="viridis")
        axes.set_yticks([])
        axes.set_xlabel("unit", fontsize=9)
        figure.colorbar(image, ax=axes)
    axes.set_title(title, fontsize=10)
    axes.tick_params(labelsize=8)
    return figure


def _feature_maps(values, title, input_image=None):
    channels = min(values.shape[-1], MAX_FEATURE_MAPS)
    first = 0 if input_image is None else 1
    panels = channels + first
    rows = math.ceil(panels / MAX_COLUMNS)
    columns = math.ceil(panels / rows)  # balanced rows: 9 panels -> one row of 9
    figure = new_figure(1.25 * columns + 0.4, 1.3 * rows + 0.5)
    if input_image is not None:
        axes = figure.add_subplot(rows, columns, 1)
        image = np.asarray(input_image, dtype=np.float32)
        axes.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray")
        axes.set_title("input", fontsize=7, fontweight="bold")
        axes.set_xticks([])
        axes.set_yticks([])
    low, high = float(values.min()), float(values.max())
    for channel in range(channels):
        axes = figure.add_subplot(rows, columns, first + channel + 1)
        axes.imshow(values[:, :, channel], cmap="viridis", interpolation="nearest",
                    vmin=low, vmax=high if high > low else low + 1)
        axes.set_title(f"map {channel}", fontsize=7)
        axes.set_xticks([])
        axes.set_yticks([])
    shown = "" if channels == values.shape[-1] else f" (first {channels} of {values.shape[-1]})"
    figure.suptitle(f"{title}: feature maps{shown}", fontsize=10)
    return figure


def gradient_norm_figure(norms):
    """Bars of gradient norm per layer, input side on the left, on a log scale."""
    names = list(norms)
    values = [max(norms[name], 1e-30) for name in names]
    figure = new_figure(max(4.0, 0.7 * len(names) + 1.5), 3.0)
    axes = figure.add_subplot(1, 1, 1)
    bars = axes.bar(range(len(names)), values, color=TRAIN_COLOR)
    axes.bar_label(bars, labels=[f"{v:.1e}" for v in values], fontsize=7, padding=2)
    axes.set_yscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda value, _: f"{value:g}")  # 0.3 rather than 3x10^-1
    axes.yaxis.set_major_formatter(plain)
    # within one decade there is at most one major tick: label the minor ones too
    few_decades = max(values) < 10 * min(values)
    axes.yaxis.set_minor_formatter(plain if few_decades else NullFormatter())
    axes.tick_params(axis="y", which="both", labelsize=8)
    axes.margins(y=0.15)
    axes.set_xticks(range(len(names)))
    axes.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    axes.set_ylabel("gradient norm (log scale)", fontsize=9)
    axes.set_xlabel("input side  →  output side", fontsize=8)
    axes.set_title("gradient norm per layer (one batch)", fontsize=10)
    axes.grid(True, axis="y", alpha=0.3)
    return figure
