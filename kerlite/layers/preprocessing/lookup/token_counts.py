"""TokenCounts: what ``adapt`` learns before it picks a vocabulary.

It counts how often each token occurs and, for TF-IDF, in how many documents (samples).
``most_frequent`` then orders the tokens as Keras does: by descending count, ties broken
by descending token order (so "z" before "a", 42 before 12). For strings this is the
order of their UTF-8 bytes, which is the order of Python's own string comparison.
"""

import collections
import math


class TokenCounts:
    """Token and document counts gathered over the batches given to ``adapt``."""

    def __init__(self):
        self.counts = collections.Counter()
        self.document_counts = collections.Counter()
        self.num_documents = 0

    def add_documents(self, documents):
        """``documents``: an iterable of token sequences, one per sample."""
        for document in documents:
            document = list(document)
            self.counts.update(document)
            self.document_counts.update(set(document))
            self.num_documents += 1

    def most_frequent(self, limit=None, exclude=()):
        """The tokens by descending count (then descending token), at most ``limit``."""
        items = [(count, token) for token, count in self.counts.items()
                 if token not in exclude]
        items.sort(reverse=True)
        tokens = [token for _, token in items]
        return tokens if limit is None else tokens[:limit]

    def inverse_document_frequency(self, tokens):
        """``log(1 + num_documents / (1 + documents containing the token))``."""
        return [math.log(1 + self.num_documents / (1 + self.document_counts[token]))
                for token in tokens]
