"""kerlite.exercises: the checker a lesson's exercise cells call, and the lessons that use it.

A right answer passes, a wrong one fails with its hint, the untouched ``...`` placeholder neither
passes nor raises, and an exception in the learner's code is reported, not raised. The stored
lessons and their solutions are read as JSON: every check they name exists, the lessons show the
unsolved state and the solutions show only ✓.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers, ops
from kerlite.exercises import CheckResult, check, exercise, expect, registered_checks
from kerlite.exercises.registry import CHECKS

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d\d\.[a-z0-9_]+)["']""")
NOT_ANSWERED = "not answered yet: replace the ... and run this cell"


def _wide_deep(join_input=True):
    features = keras.Input(shape=(8,))
    hidden1 = layers.Dense(30, activation="relu")(features)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    joined = layers.Concatenate()([features if join_input else hidden1, hidden2])
    return keras.Model(features, layers.Dense(1)(joined))


def _slope_at(x):
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = x * ops.sin(x) + x ** 2
    return tape.gradient(y, x)


def _conv_output_size(size, kernel, strides=1, padding="valid"):
    if padding == "same":
        return -(-size // strides)
    return (size - kernel) // strides + 1


def _residual_block(x, join_input=True):
    y = layers.Conv2D(x.shape[-1], 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(x.shape[-1], 3, padding="same")(y)
    return layers.add([x if join_input else y, y])


def _mha_params(features, num_heads, key_dim):
    return 3 * (features * num_heads * key_dim + num_heads * key_dim) + (
        num_heads * key_dim * features + features)


LABELS_5_PERCENT = np.array([1] * 5 + [0] * 95)


# --- the checker's behaviour -------------------------------------------------------------

@pytest.mark.parametrize("name, answer", [
    ("00.chain_rule", (4.0, 4.0, 1.0)),
    ("00.tape_gradient", _slope_at),
    ("01.dense_params", 3232),
    ("01.wide_deep", _wide_deep()),
    ("03.conv_output_size", _conv_output_size),
    ("03.residual_block", _residual_block),
    ("04.pad_and_truncate", [[5, 2, 0], [1, 9, 4]]),
    ("04.lstm_params", lambda features, units: 4 * (features * units + units * units + units)),
    ("05.pool_output_shape", (None, 6, 6, 12)),
    ("05.conv_params", 9632),
    ("06.router_output_shapes", [(5, 1), (5, 4)]),
    ("12.mha_params", _mha_params),
    ("12.normalization", (lambda data: (data.mean(axis=0), data.var(axis=0)),
                          lambda data, mean, variance: (data - mean) / np.sqrt(variance))),
])
def test_a_right_answer_passes(name, answer):
    answers = answer if name == "12.normalization" else (answer,)
    result = check(name, *answers)
    assert isinstance(result, CheckResult)
    assert result.passed and result.answered, result
    assert repr(result).startswith(f"✓ {name}: ")


@pytest.mark.parametrize("name, answer, hint", [
    ("00.chain_rule", (4.0, 4.0, 4.0), "the other factor"),
    ("00.chain_rule", (1.0, 4.0, 1.0), "multiply along the path"),
    ("00.chain_rule", 7, "give three numbers"),
    ("00.tape_gradient", lambda x: 2 * x, "tape.watch(x)"),
    ("01.dense_params", 3200, "plus one bias per unit"),
    ("01.dense_params", "3232", "whole number"),
    ("01.wide_deep", _wide_deep(join_input=False), "the wide path"),
    ("01.wide_deep", layers.Dense(1), "build it with keras.Model"),
    ("03.conv_output_size", lambda size, kernel, strides, padding: size - kernel + 1,
     "only the stride shrinks"),
    ("03.residual_block", lambda x: _residual_block(x, join_input=False), "give back its input"),
    ("04.pad_and_truncate", [[5, 2, 0], [7, 1, 9]], "truncating"),
    ("04.pad_and_truncate", [[0, 5, 2], [1, 9, 4]], "zeros after the words"),
    ("05.pool_output_shape", (None, 7, 7, 12), "pooling by 2 halves"),
    ("06.router_output_shapes", [(None, 1), (None, 4)], "not None"),
    ("12.mha_params", lambda f, h, k: 3 * (f * h * k) + h * k * f, "kernel + bias"),
    ("12.normalization", (lambda data: (data.mean(axis=0), data.var(axis=0, ddof=1)),
                          lambda data, mean, variance: data), "not by n - 1"),
])
def test_a_wrong_answer_fails_with_its_hint(name, answer, hint):
    answers = answer if name == "12.normalization" else (answer,)
    result = check(name, *answers)
    assert not result.passed and result.answered
    assert repr(result).startswith(f"✗ {name}: ")
    assert hint in result.message


@pytest.mark.parametrize("name, answer", [
    ("00.chain_rule", ...),
    ("00.chain_rule", (4.0, ..., 1.0)),          # partly filled
    ("00.tape_gradient", lambda x: ...),         # a function that still returns the placeholder
    ("01.wide_deep", ...),
    ("01.dense_params", {"count": ...}),
])
def test_the_placeholder_neither_passes_nor_raises(name, answer):
    result = check(name, answer)
    assert not result.passed and not result.answered
    assert repr(result) == f"… {name}: {NOT_ANSWERED}"


def _parameter_count(name):
    import inspect

    return len(inspect.signature(CHECKS[name]).parameters)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_treats_the_untouched_placeholders_as_not_answered(name):
    result = check(name, *[...] * _parameter_count(name))
    assert repr(result) == f"… {name}: {NOT_ANSWERED}"


@pytest.mark.parametrize("junk", [0, "text", None, [1, 2]], ids=repr)
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_fails_junk_answers_with_a_hint_and_never_raises(name, junk):
    result = check(name, *[junk] * _parameter_count(name))
    assert result.status == "failed" and result.message, result


def test_class_weights_must_balance_the_classes_in_total():
    assert check("02.class_weight", {0: 1.0, 1: 19.0}, labels=LABELS_5_PERCENT).passed
    wrong = check("02.class_weight", {0: 1.0, 1: 5.0}, labels=LABELS_5_PERCENT)
    assert not wrong.passed and "k times larger weight" in wrong.message


def test_a_regularised_model_must_beat_the_plain_one_on_unseen_digits():
    def plain():
        return keras.Sequential([keras.Input(shape=(256,)), layers.Dense(256, activation="relu"),
                                 layers.Dense(256, activation="relu"),
                                 layers.Dense(10, activation="softmax")])

    def with_dropout():
        return keras.Sequential([keras.Input(shape=(256,)), layers.Dense(256, activation="relu"),
                                 layers.Dropout(0.5), layers.Dense(256, activation="relu"),
                                 layers.Dropout(0.5), layers.Dense(10, activation="softmax")])

    assert check("05.close_the_gap", with_dropout).passed
    result = check("05.close_the_gap", plain)
    assert not result.passed and "memorises" in result.message


def test_a_subclassed_model_with_placeholder_attributes_is_not_answered():
    class Unfinished(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = ...

        def call(self, inputs):
            return ...

    sequential = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(16, activation="relu"),
                                   layers.Dense(3, activation="softmax")])
    inputs = keras.Input(shape=(4,))
    functional = keras.Model(inputs, layers.Dense(3, activation="softmax")(
        layers.Dense(16, activation="relu")(inputs)))
    result = check("00.three_ways", sequential, functional, Unfinished())
    assert not result.answered and not result.passed


def _three_ways_graph_models():
    sequential = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(16, activation="relu"),
                                   layers.Dense(3, activation="softmax")])
    inputs = keras.Input(shape=(4,))
    functional = keras.Model(inputs, layers.Dense(3, activation="softmax")(
        layers.Dense(16, activation="relu")(inputs)))
    return sequential, functional


