"""The explicit registry of exercise checks: a name ("01.hidden_layers") -> a check function.

Each lesson module (``lesson_00.py``, ``lesson_01.py``, ...) registers its checks with the
``@exercise("NN.short_id")`` decorator when ``kerlite.exercises`` imports it. ``check`` looks a
name up here and nowhere else: no attribute walking, no importing modules by name.
"""

import difflib
import re

CHECKS = {}
NAME_PATTERN = re.compile(r"^\d\d\.[a-z][a-z0-9_]*$")


def exercise(name):
    """Register the decorated function as the check called ``name`` (``"<lesson>.<short id>"``).

    A check function takes the learner's answer(s) (and optional keyword context), returns the
    one-line message shown on success, and calls ``expect(...)`` (or raises ``WrongAnswer``) to
    fail with a hint.
    """
    if not NAME_PATTERN.match(name):
        raise ValueError(f"Exercise names look like '01.hidden_layers' (two-digit lesson, a dot, "
                         f"a lower-case id). Received: name={name!r}")

    def register(check_function):
        if name in CHECKS:
            raise ValueError(f"The exercise {name!r} is registered twice "
                             f"({CHECKS[name].__module__} and {check_function.__module__}).")
        CHECKS[name] = check_function
        return check_function

    return register


def find_check(name):
    """The check registered as ``name``; a ValueError that lists close names otherwise."""
    if name in CHECKS:
        return CHECKS[name]
    close = difflib.get_close_matches(str(name), CHECKS, n=5, cutoff=0.5)
    lesson = str(name).split(".")[0]
    same_lesson = sorted(known for known in CHECKS if known.startswith(lesson + "."))
    suggestions = close or same_lesson
    listed = ", ".join(repr(known) for known in suggestions) if suggestions else "none"
    raise ValueError(f"There is no exercise called {name!r}. Close names: {listed}. "
                     f"(kerlite.exercises.registered_checks() lists them all.)")


def registered_checks():
    """The names of every registered check, sorted."""
    return sorted(CHECKS)
