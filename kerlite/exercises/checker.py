"""``check(name, *answers, **context)``: run one registered exercise check on a learner's answer.

It never raises for the learner: a right answer is ✓ with a message, a wrong one ✗ with a hint
that points at the idea, the untouched placeholder ``...`` is a neutral "not answered yet", and an
exception inside the learner's code becomes ✗ with its type and message. Only a mistake of the
lesson's author (an unknown name, answers that do not fit the check) raises.
"""

import inspect

from kerlite.exercises.answers import NotAnswered, WrongAnswer, contains_placeholder
from kerlite.exercises.registry import find_check
from kerlite.exercises.result import FAILED, NOT_ANSWERED, PASSED, CheckResult

NOT_ANSWERED_MESSAGE = "not answered yet: replace the ... and run this cell"


def check(name, *answers, **context):
    """Check the learner's ``answers`` with the exercise registered as ``name``; return the result.

    Example, at the end of a lesson's exercise cell::

        from kerlite.exercises import check
        check("01.hidden_layers", model)
    """
    check_function = find_check(name)
    try:
        inspect.signature(check_function).bind(*answers, **context)
    except TypeError as error:
        raise TypeError(f"The exercise {name!r} was called with answers it does not take: "
                        f"{error}. Its signature: {inspect.signature(check_function)}") from None
    if any(contains_placeholder(answer) for answer in answers):
        return CheckResult(name, NOT_ANSWERED, NOT_ANSWERED_MESSAGE)
    try:
        message = check_function(*answers, **context)
    except NotAnswered:
        return CheckResult(name, NOT_ANSWERED, NOT_ANSWERED_MESSAGE)
    except WrongAnswer as wrong:
        return CheckResult(name, FAILED, str(wrong))
    except Exception as error:  # the learner's code failed: report it, never raise
        return CheckResult(name, FAILED, f"your answer raised {type(error).__name__}: {error}")
    return CheckResult(name, PASSED, message)