class _FunctionalThroughASubclass(keras.Model):
    """A Model subclass that only passes inputs and outputs on: still a functional graph."""


def test_a_graph_model_given_as_the_subclassed_answer_fails_with_its_hint():
    sequential, functional = _three_ways_graph_models()
    inputs = keras.Input(shape=(4,))
    through_subclass = _FunctionalThroughASubclass(inputs, layers.Dense(3, activation="softmax")(
        layers.Dense(16, activation="relu")(inputs)))
    for graph_model in (functional, sequential, through_subclass):
        result = check("00.three_ways", sequential, functional, graph_model)
        assert result.answered and not result.passed
        assert "a graph of layers" in result.message and "call(self, inputs)" in result.message


def test_a_real_subclassed_model_passes_three_ways():
    class ThreeWays(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(16, activation="relu")
            self.probabilities = layers.Dense(3, activation="softmax")

        def call(self, inputs):
            return self.probabilities(self.hidden(inputs))

    sequential, functional = _three_ways_graph_models()
    assert check("00.three_ways", sequential, functional, ThreeWays()).passed


def test_an_exception_in_the_learners_code_is_reported_not_raised():
    def broken_slope(x):
        return 1 / 0

    result = check("00.tape_gradient", broken_slope)
    assert not result.passed and result.answered
    assert result.message == "your answer raised ZeroDivisionError: division by zero"


def test_an_unknown_name_is_the_authors_mistake_and_lists_close_names():
    with pytest.raises(ValueError, match=r"no exercise called '01\.wide_dep'.*'01\.wide_deep'"):
        check("01.wide_dep", _wide_deep())


def test_answers_that_do_not_fit_the_check_are_the_authors_mistake():
    with pytest.raises(TypeError, match="00.chain_rule"):
        check("00.chain_rule", (4, 4, 1), (1, 2, 3))


def test_the_text_repr_is_deterministic_and_has_no_memory_address():
    class Opaque:
        pass

    results = [check("00.tape_gradient", lambda x, thing=Opaque(): thing.missing)
               for _ in range(2)]
    assert repr(results[0]) == repr(results[1])
    assert "AttributeError" in results[0].message
    assert not re.search(r"0x[0-9a-fA-F]{4,}", repr(results[0]))
    assert "\n" not in repr(results[0])


def test_the_html_view_escapes_the_message_and_shows_the_status():
    result = CheckResult("00.demo", "failed", "use <b>Dense</b> & relu")
    html = result._repr_html_()
    assert "&lt;b&gt;Dense&lt;/b&gt; &amp; relu" in html and "✗ 00.demo" in html
    assert "kerlite-exercise-failed" in html


def test_the_registry_refuses_bad_and_duplicate_names():
    with pytest.raises(ValueError, match="two-digit lesson"):
        exercise("wide_deep")
    with pytest.raises(ValueError, match="registered twice"):
        exercise("01.wide_deep")(lambda model: "")
    assert "01.wide_deep" in registered_checks()


def test_expect_fails_with_the_hint_and_the_check_returns_it():
    @exercise("99.test_only_positive")
    def positive(number):
        expect(number > 0, "a positive number, please")
        return "positive"

    try:
        assert check("99.test_only_positive", -1).message == "a positive number, please"
        assert check("99.test_only_positive", 2).passed
    finally:
        del CHECKS["99.test_only_positive"]


# --- the lessons and their solutions, read as stored ---------------------------------------

def _cells(path):
    return [cell for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "code"]


def _source(cell):
    return "".join(cell["source"])


def _plain_outputs(cell):
    texts = []
    for output in cell.get("outputs", []):
        plain = output.get("data", {}).get("text/plain", output.get("text", ""))
        texts.append("".join(plain) if isinstance(plain, list) else plain)
    return "\n".join(texts)


def _checked_names(path):
    return [name for cell in _cells(path) for name in CHECK_CALL.findall(_source(cell))]


def test_the_solutions_are_found():
    assert len(SOLUTIONS) >= 8, [path.name for path in SOLUTIONS]


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_check_a_notebook_names_is_registered(path):
    unknown = [name for name in _checked_names(path) if name not in CHECKS]
    assert not unknown, f"{path.name} calls checks that do not exist: {unknown}"
    lesson_number = path.name[:2]
    foreign = [name for name in _checked_names(path) if not name.startswith(lesson_number + ".")]
    assert not foreign, f"{path.name} uses another lesson's checks: {foreign}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_each_solution_shows_only_passing_checks(path):
    names = _checked_names(path)
    assert names, f"{path.name} calls no check"
    for cell in _cells(path):
        shown = _plain_outputs(cell)
        for name in CHECK_CALL.findall(_source(cell)):
            assert f"✓ {name}: " in shown, f"{path.name}: {name} does not show ✓:\n{shown}"
        assert "✗ " not in shown and NOT_ANSWERED not in shown, f"{path.name}: {shown}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_each_solution_solves_the_exercises_of_its_lesson(path):
    lesson = ROOT / "notebooks" / path.name
    assert lesson.exists(), f"{path.name} has no lesson notebooks/{path.name}"
    assert sorted(_checked_names(path)) == sorted(_checked_names(lesson))


@pytest.mark.parametrize("path", [p for p in LESSONS if _checked_names(p)], ids=lambda p: p.name)
def test_stored_lessons_show_their_exercises_unsolved(path):
    for cell in _cells(path):
        for name in CHECK_CALL.findall(_source(cell)):
            assert f"… {name}: {NOT_ANSWERED}" in _plain_outputs(cell), (
                f"{path.name}: the stored lesson should show {name} not answered yet")


def test_every_registered_check_is_used_by_its_lesson():
    used = {name for path in LESSONS for name in _checked_names(path)}
    lessons_with_checks = {name[:2] for name in used}
    unused = [name for name in registered_checks()
              if name[:2] in lessons_with_checks and name not in used]
    assert not unused, f"registered checks no lesson calls: {unused}"
