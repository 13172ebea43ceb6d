"""What the explorers share: debounced controls, a picture slot, and a static first view.

An explorer is a small ipywidgets panel: controls on top, one or two pictures below.
Every control reports a new value only when the learner lets go of it
(``continuous_update=False``), so one drag makes one computation, not fifty.

A notebook stored with its outputs has no widget state: GitHub, nbviewer and JupyterLab
before "Run All" show an output's other representations. So an explorer displays as
*one output with two representations*: the live widget for a kernel, and its current
drawing as plain HTML (an inline PNG and text) for every other viewer.
"""

import contextlib
import html

import numpy

from kerlite.widgets.figures import png_img_tag
from kerlite.common.optional import require


def ipywidgets_module(purpose):
    """``ipywidgets``, or ImportError naming what to install."""
    return require("ipywidgets", purpose)


def int_slider(description, value, low, high, step=1):
    """An integer slider that reports its value once the learner lets go."""
    widgets = ipywidgets_module("show an explorer")
    return widgets.IntSlider(value=value, min=low, max=high, step=step,
                             description=description, continuous_update=False,
                             style={"description_width": "initial"})


def float_slider(description, value, low, high, step):
    """A float slider that reports its value once the learner lets go."""
    widgets = ipywidgets_module("show an explorer")
    return widgets.FloatSlider(value=value, min=low, max=high, step=step,
                               description=description, continuous_update=False,
                               style={"description_width": "initial"}, readout_format=".2f")


def choice_slider(description, options, value):
    """A slider over a few chosen values (learning rates 0.001, 0.003, 0.01...)."""
    widgets = ipywidgets_module("show an explorer")
    return widgets.SelectionSlider(options=list(options), value=value,
                                   description=description, continuous_update=False,
                                   style={"description_width": "initial"})


def dropdown(description, options, value):
    """A drop-down list (it reports one value per choice: nothing to debounce)."""
    widgets = ipywidgets_module("show an explorer")
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "initial"})


def on_change(controls, callback):
    """Call ``callback()`` whenever the value of one of ``controls`` changes."""
    for control in controls:
        control.observe(lambda _change: callback(), names="value")


@contextlib.contextmanager
def numpy_seeded(seed):
    """Seed NumPy's global generator for the block (``fit`` shuffles with it), then put
    back its state: a run is repeatable, and the notebook's own random numbers after
    it are the same as if the explorer had never run."""
    saved = numpy.random.get_state()
    numpy.random.seed(seed)
    try:
        yield
    finally:
        numpy.random.set_state(saved)


def picture_html(png_bytes, alt, caption=""):
    """A PNG with a caption under it, as HTML (for a widget and for the static view)."""
    picture = png_img_tag(png_bytes, alt) if png_bytes else ""
    text = (f'<div class="kerlite-explorer-caption" style="font-size:12px">{caption}</div>'
            if caption else "")
    return f'<div class="kerlite-explorer-picture">{picture}{text}</div>'


def message_html(text, color="#555"):
    """One line of plain text, HTML-escaped."""
    return f'<div style="font-size:12px;color:{color}">{html.escape(text)}</div>'


class Explorer:
    """The display side every explorer shares.

    A subclass builds ``self.widget`` (the live panel) and defines ``summary()`` (one
    line of text saying what is shown, stable from run to run: notebook checks compare
    it) and ``static_html()`` (the current drawing without any widget).
    """

    widget = None
    controls = {}  # name -> control widget; each name is an argument of ``update``
    _syncing = False

    def _controls_changed(self):
        """A learner moved a control: apply every control's value."""
        if not self._syncing:
            self.update(**{name: control.value for name, control in self.controls.items()})

    def _sync_controls(self, values):
        """Show ``{name: value}`` on the controls (after ``update`` from Python) without
        reacting to it as if a learner had moved them."""
        self._syncing = True
        try:
            for name, value in values.items():
                control = self.controls[name]
                options = getattr(control, "options", None)
                if options is not None and value not in options:
                    control.options = sorted(set(options) | {value})
                control.value = value
        finally:
            self._syncing = False

    def _run_clicked(self):
        """The Run button: train once, with the button off meanwhile (``status`` says what
        is training: ``_training_text()``)."""
        self.run_button.disabled = True
        self.status.value = message_html(f"training{self._training_text()} ...")
        try:
            self.run()
        finally:
            self.run_button.disabled = False

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = {}
        if self.widget is not None:
            live = self.widget._repr_mimebundle_(**kwargs)
            bundle.update(live[0] if isinstance(live, tuple) else live or {})
        bundle["text/html"] = (f'<div class="kerlite-explorer-static">'
                               f"{message_html(self.summary())}{self.static_html()}</div>")
        bundle["text/plain"] = self.summary()
        return bundle

    def __repr__(self):
        return f"<{self.summary()}>"
