"""model.summary(): the Keras 3 box table, fixed width, checked character for character.

The expected tables below were printed by Keras 3.15 (``print_fn``, 200-column terminal)
for the same models with the same names; kerlite must print exactly the same text.
"""

import os

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers
from kerlite.viz import summary_utils
from kerlite.viz.summary_utils import readable_size, summary_html, summary_rows

MULTI_INPUT = """\
Model: "multi_input"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ features_a (InputLayer)       │ (None, 16)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ features_b (InputLayer)       │ (None, 32)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_a (Dense)               │ (None, 8)                 │             136 │ features_a[0][0]           │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_b (Dense)               │ (None, 8)                 │             264 │ features_b[0][0]           │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ add (Add)                     │ (None, 8)                 │               0 │ dense_a[0][0],             │
│                               │                           │                 │ dense_b[0][0]              │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ scores (Dense)                │ (None, 4)                 │              36 │ add[0][0]                  │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 436 (1.70 KB)
 Trainable params: 436 (1.70 KB)
 Non-trainable params: 0 (0.00 B)
"""

SEED_001_SEQUENTIAL = """\
Model: "seed_001"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ hidden_1 (Dense)                     │ (None, 32)                  │           2,080 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ hidden_2 (Dense)                     │ (None, 32)                  │           1,056 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ probabilities (Dense)                │ (None, 10)                  │             330 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 3,466 (13.54 KB)
 Trainable params: 3,466 (13.54 KB)
 Non-trainable params: 0 (0.00 B)
"""

ENSEMBLE_EXPANDED = """\
Model: "ensemble"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃          Param # ┃ Connected to              ┃ Trainable ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩
│ features (InputLayer)         │ (None, 128)               │                0 │ -                         │     -     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ member_1 (Functional)         │ (None, 1)                 │              129 │ features[0][0]            │     Y     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│    └ member_1_input           │ (None, 128)               │                0 │ -                         │     -     │
│ (InputLayer)                  │                           │                  │                           │           │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│    └ member_1_dense (Dense)   │ (None, 1)                 │              129 │ -                         │     Y     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ member_2 (Functional)         │ (None, 1)                 │              129 │ features[0][0]            │     N     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│    └ member_2_input           │ (None, 128)               │                0 │ -                         │     -     │
│ (InputLayer)                  │                           │                  │                           │           │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│    └ member_2_dense (Dense)   │ (None, 1)                 │              129 │ -                         │     N     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ mean (Average)                │ (None, 1)                 │                0 │ member_1[0][0],           │     -     │
│                               │                           │                  │ member_2[0][0]            │           │
└───────────────────────────────┴───────────────────────────┴──────────────────┴───────────────────────────┴───────────┘
 Total params: 258 (1.01 KB)
 Trainable params: 129 (516.00 B)
 Non-trainable params: 129 (516.00 B)
"""

SIAMESE = """\
Model: "siamese"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ text_a (InputLayer)           │ (None, 20)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ text_b (InputLayer)           │ (None, 20)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ shared_encoder (Dense)        │ (None, 16)                │             336 │ text_a[0][0], text_b[0][0] │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ merged (Concatenate)          │ (None, 32)                │               0 │ shared_encoder[0][0],      │
│                               │                           │                 │ shared_encoder[1][0]       │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ similarity (Dense)            │ (None, 1)                 │              33 │ merged[0][0]               │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 369 (1.44 KB)
 Trainable params: 369 (1.44 KB)
 Non-trainable params: 0 (0.00 B)
"""

MNIST_NARROW = """\
Model: "mnist_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┓
┃                             ┃ Output      ┃              ┃
┃ Layer (type)                ┃ Shape       ┃      Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━┩
│ digits (InputLayer)         │ (None, 784) │            0 │
├─────────────────────────────┼─────────────┼──────────────┤
│ hidden_1 (Dense)            │ (None, 64)  │       50,240 │
├─────────────────────────────┼─────────────┼──────────────┤
│ hidden_2 (Dense)            │ (None, 64)  │        4,160 │
├─────────────────────────────┼─────────────┼──────────────┤
│ logits (Dense)              │ (None, 10)  │          650 │
└─────────────────────────────┴─────────────┴──────────────┘
 Total params: 55,050 (215.04 KB)
 Trainable params: 55,050 (215.04 KB)
 Non-trainable params: 0 (0.00 B)
"""


