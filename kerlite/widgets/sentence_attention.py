"""A sentence through words → ids → vectors → ``MultiHeadAttention``: its scores (no widgets).

``SentenceAttention`` takes the three layers a small text model uses (a
``TextVectorization``, an ``Embedding``, a ``MultiHeadAttention`` used as
self-attention) and returns, for one sentence, the score matrix of every head: row ``i``
says how much word ``i`` (the query) takes from each word (the keys); every row sums
to 1. Padding is cut off before the attention, so only the real words take part.

Without layers it builds its own: a vocabulary adapted on the sentences, random word
vectors and a random (untrained) attention, all drawn from ``seed``.
"""

import numpy

import kerlite as keras

DEFAULT_SENTENCES = (
    "the cat sat on the mat",
    "a great film with a brilliant cast",
    "the plot was dull and the ending awful",
    "time flies like an arrow",
    "she gave him the book he wanted",
)


class SentenceAttention:
    """Self-attention scores of a ``MultiHeadAttention`` for whole sentences.

    Args:
        attention: a ``layers.MultiHeadAttention`` (trained or not), called as
            ``attention(vectors, vectors)``; None: a new one (2 heads, key_dim 8).
        embedding: turns a ``(1, n)`` batch of word ids into ``(1, n, features)``
            vectors (an ``Embedding`` layer); None: a new one.
        vectorizer: a ``TextVectorization`` (output_mode "int"); None: one adapted on
            ``sentences``.
        sentences: the sentences to adapt a new vectorizer on.
        seed: seed of the new layers' random weights.
    """

    def __init__(self, attention=None, embedding=None, vectorizer=None,
                 sentences=DEFAULT_SENTENCES, seed=0):
        if vectorizer is None:
            vectorizer = keras.layers.TextVectorization(output_mode="int")
            vectorizer.adapt(list(sentences))
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.get_vocabulary()
        rng = numpy.random.default_rng(seed)
        if embedding is None:
            # zeros first (no draw from kerlite's global generator), then seeded values
            embedding = keras.layers.Embedding(len(self.vocabulary), 16,
                                               embeddings_initializer="zeros")
            embedding.build((None, None))
            _randomize(embedding, rng, scale=1.0)
        self.embedding = embedding
        if attention is None:
            attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8,
                                                        kernel_initializer="zeros")
            features = self.vectors([1])
            attention(features, features)  # builds its weights
            _randomize(attention, rng, scale=0.4)
        self.attention = attention
        self.num_heads = attention.num_heads

    def tokens(self, sentence):
        """``(words, ids)``: the sentence as the vectorizer reads it, padding removed."""
        ids = keras.ops.convert_to_numpy(self.vectorizer([sentence]))[0]
        ids = [int(i) for i in ids if i != 0]
        if not ids:
            raise ValueError(f"AttentionExplorer: the sentence {sentence!r} has no words "
                             "the vectorizer keeps (after lower-casing and removing "
                             "punctuation).")
        return [self.vocabulary[i] for i in ids], ids

    def vectors(self, ids):
        """The ``(1, n, features)`` word vectors of a list of ids."""
        return self.embedding(numpy.asarray([ids], dtype="int64"))

    def scores(self, sentence):
        """``(words, scores)`` with scores ``(num_heads, n, n)`` as NumPy."""
        words, ids = self.tokens(sentence)
        vectors = self.vectors(ids)
        _, scores = self.attention(vectors, vectors, return_attention_scores=True)
        return words, keras.ops.convert_to_numpy(scores)[0]


def _randomize(layer, rng, scale):
    """Give a layer's weights seeded random values (biases zero), drawn by NumPy."""
    for weight in layer.weights:
        shape = tuple(weight.shape)
        if "bias" in weight.path:
            value = numpy.zeros(shape)
        else:
            value = rng.normal(0.0, scale, shape)
        weight.assign(value.astype(keras.backend.floatx()))


def heatmap_png(words, matrix, title):
    """The score matrix as a heat map, words on both axes, each score written in (PNG)."""
    from kerlite.widgets.figures import figure_png, new_figure

    count = len(words)
    side = min(2.2 + 0.42 * count, 7.0)
    figure = new_figure(side + 0.8, side)
    axes = figure.add_subplot(1, 1, 1)
    image = axes.imshow(matrix, cmap="viridis", vmin=0.0, vmax=max(float(matrix.max()), 1e-6))
    axes.set_xticks(range(count), words, rotation=45, ha="right", fontsize=8)
    axes.set_yticks(range(count), words, fontsize=8)
    axes.set_xlabel("key (the word looked at)", fontsize=8)
    axes.set_ylabel("query (the word looking)", fontsize=8)
    if count <= 12:
        threshold = 0.6 * float(matrix.max())
        for row in range(count):
            for col in range(count):
                value = matrix[row, col]
                axes.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=6.5,
                          color="black" if value > threshold else "white")
    figure.colorbar(image, ax=axes, shrink=0.8)
    axes.set_title(title, fontsize=9)
    return figure_png(figure, dpi=80)
