"""Exercises that check the learner: ``check("01.wide_deep", model)`` at the end of a lesson.

The learner replaces the ``...`` in an exercise cell and runs it; ``check`` answers ✓, ✗ with a
hint, or "not answered yet" (it never raises for the learner). Each lesson's checks live in its
own module, registered by name in ``registry.CHECKS``; the imports below fill that registry.
"""

from kerlite.exercises.answers import NotAnswered, WrongAnswer, answered, expect
from kerlite.exercises.checker import check
from kerlite.exercises.registry import exercise, registered_checks
from kerlite.exercises.result import CheckResult

# One module of checks per lesson; importing it registers its checks.
from kerlite.exercises import lesson_00  # noqa: F401
from kerlite.exercises import lesson_01  # noqa: F401
from kerlite.exercises import lesson_02  # noqa: F401
from kerlite.exercises import lesson_03  # noqa: F401
from kerlite.exercises import lesson_04  # noqa: F401
from kerlite.exercises import lesson_05  # noqa: F401
from kerlite.exercises import lesson_06  # noqa: F401
from kerlite.exercises import lesson_07  # noqa: F401
from kerlite.exercises import lesson_08  # noqa: F401
from kerlite.exercises import lesson_09  # noqa: F401
from kerlite.exercises import lesson_10  # noqa: F401
from kerlite.exercises import lesson_11  # noqa: F401
from kerlite.exercises import lesson_12  # noqa: F401

__all__ = ["check", "CheckResult", "exercise", "expect", "answered", "WrongAnswer",
           "NotAnswered", "registered_checks"]