# ---- models (the seeds' shapes, with explicit names so the text is reproducible) ----


def multi_input_model():
    a = keras.Input(shape=(16,), name="features_a")
    b = keras.Input(shape=(32,), name="features_b")
    x1 = layers.Dense(8, activation="relu", name="dense_a")(a)
    x2 = layers.Dense(8, activation="relu", name="dense_b")(b)
    added = layers.Add(name="add")([x1, x2])
    out = layers.Dense(4, name="scores")(added)
    return keras.Model(inputs=[a, b], outputs=out, name="multi_input")


def seed_001_sequential():
    return keras.Sequential([
        keras.Input((64,)),
        layers.Dense(32, activation="relu", name="hidden_1"),
        layers.Dense(32, activation="relu", name="hidden_2"),
        layers.Dense(10, activation="softmax", name="probabilities"),
    ], name="seed_001")


def ensemble_model():
    def member(i):
        inputs = keras.Input(shape=(128,), name=f"member_{i}_input")
        outputs = layers.Dense(1, name=f"member_{i}_dense")(inputs)
        return keras.Model(inputs, outputs, name=f"member_{i}")

    m1, m2 = member(1), member(2)
    inputs = keras.Input(shape=(128,), name="features")
    outputs = layers.average([m1(inputs), m2(inputs)], name="mean")
    return keras.Model(inputs, outputs, name="ensemble")


def siamese_model():
    text_a, text_b = keras.Input((20,), name="text_a"), keras.Input((20,), name="text_b")
    shared = layers.Dense(16, activation="relu", name="shared_encoder")
    merged = layers.concatenate([shared(text_a), shared(text_b)], name="merged")
    similarity = layers.Dense(1, activation="sigmoid", name="similarity")(merged)
    return keras.Model([text_a, text_b], similarity, name="siamese")


def mnist_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="hidden_1")(inputs)
    x = layers.Dense(64, activation="relu", name="hidden_2")(x)
    outputs = layers.Dense(10, name="logits")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def captured(model, **kwargs):
    texts = []
    model.summary(print_fn=texts.append, **kwargs)
    assert len(texts) == 1, "print_fn gets the whole summary in one call, as in Keras 3"
    return texts[0]


# ---- exact text -----------------------------------------------------------------


def test_branching_model_matches_keras_text_exactly():
    assert captured(multi_input_model()) == MULTI_INPUT


def test_sequential_summary_has_three_columns_and_no_input_row():
    assert captured(seed_001_sequential()) == SEED_001_SEQUENTIAL


def test_shared_layer_lists_both_calls_in_connected_to():
    assert captured(siamese_model()) == SIAMESE


def test_nested_models_expanded_with_trainable_column():
    model = ensemble_model()
    model.get_layer("member_2").trainable = False
    assert captured(model, expand_nested=True, show_trainable=True) == ENSEMBLE_EXPANDED


def test_line_length_and_positions_wrap_headers_like_keras():
    text = captured(mnist_model(), line_length=60, positions=[0.5, 0.75, 1.0])
    assert text == MNIST_NARROW


# ---- options ----------------------------------------------------------------------


def test_nested_model_collapsed_is_one_row_per_model():
    rows = summary_rows(ensemble_model())
    assert [(r.name, r.class_name, r.param_count) for r in rows] == [
        ("features", "InputLayer", 0), ("member_1", "Functional", 129),
        ("member_2", "Functional", 129), ("mean", "Average", 0)]
    assert rows[3].connected_to == ["member_1[0][0]", "member_2[0][0]"]
    expanded = summary_rows(ensemble_model(), expand_nested=True)
    assert [r.depth for r in expanded] == [0, 0, 1, 1, 0, 1, 1, 0]
    assert expanded[3].name == "member_1_dense" and expanded[3].output_shape == "(None, 1)"


