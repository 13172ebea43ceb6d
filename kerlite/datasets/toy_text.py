"""Seeded toy text as integer token sequences, with a signal a model can learn.

* ``make_tickets``: support tickets for the seeds' multi-input router (title, body and tags in;
  priority and department out), sized like the tutorial (num_words=10000, num_tags=12,
  num_departments=4, titles of 10 tokens, bodies of 100).
* ``make_sentiment``: "reviews" whose label depends on counts of positive and negative words,
  for the bidirectional LSTM (vocabulary 512 as in the seed's ``Embedding(512, 64)``).

Token 0 is padding everywhere. Word ids are fake, but the structure is real: a department has
its own keywords and tags, urgent words raise the priority, positive words make a review positive.
"""

import numpy


def make_tickets(n_samples=1280, num_words=10000, num_tags=12, num_departments=4,
                 title_length=10, body_length=100, seed=None):
    """Return ``(inputs, targets)`` as dicts keyed by the seed model's input and output names.

    inputs:  "title" int32 (n, title_length), "body" int32 (n, body_length) token ids in
             1..num_words-1, "tags" float32 (n, num_tags) multi-hot.
    targets: "priority" float32 (n, 1) in [0, 1]; "department" float32 (n, num_departments)
             one-hot (use ``argmax`` for the class id).
    The department decides which keywords appear in title and body and which tags are likely;
    a few "urgent" words and the first tag raise the priority.
    """
    if num_words < 200 or num_departments < 1 or num_tags < 2:
        raise ValueError(
            "make_tickets needs num_words >= 200, num_tags >= 2, num_departments >= 1. Received: "
            f"num_words={num_words}, num_tags={num_tags}, num_departments={num_departments}"
        )
    rng = numpy.random.default_rng(seed)
    department = rng.permutation(numpy.arange(n_samples) % num_departments)
    # Ids 1..19 are "urgent" words; each department owns 20 keyword ids after them.
    urgent_words = numpy.arange(1, 20)
    keywords = 20 + numpy.arange(num_departments * 20).reshape(num_departments, 20)
    filler_low = 20 + num_departments * 20

    def sentences(length, keyword_rate):
        tokens = rng.integers(filler_low, num_words, (n_samples, length))
        use_keyword = rng.random((n_samples, length)) < keyword_rate
        picked = keywords[department[:, None], rng.integers(0, 20, (n_samples, length))]
        return numpy.where(use_keyword, picked, tokens)

    title = sentences(title_length, 0.3)
    body = sentences(body_length, 0.1)
    urgency = rng.random(n_samples)
    n_urgent = (urgency * 3).astype(int)  # 0, 1 or 2 urgent words in the title
    for k in range(2):
        slots = n_urgent > k
        title[slots, k] = rng.choice(urgent_words, slots.sum())

    tag_affinity = rng.random((num_departments, num_tags)) < 0.3
    tag_probability = numpy.where(tag_affinity[department], 0.6, 0.05)
    tags = (rng.random((n_samples, num_tags)) < tag_probability).astype(numpy.float32)
    priority = numpy.clip(0.15 + 0.3 * n_urgent + 0.2 * tags[:, 0]
                          + rng.normal(0, 0.05, n_samples), 0.0, 1.0)
    inputs = {"title": title.astype(numpy.int32), "body": body.astype(numpy.int32), "tags": tags}
    targets = {
        "priority": priority.astype(numpy.float32)[:, None],
        "department": numpy.eye(num_departments, dtype=numpy.float32)[department],
    }
    return inputs, targets


def make_sentiment(n_samples=1000, length=100, vocab_size=512, min_length=None, seed=None):
    """Return ``(x, y)``: x int32 (n, length) token ids, zero-padded at the front (as
    ``pad_sequences``); y int32 (n,) with 1 for "positive".

    Ids 1..20 are positive words and 21..40 negative ones; the rest are neutral. A review is
    positive when it has more positive than negative words (ties are broken by making sure one
    side wins). Review lengths vary between ``min_length`` (default length // 2) and ``length``.
    """
    if vocab_size < 50:
        raise ValueError(f"`vocab_size` must be >= 50. Received: vocab_size={vocab_size}")
    min_length = max(4, length // 2) if min_length is None else min_length
    if not 1 <= min_length <= length:
        raise ValueError(f"Need 1 <= min_length <= length. Received: {min_length}, {length}")
    rng = numpy.random.default_rng(seed)
    labels = rng.permutation(numpy.arange(n_samples) % 2)
    lengths = rng.integers(min_length, length + 1, n_samples)
    x = rng.integers(41, vocab_size, (n_samples, length))
    # Sprinkle sentiment words: the label's side gets more of them.
    n_strong = rng.integers(2, 5, n_samples)
    n_weak = rng.integers(0, 2, n_samples)
    for i in range(n_samples):
        start = length - lengths[i]  # the review occupies x[i, start:]
        strong_ids = (1 if labels[i] else 21) + rng.integers(0, 20, n_strong[i])
        weak_ids = (21 if labels[i] else 1) + rng.integers(0, 20, n_weak[i])
        words = numpy.concatenate([strong_ids, weak_ids])[: lengths[i]]
        slots = start + rng.choice(lengths[i], size=len(words), replace=False)
        x[i, slots] = words
        x[i, :start] = 0
    return x.astype(numpy.int32), labels.astype(numpy.int32)
