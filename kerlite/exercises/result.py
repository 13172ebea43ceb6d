"""``CheckResult``: what ``check`` returns, shown as HTML in a notebook and as one line of text.

The text form is deterministic (no memory addresses, no timings), so a stored lesson reads the
same on GitHub, in a terminal and to nbval on every run.
"""

import html
import re

PASSED, FAILED, NOT_ANSWERED = "passed", "failed", "not answered"
_SYMBOLS = {PASSED: "✓", FAILED: "✗", NOT_ANSWERED: "…"}
_COLOURS = {PASSED: ("#1a7f37", "#e8f5ec"), FAILED: ("#cf222e", "#fdecec"),
            NOT_ANSWERED: ("#6e7781", "#f3f4f6")}
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_LONGEST_MESSAGE = 400


def clean_message(text):
    """One deterministic line: memory addresses hidden, whitespace folded, long text cut."""
    text = " ".join(_ADDRESS.sub("0x…", str(text)).split())
    if len(text) > _LONGEST_MESSAGE:
        text = text[:_LONGEST_MESSAGE - 1] + "…"
    return text


class CheckResult:
    """The outcome of one exercise check: ``name``, ``status`` and a one-line ``message``.

    ``passed`` is True only for a right answer; ``answered`` is False while the placeholder
    ``...`` is still there.
    """

    def __init__(self, name, status, message):
        if status not in _SYMBOLS:
            raise ValueError(f"status must be one of {sorted(_SYMBOLS)}. Received: {status!r}")
        self.name = name
        self.status = status
        self.message = clean_message(message)

    @property
    def passed(self):
        return self.status == PASSED

    @property
    def answered(self):
        return self.status != NOT_ANSWERED

    def __repr__(self):
        return f"{_SYMBOLS[self.status]} {self.name}: {self.message}"

    def _repr_html_(self):
        border, background = _COLOURS[self.status]
        return (f'<div class="kerlite-exercise kerlite-exercise-{self.status.replace(" ", "-")}" '
                f'style="border-left:4px solid {border};background:{background};'
                f'padding:4px 10px;margin:2px 0;font-family:sans-serif">'
                f'<b style="color:{border}">{_SYMBOLS[self.status]} {html.escape(self.name)}</b>'
                f' {html.escape(self.message)}</div>')
