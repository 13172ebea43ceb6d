"""What a check uses to judge an answer: ``expect`` (fail with a hint) and the placeholder test.

A learner's cell starts as ``model = ...``: the answer is Ellipsis, or holds one (``[..., 32]``),
or is a function that still returns one. ``NotAnswered`` marks that state; it is neither a right
nor a wrong answer, so ``check`` shows it neutrally.
"""


class WrongAnswer(Exception):
    """Raised by a check when the answer is wrong; its message is the hint."""


class NotAnswered(Exception):
    """Raised by a check when the answer still contains the ``...`` placeholder."""


def expect(condition, hint):
    """Fail the check with ``hint`` unless ``condition`` is true."""
    if not condition:
        raise WrongAnswer(hint)


def contains_placeholder(answer, depth=0):
    """True when ``answer`` is ``...`` or a list/tuple/set/dict that holds one (a few levels deep)."""
    if answer is Ellipsis:
        return True
    if depth > 4:
        return False
    if isinstance(answer, dict):
        values = list(answer.keys()) + list(answer.values())
    elif isinstance(answer, (list, tuple, set, frozenset)):
        values = list(answer)
    else:
        return False
    return any(contains_placeholder(value, depth + 1) for value in values)


def answered(value):
    """``value`` itself, after making sure it is not (or does not hold) the placeholder.

    Use it on what a learner's function returns: ``answered(loss_function(y, p))``.
    """
    if contains_placeholder(value):
        raise NotAnswered()
    return value
