"""ConvExplorer: move kernel size, stride, padding and dilation; watch the output size.

    from kerlite.widgets import ConvExplorer
    ConvExplorer()

Each change builds a real kerlite ``Conv2D`` (one averaging filter) with the chosen
settings and runs it on a handwritten digit: the output size shown is the layer's
answer, and the formula beside it has the numbers filled in. The picture marks the
pixels one output pixel reads (its receptive field) and those its neighbour reads.
Settings Keras refuses (``strides > 1`` with ``dilation_rate > 1``, a window larger than
the image) show the layer's own error message.
"""

import html

import numpy

from kerlite.widgets.conv_arithmetic import (ConvSettings, apply_conv, effective_kernel,
                                             formula_text, padding_before_after,
                                             receptive_field)
from kerlite.widgets.explorer_parts import (Explorer, dropdown, int_slider, ipywidgets_module,
                                            message_html, on_change, picture_html)
from kerlite.common.optional import is_available

PADDINGS = ("valid", "same")


def first_of_each_digit(size):
    """``{label: image}``: the first training digit of each class, ``size × size``, 0..1."""
    from kerlite.datasets import digits

    (images, labels), _ = digits.load_data(size=size)
    return {int(label): images[numpy.flatnonzero(labels == label)[0]].astype("float32") / 255
            for label in range(10)}