def test_nested_sequential_shows_as_sequential():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(2)],
                             name="inner")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(1)(inner(inputs)), name="outer")
    rows = summary_rows(model, expand_nested=True)
    assert [(r.name, r.class_name, r.depth) for r in rows][1:4] == [
        ("inner", "Sequential", 0), ("dense", "Dense", 1), ("dense_1", "Dense", 1)]
    text = captured(model, expand_nested=True)
    assert "│    └ dense (Dense) " in text and "Connected to" not in text


def test_every_line_has_the_requested_width():
    for length in (60, 88, 120):
        lines = captured(multi_input_model(), line_length=length).splitlines()
        table = [line for line in lines if line[0] in "┏┃┡│├└"]
        assert {len(line) for line in table} == {length}


def test_absolute_positions_are_accepted():
    relative = captured(mnist_model(), line_length=60, positions=[0.5, 0.75, 1.0])
    absolute = captured(mnist_model(), line_length=60, positions=[30, 45, 60])
    assert absolute == relative


def test_too_narrow_columns_raise_a_clear_error():
    with pytest.raises(ValueError, match="too narrow"):
        mnist_model().summary(line_length=8)
    with pytest.raises(ValueError, match="positions"):
        mnist_model().summary(positions=[0.5, 1.0])


def test_default_print_goes_to_stdout(capsys):
    model = mnist_model()
    model.summary()
    assert capsys.readouterr().out == captured(model)


def test_summary_does_not_depend_on_terminal_width(monkeypatch):
    model = mnist_model()
    wide = captured(model)
    monkeypatch.setenv("COLUMNS", "40")
    assert captured(model) == wide


def test_show_trainable_marks_frozen_and_weightless_layers():
    model = mnist_model()
    model.get_layer("hidden_1").trainable = False
    text = captured(model, show_trainable=True)
    rows = {r.name: r.trainable for r in summary_rows(model)}
    assert rows == {"digits": None, "hidden_1": False, "hidden_2": True, "logits": True}
    assert " Trainable params: 4,810 (18.79 KB)" in text
    assert " Non-trainable params: 50,240 (196.25 KB)" in text
    assert "┃ Traina… ┃" in text  # Keras cuts the header the same way at this width
    assert [line[-11:] for line in text.splitlines() if line.startswith("│")] == [
        "│    -    │", "│    N    │", "│    Y    │", "│    Y    │"]


def test_layer_range_selects_rows_by_name():
    text = captured(mnist_model(), layer_range=["hidden_1", "hidden_2"])
    assert "hidden_1 (Dense)" in text and "hidden_2 (Dense)" in text
    assert "digits" not in text and "logits" not in text
    assert " Total params: 55,050 (215.04 KB)" in text  # totals stay for the model
    with pytest.raises(ValueError, match="matches no layer"):
        mnist_model().summary(layer_range=["nope", "logits"])


def test_unbuilt_sequential_shows_question_marks():
    model = keras.Sequential([layers.Dense(3), layers.Dense(2)], name="unbuilt")
    text = captured(model)
    assert text.count("│ ?") == 2 and text.count("0 (unbuilt) │") == 2
    assert " Total params: 0 (0.00 B)" in text


# ---- totals -----------------------------------------------------------------------


@pytest.mark.parametrize("num_bytes, text", [
    (0, "0.00 B"), (516, "516.00 B"), (1023, "1023.00 B"), (1024, "1.00 KB"),
    (55_050 * 4, "215.04 KB"), (266_610 * 4, "1.02 MB"), (3 * 1024 ** 3, "3.00 GB")])
def test_readable_size_uses_powers_of_1024(num_bytes, text):
    assert readable_size(num_bytes) == text


def test_totals_count_float64_weights_at_eight_bytes():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2, dtype="float64")])
    assert summary_utils.parameter_totals(model)["Total"] == (10, 80)


