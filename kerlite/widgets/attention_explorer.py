"""AttentionExplorer: pick a sentence and a head, see where each word looks.

    from kerlite.widgets import AttentionExplorer
    AttentionExplorer()                                   # a random, untrained attention
    AttentionExplorer(attention, embedding, vectorizer)   # the layers of your text model

The heat map is the head's attention scores, computed by the ``MultiHeadAttention``
itself (``return_attention_scores=True``): row = a word as query, column = a word as
key, each row sums to 1.
"""

import html

from kerlite.widgets.explorer_parts import (Explorer, dropdown, int_slider, ipywidgets_module,
                                            message_html, on_change, picture_html)
from kerlite.common.optional import is_available
from kerlite.widgets.sentence_attention import DEFAULT_SENTENCES, SentenceAttention, heatmap_png


class AttentionExplorer(Explorer):
    """A sentence drop-down and a head slider over a ``MultiHeadAttention``'s scores.

    Args:
        attention, embedding, vectorizer: the layers of a text model (see
            ``SentenceAttention``); leave them out for a small random model.
        sentences: the sentences to choose from.
        sentence: the sentence shown first (default: the first one).
        head: the head shown first.
        seed: seed of the random layers made when none are given.
    """

    def __init__(self, attention=None, embedding=None, vectorizer=None,
                 sentences=DEFAULT_SENTENCES, sentence=None, head=0, seed=0):
        sentences = [sentences] if isinstance(sentences, str) else list(sentences)
        if not sentences:
            raise ValueError("AttentionExplorer: give at least one sentence.")
        self.sentences = sentences
        self.model = SentenceAttention(attention, embedding, vectorizer, sentences, seed)
        for each in sentences:  # every choice must work before anything is shown
            self.model.tokens(each)
        self.sentence, self.head = None, None
        self.words, self.all_scores, self.png = None, None, None
        self.update(sentence=sentence if sentence is not None else sentences[0], head=head)
        self.widget = self._build_widget() if is_available("ipywidgets") else None

    # ---- the computation (no widgets) ----------------------------------------------
    def update(self, sentence=None, head=None):
        """Show another sentence and/or head."""
        sentence = self.sentence if sentence is None else sentence
        head = self.head if head is None else head
        if not isinstance(head, int) or not 0 <= head < self.model.num_heads:
            raise ValueError(f"AttentionExplorer: head must be 0 to {self.model.num_heads - 1} "
                             f"(the layer has {self.model.num_heads} heads). Received: "
                             f"head={head!r}")
        if sentence != self.sentence:
            self.words, self.all_scores = self.model.scores(sentence)
        self.sentence, self.head = sentence, head
        self.png = None
        if getattr(self, "widget", None) is not None:
            self._show()

    def scores(self):
        """The shown head's ``(n, n)`` score matrix (rows: queries, columns: keys)."""
        return self.all_scores[self.head]

    # ---- what is shown -------------------------------------------------------------
    def picture_png(self):
        if self.png is None:
            title = f"head {self.head} (heads 0–{self.model.num_heads - 1})"
            self.png = heatmap_png(self.words, self.scores(), title)
        return self.png

    def static_html(self):
        caption = html.escape(
            f"“{self.sentence}” read as {len(self.words)} tokens: {' · '.join(self.words)}. "
            "Row = a word as query, column = the words it looks at; each row sums to 1.")
        return picture_html(self.picture_png(), "attention scores", caption)

    def summary(self):
        return (f"AttentionExplorer: head {self.head} of heads 0–{self.model.num_heads - 1} on "
                f"“{self.sentence}” ({len(self.words)} tokens)")

    # ---- the widget ----------------------------------------------------------------
    def _build_widget(self):
        widgets = ipywidgets_module("show the AttentionExplorer")
        self.controls = {"sentence": dropdown("sentence", self.sentences, self.sentence),
                         "head": int_slider("head", self.head, 0, self.model.num_heads - 1)}
        self.controls["sentence"].layout.width = "420px"
        on_change(self.controls.values(), self._controls_changed)
        self.status, self.drawing = widgets.HTML(), widgets.HTML()
        box = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                            self.drawing])
        box.add_class("kerlite-attention-explorer")
        self.widget = box
        self._show()
        return box

    def _show(self):
        self._sync_controls({"sentence": self.sentence, "head": self.head})
        self.drawing.value = self.static_html()
        self.status.value = message_html(self.summary())