class ConvExplorer(Explorer):
    """Sliders for one ``Conv2D`` on a digit: output size, formula, receptive field.

    Args:
        kernel_size, strides, padding, dilation_rate: the starting settings.
        digit: which digit (0-9) to draw on.
        size: the image side in pixels (28: MNIST-shaped digits).
    """

    def __init__(self, kernel_size=3, strides=1, padding="valid", dilation_rate=1, digit=3,
                 size=28):
        self.images = first_of_each_digit(size)
        self.size = size
        self.settings, self.digit = None, None
        self.output_map, self.output_shape, self.error, self.png = None, None, None, None
        self.update(kernel_size=kernel_size, strides=strides, padding=padding,
                    dilation_rate=dilation_rate, digit=digit)
        self.widget = self._build_widget() if is_available("ipywidgets") else None

    # ---- the computation (no widgets) ----------------------------------------------
    def update(self, **changes):
        """Change settings (``kernel_size=5``, ``padding="same"``, ``digit=7``...) and redraw."""
        unknown = set(changes) - set(ConvSettings._fields) - {"digit"}
        if unknown:
            raise TypeError(f"ConvExplorer.update() got unknown settings {sorted(unknown)}; "
                            f"the settings are {list(ConvSettings._fields) + ['digit']}.")
        current = dict(self.settings._asdict()) if self.settings else {}
        current.update({k: v for k, v in changes.items() if k != "digit"})
        settings = ConvSettings(**current)
        digit = changes.get("digit", self.digit)
        _check(settings, digit)
        self.settings, self.digit = settings, digit
        try:
            self.output_map, self.output_shape = apply_conv(self.image, settings)
            self.error = None
        except ValueError as error:  # Keras refuses these settings: show why
            self.output_map, self.output_shape, self.error = None, None, str(error)
        self.png = None
        if getattr(self, "widget", None) is not None:
            self._show()

    @property
    def image(self):
        return self.images[self.digit]

    def output_size(self):
        """``(height, width)`` of the layer's output, or None when it refused."""
        return None if self.output_shape is None else self.output_shape[1:3]

    def chosen_output(self):
        """The output pixel whose receptive field is drawn: the centre one."""
        height, width = self.output_size() or (1, 1)
        return (height - 1) // 2, (width - 1) // 2

    def field(self, output_pixel=None):
        """``(rows, cols)`` of input pixels read by an output pixel (default: the chosen one)."""
        row, col = output_pixel or self.chosen_output()
        return (receptive_field(row, self.size, self.settings),
                receptive_field(col, self.size, self.settings))

    def field_span(self):
        """How many pixels the receptive field spans along each axis."""
        return effective_kernel(self.settings.kernel_size, self.settings.dilation_rate)

    # ---- what is shown -------------------------------------------------------------
    def picture_png(self):
        from kerlite.widgets.conv_drawing import conv_png

        if self.png is None:
            row, col = self.chosen_output()
            pad = padding_before_after(self.size, self.settings)
            has_neighbour = self.output_size() is not None and col + 1 < self.output_size()[1]
            neighbour = self.field((row, col + 1)) if has_neighbour else None
            field = self.field() if self.error is None else ([], [])
            title = f"digit {self.digit}, {self.size}×{self.size}" + (
                f", padding {pad[0]} + {pad[1]}" if any(pad) else "")
            self.png = conv_png(self.image, self.output_map, field if field[0] else None,
                                neighbour, (pad, pad), (row, col), title)
        return self.png

    def layer_text(self):
        s = self.settings
        call = (f"Conv2D(1, kernel_size={s.kernel_size}, strides={s.strides}, "
                f'padding="{s.padding}", dilation_rate={s.dilation_rate})')
        if self.error is not None:
            return f"{call} refuses: {self.error}"
        return f"{call} on a (1, {self.size}, {self.size}, 1) digit → {self.output_shape}"

    def field_text(self):
        s, span = self.settings, self.field_span()
        text = (f"receptive field: {s.kernel_size}×{s.kernel_size} pixels read, spread over "
                f"{span}×{span} (taps {s.dilation_rate} apart)")
        return text + f"; the next output pixel reads {s.strides} further right (the stride)"

    def static_html(self):
        lines = [self.layer_text(), formula_text(self.size, self.settings)]
        if self.error is None:
            lines.append(self.field_text())
        caption = "<br>".join(html.escape(line) for line in lines)
        return picture_html(self.picture_png(), "convolution on a digit", caption)

    def summary(self):
        s = self.settings
        result = ("refused by Conv2D" if self.error is not None
                  else "output {}×{}".format(*self.output_size()))
        return (f"ConvExplorer: kernel_size={s.kernel_size}, strides={s.strides}, "
                f"padding={s.padding!r}, dilation_rate={s.dilation_rate} on a "
                f"{self.size}×{self.size} digit → {result}")

    # ---- the widget ----------------------------------------------------------------
    def _build_widget(self):
        widgets = ipywidgets_module("show the ConvExplorer")
        s = self.settings
        self.controls = {
            "kernel_size": int_slider("kernel size", s.kernel_size, 1, 7),
            "strides": int_slider("stride", s.strides, 1, 4),
            "padding": dropdown("padding", PADDINGS, s.padding),
            "dilation_rate": int_slider("dilation", s.dilation_rate, 1, 4),
            "digit": dropdown("digit", list(range(10)), self.digit),
        }
        on_change(self.controls.values(), self._controls_changed)
        self.status = widgets.HTML()
        self.drawing = widgets.HTML()
        box = widgets.VBox([widgets.HBox(list(self.controls.values())[:3]),
                            widgets.HBox(list(self.controls.values())[3:]),
                            self.status, self.drawing])
        box.add_class("kerlite-conv-explorer")
        self.widget = box
        self._show()
        return box

    def _show(self):
        self._sync_controls({**self.settings._asdict(), "digit": self.digit})
        self.drawing.value = self.static_html()
        self.status.value = message_html(self.summary())


def _check(settings, digit):
    for name in ("kernel_size", "strides", "dilation_rate"):
        value = getattr(settings, name)
        if not isinstance(value, (int, numpy.integer)) or value < 1:
            raise ValueError(f"ConvExplorer: {name} must be a positive integer. "
                             f"Received: {name}={value!r}")
    if settings.padding not in PADDINGS:
        raise ValueError(f"ConvExplorer: padding must be 'valid' or 'same'. "
                         f"Received: padding={settings.padding!r}")
    if digit not in range(10):
        raise ValueError(f"ConvExplorer: digit must be 0 to 9. Received: digit={digit!r}")
