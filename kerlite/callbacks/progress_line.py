"""A progress bar and a line of numbers that leave a static copy of themselves in the cell.

A widget lives only as long as its kernel. A notebook stored with its outputs (on GitHub,
nbviewer, or JupyterLab before "Run All") has no widget state, so a bare widget output
shows its text repr there: ``IntProgress(value=0, max=72)``, which says nothing about the
training that ran. So the bar is displayed as *one output with two representations*:

- the live widget (``application/vnd.jupyter.widget-view+json``), which JupyterLab
  prefers whenever the kernel holds the widget;
- a static line (``text/html`` and ``text/plain``), which every other viewer shows.

``finish`` replaces that output in place (same display id) with the final numbers, so
the stored notebook reads ``training ████████████████████ Epoch 5/5 - loss: 0.1200 -
accuracy: 0.9700``.
"""

import html

from kerlite.common.optional import is_available, require

STATIC_CLASS = "kerlite-progress-static"  # the HTML class of the static line
_BAR_WIDTH = 20  # characters of the text bar in the static line


class ProgressLine:
    """A bar counting ``total`` steps, with a text line of numbers beside it.

    Args:
        total: steps to count (None or 0 when unknown: the static bar fills at the end).
        description: a word in front of the bar ("training", "evaluate", "predict").
        display_fn: IPython's ``display`` (tests pass a fake).
        label_class: an extra HTML class for the live text line (for browser tests).
    """

    def __init__(self, total, description, display_fn=None, label_class=None):
        self.total = total or 0
        self.description = description
        self.done = 0
        self.text = ""
        self.finished = False
        self._display_fn = display_fn
        self._handle = None
        self.bar, self.label, self.widget = None, None, None
        if is_available("ipywidgets"):
            import ipywidgets

            self.bar = ipywidgets.IntProgress(value=0, min=0, max=max(self.total, 1),
                                              description=description,
                                              layout=ipywidgets.Layout(width="60%"))
            self.label = ipywidgets.Label(value="")
            if label_class:
                self.label.add_class(label_class)
            self.widget = ipywidgets.VBox([self.bar, self.label])

    def show(self):
        """Display the bar in the current cell (once)."""
        if self._display_fn is None:
            require("IPython", "show a progress bar")
            from IPython.display import display

            self._display_fn = display
        self._handle = self._display_fn(self.bundle(), raw=True, display_id=True)

    def update(self, done, text):
        """Move the bar and change the live line (cheap: the static copy waits for the end)."""
        self.done = min(done, self.total) if self.total else done
        self.text = text
        if self.bar is not None:
            self.bar.value = min(done, self.bar.max)
            self.label.value = text

    def finish(self, text, done=None):
        """The work ended: show ``text`` and write the final static copy into the cell.

        ``done`` is the steps really done (fewer than ``total`` after early stopping:
        the static bar then stops where training stopped)."""
        self.finished = True
        self.update(self.total if done is None else done, text)
        if self._handle is not None:
            self._handle.update(self.bundle(), raw=True)

    # ---- the output ------------------------------------------------------------------

    def static_text(self):
        """``training ████████████████████ Epoch 5/5 - loss: 0.1200``: a text bar, the numbers."""
        if self.total:
            filled = round(_BAR_WIDTH * self.done / self.total)
        else:  # an unknown number of steps: full once finished
            filled = _BAR_WIDTH if self.finished else 0
        bar = "█" * filled + "░" * (_BAR_WIDTH - filled)
        return f"{self.description} {bar} {self.text or 'started'}"

    def static_html(self):
        """The static line as HTML (no JavaScript, no styles: GitHub shows it as it is)."""
        return f'<pre class="{STATIC_CLASS}">{html.escape(self.static_text())}</pre>'

    def bundle(self):
        """The display data: the static line, plus the live widget when ipywidgets is there."""
        data = {}
        if self.widget is not None:
            live = self.widget._repr_mimebundle_()
            data.update(live[0] if isinstance(live, tuple) else live or {})
        data["text/plain"] = self.static_text()
        data["text/html"] = self.static_html()
        return data