def test_shared_weights_are_counted_once():
    totals = summary_utils.parameter_totals(siamese_model())
    assert totals["Total"] == (369, 369 * 4)


# ---- plain rows and HTML ------------------------------------------------------------


def test_rows_are_plain_data():
    rows = summary_rows(multi_input_model())
    add = rows[4]
    assert (add.name, add.class_name, add.output_shape, add.param_count) == (
        "add", "Add", "(None, 8)", 0)
    assert add.connected_to == ["dense_a[0][0]", "dense_b[0][0]"]
    assert add.trainable is None and add.depth == 0 and add.built


def test_html_summary_is_a_table_with_escaped_text():
    markup = summary_html(multi_input_model())
    assert markup.count("<tr>") == 1 + 6
    assert "<th>Connected to</th>" in markup
    assert "<td>dense_a[0][0], dense_b[0][0]</td>" in markup
    assert "Total params: 436 (1.70 KB)" in markup
    assert "0x" not in markup


# ---- parity with Keras 3 ------------------------------------------------------------


def _table_rows(text):
    """The body cells of a summary table, wrapped lines joined (no box art)."""
    rows, lines = [], text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    for line in lines[start + 1:]:
        if line.startswith("├") or line.startswith("└"):
            continue
        if not line.startswith("│"):
            break
        cells = [cell.strip() for cell in line[1:-1].split("│")]
        if cells[0] and not cells[0].startswith("(") or not rows:
            rows.append(cells)
        else:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
    totals = [line for line in lines if line.startswith(" ")]
    return rows, totals


def _build_in(lib):
    """The seeds' dense models, written once, built with kerlite or with Keras."""
    L = lib.layers
    wide_in = lib.Input(shape=(8,), name="housing")
    h1 = L.Dense(30, activation="relu", name="h1")(wide_in)
    h2 = L.Dense(30, activation="relu", name="h2")(h1)
    concat = L.Concatenate(name="concat")([wide_in, h2])
    wide_deep = lib.Model(wide_in, L.Dense(1, name="price")(concat), name="wide_deep")

    in_a, in_b = lib.Input(shape=(5,), name="wide_input"), lib.Input(shape=(6,), name="deep_input")
    d1 = L.Dense(30, activation="relu", name="d1")(in_b)
    d2 = L.Dense(30, activation="relu", name="d2")(d1)
    both = L.concatenate([in_a, d2], name="both")
    two_heads = lib.Model([in_a, in_b], [L.Dense(1, name="main")(both),
                                         L.Dense(1, name="aux")(d2)], name="two_heads")

    images = lib.Input(shape=(28, 28, 1), name="images")
    x = L.Dense(128, name="mlp_1")(images)
    x = L.Dropout(0.5, name="drop_1")(x)
    x = L.Flatten(name="flat")(x)
    mlp = lib.Model(images, L.Dense(10, activation="softmax", name="probs")(x), name="mlp")
    return [wide_deep, two_heads, mlp]


@pytest.mark.parity
def test_output_shapes_params_and_connections_match_keras(monkeypatch):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    real_keras = pytest.importorskip("keras")
    monkeypatch.setenv("COLUMNS", "200")  # Keras sizes its table from the terminal
    for ours, theirs in zip(_build_in(keras), _build_in(real_keras)):
        ours_text, theirs_text = [], []
        ours.summary(print_fn=ours_text.append)
        theirs.summary(print_fn=theirs_text.append)
        assert _table_rows(ours_text[0]) == _table_rows(theirs_text[0]), ours.name


def test_chinese_layer_names_keep_the_table_aligned():
    from kerlite.viz.text_table import cell_len

    inputs = keras.Input((8,), name="输入")
    outputs = layers.Dense(2, name="全连接层_编码器")(inputs)
    text = captured(keras.Model(inputs, outputs, name="中文模型"))
    assert 'Model: "中文模型"' in text
    table = [line for line in text.splitlines() if line[0] in "┏┃┡│├└"]
    assert {cell_len(line) for line in table} == {88}
    assert "│ 全连接层_编码器 (Dense)" in text
