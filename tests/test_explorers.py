"""The explorers' logic without a browser: sizes, fields, runs and scores are kerlite's own.

Controls are moved by setting a widget's ``.value`` in Python, as the browser would.
"""

import itertools

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import kerlite as keras  # noqa: E402
from kerlite import layers  # noqa: E402
from kerlite.widgets import (AttentionExplorer, ConvExplorer, LossWeightsExplorer,  # noqa: E402
                             TrainingExplorer)
from kerlite.widgets.conv_arithmetic import (ConvSettings, conv_output_size,  # noqa: E402
                                             formula_text)
from test_stored_notebooks import output_problems  # noqa: E402
from _keras_reference import import_keras  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CONV_SETTINGS = list(itertools.product([1, 2, 3, 4, 5, 7], [1, 2, 3], ["valid", "same"],
                                       [1, 2, 3]))


@pytest.fixture(scope="module")
def conv_explorer():
    return ConvExplorer()


@pytest.fixture(scope="module")
def computing_explorer():
    """A ConvExplorer that computes but draws nothing (as without ipywidgets): fast sweeps."""
    explorer = ConvExplorer()
    explorer.widget = None
    return explorer


def layer_size(kernel_size, strides, padding, dilation_rate, size=28):
    """What a Conv2D built here, independently of the explorer, says."""
    inputs = keras.Input(shape=(size, size, 1))
    outputs = layers.Conv2D(4, kernel_size, strides=strides, padding=padding,
                            dilation_rate=dilation_rate)(inputs)
    return tuple(outputs.shape[1:3])


# ---- ConvExplorer ---------------------------------------------------------------------

def test_conv_explorer_sizes_equal_conv2d_output_shapes(computing_explorer):
    conv_explorer = computing_explorer
    checked = refused = 0
    for k, s, p, d in CONV_SETTINGS:
        conv_explorer.update(kernel_size=k, strides=s, padding=p, dilation_rate=d)
        try:
            expected = layer_size(k, s, p, d)
        except ValueError:  # Keras refuses strides > 1 with dilation_rate > 1
            assert conv_explorer.output_size() is None and conv_explorer.error, (k, s, p, d)
            assert "refused by Conv2D" in conv_explorer.summary()
            refused += 1
            continue
        assert conv_explorer.error is None, (k, s, p, d, conv_explorer.error)
        assert conv_explorer.output_size() == expected, (k, s, p, d)
        assert conv_explorer.output_map.shape == expected
        assert conv_output_size(28, ConvSettings(k, s, p, d)) == expected[0]
        assert formula_text(28, conv_explorer.settings).endswith(f"= {expected[0]}") or (
            f"= {expected[0]} (zeros added" in formula_text(28, conv_explorer.settings))
        checked += 1
    assert checked >= 50 and refused >= 20, (checked, refused)


@pytest.mark.parity
def test_conv_explorer_sizes_equal_keras_conv2d(computing_explorer):
    real_keras = import_keras()
    explorer = computing_explorer
    for k, s, p, d in [(3, 1, "valid", 1), (5, 2, "same", 1), (4, 3, "valid", 1),
                       (3, 1, "same", 3), (7, 1, "valid", 2), (2, 4, "same", 1)]:
        explorer.update(kernel_size=k, strides=s, padding=p, dilation_rate=d)
        layer = real_keras.layers.Conv2D(1, k, strides=s, padding=p, dilation_rate=d)
        expected = layer.compute_output_shape((1, 28, 28, 1))
        assert explorer.output_shape == tuple(expected), (k, s, p, d)


def pixels_read_by(output_pixel, settings, size=28):
    """The input pixels that change one output pixel, found by poking each input pixel."""
    layer = layers.Conv2D(1, settings.kernel_size, strides=settings.strides,
                          padding=settings.padding, dilation_rate=settings.dilation_rate,
                          use_bias=False, kernel_initializer="ones")
    row, col = output_pixel
    found = set()
    for i in range(size):
        for j in range(size):
            image = np.zeros((1, size, size, 1), "float32")
            image[0, i, j, 0] = 1.0
            if keras.ops.convert_to_numpy(layer(image))[0, row, col, 0] != 0:
                found.add((i, j))
    return found


@pytest.mark.parametrize("settings", [ConvSettings(3, 1, "valid", 1), ConvSettings(5, 2, "same", 1),
                                      ConvSettings(3, 1, "same", 3), ConvSettings(4, 3, "same", 1),
                                      ConvSettings(2, 1, "valid", 4)], ids=str)
def test_receptive_field_is_what_the_layer_reads(settings):
    size = 12
    explorer = ConvExplorer(*settings, size=size)
    rows, cols = explorer.field()
    drawn = {(i, j) for i in rows for j in cols if 0 <= i < size and 0 <= j < size}
    assert drawn == pixels_read_by(explorer.chosen_output(), settings, size)
    span = (settings.kernel_size - 1) * settings.dilation_rate + 1
    assert explorer.field_span() == span == rows[-1] - rows[0] + 1
    assert len(rows) == len(cols) == settings.kernel_size
    assert f"spread over {span}×{span}" in explorer.static_html()


def test_moving_a_conv_control_changes_the_drawing(conv_explorer):
    conv_explorer.update(kernel_size=3, strides=1, padding="valid", dilation_rate=1, digit=3)
    controls = conv_explorer.controls
    for name, value in [("kernel_size", 3), ("strides", 1), ("padding", "valid"),
                        ("dilation_rate", 1), ("digit", 3)]:
        controls[name].value = value
    before, summary = conv_explorer.drawing.value, conv_explorer.summary()
    assert "output 26×26" in summary
    controls["strides"].value = 2
    assert "output 13×13" in conv_explorer.summary()
    assert conv_explorer.drawing.value != before
    after_stride = conv_explorer.drawing.value
    controls["padding"].value = "same"
    assert "output 14×14" in conv_explorer.status.value
    assert conv_explorer.drawing.value != after_stride
    digit_before = conv_explorer.picture_png()
    controls["digit"].value = 7
    assert conv_explorer.picture_png() != digit_before
    controls["dilation_rate"].value = 2  # with stride 2: the layer refuses, and says why
    assert "strides &gt; 1" in conv_explorer.drawing.value or "strides > 1" in (
        conv_explorer.drawing.value)
    assert all(not getattr(c, "continuous_update", False) for c in controls.values())


def test_bad_conv_settings_are_refused_before_anything_changes(conv_explorer):
    conv_explorer.update(kernel_size=3, strides=1, padding="valid", dilation_rate=1)
    summary = conv_explorer.summary()
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        conv_explorer.update(padding="full")
    with pytest.raises(ValueError, match="kernel_size must be a positive integer"):
        conv_explorer.update(kernel_size=0)
    with pytest.raises(ValueError, match="digit must be 0 to 9"):
        conv_explorer.update(digit=12)
    with pytest.raises(TypeError, match="unknown settings \\['stride'\\]"):
        conv_explorer.update(stride=2)
    assert conv_explorer.summary() == summary


# ---- static first view ------------------------------------------------------------------

def test_each_explorer_displays_a_widget_and_a_static_picture(conv_explorer):
    explorers = [conv_explorer, TrainingExplorer(epochs=3),
                 LossWeightsExplorer(epochs=3), AttentionExplorer()]
    for explorer in explorers:
        bundle = explorer._repr_mimebundle_()
        assert WIDGET_VIEW in bundle, type(explorer).__name__
        assert '<img alt="' in bundle["text/html"] and "data:image/png;base64," in bundle[
            "text/html"]
        assert bundle["text/plain"] == explorer.summary()
        assert "Explorer" in bundle["text/plain"] and "0x" not in bundle["text/plain"]
        stored = {"output_type": "execute_result", "data": bundle}
        assert output_problems(stored) == "", type(explorer).__name__


# ---- TrainingExplorer -------------------------------------------------------------------

def test_training_explorer_run_lowers_the_loss_and_redraws():
    explorer = TrainingExplorer(epochs=30, run_first=False)
    untrained = explorer.boundary_png()
    assert "press Run" in explorer.summary()
    history = explorer.run()
    assert history["loss"][-1] < 0.5 * history["loss"][0], history["loss"]
    assert history["val_accuracy"][-1] > 0.8
    assert explorer.curves.draw_count >= 1 and explorer.curves.last_png
    assert explorer.boundary_png() != untrained
    assert "learning curves" in explorer.curves.picture.value
    assert explorer.curves.bar.value == explorer.curves.bar.max  # the progress bar is full
    assert "(1 run)" in explorer.summary()


def test_training_explorer_controls_change_the_next_run():
    explorer = TrainingExplorer(epochs=20, run_first=False)
    before = explorer.boundary_view.value
    explorer.controls["width"].value = 4
    assert explorer.settings.width == 4 and explorer.boundary_view.value != before
    explorer.controls["optimizer"].value = "sgd"
    explorer.controls["learning_rate"].value = 0.001
    explorer._run_clicked()
    slow = explorer.history["loss"][-1]
    explorer.controls["optimizer"].value = "adam"
    explorer.controls["learning_rate"].value = 0.03
    explorer._run_clicked()
    assert explorer.history["loss"][-1] < slow
    assert [run["optimizer"] for run in explorer.runs] == ["sgd", "adam"]
    assert explorer.runs_view.value.count("<tr>") == 3  # header and two runs
    assert not explorer.run_button.disabled
    with pytest.raises(ValueError, match="unknown optimizer"):
        explorer.update(optimizer="lbfgs")


def test_training_explorer_runs_are_repeatable():
    first = TrainingExplorer(epochs=5, run_first=False).run()
    second = TrainingExplorer(epochs=5, run_first=False).run()
    assert first["loss"] == second["loss"]


# ---- LossWeightsExplorer ----------------------------------------------------------------

def test_loss_weights_change_what_each_head_learns():
    explorer = LossWeightsExplorer(epochs=15, run_first=False)
    assert explorer.runs == [] and "press Run" in explorer.summary()
    explorer.controls["main_weight"].value = 1.0
    explorer.controls["aux_weight"].value = 0.0
    explorer._run_clicked()
    main_only = explorer.final_losses()
    picture_one_run = explorer.drawing.value
    explorer.controls["main_weight"].value = 0.0
    explorer.controls["aux_weight"].value = 1.0
    explorer._run_clicked()
    aux_only = explorer.final_losses()
    assert main_only["main_output"] < 0.5 * aux_only["main_output"], (main_only, aux_only)
    assert aux_only["aux_output"] < 0.5 * main_only["aux_output"], (main_only, aux_only)
    assert main_only["total"] == pytest.approx(main_only["main_output"], rel=1e-5)
    assert aux_only["total"] == pytest.approx(aux_only["aux_output"], rel=1e-5)
    assert explorer.drawing.value != picture_one_run
    assert "1 / 0" in explorer.runs_view.value and "0 / 1" in explorer.runs_view.value


def test_loss_weights_total_is_the_weighted_sum():
    explorer = LossWeightsExplorer(main_weight=0.7, aux_weight=0.3, epochs=4)
    losses = explorer.final_losses()
    assert losses["total"] == pytest.approx(0.7 * losses["main_output"]
                                            + 0.3 * losses["aux_output"], rel=1e-4)
    with pytest.raises(ValueError, match="aux_weight must be a number >= 0"):
        explorer.update(aux_weight=-1.0)
    assert explorer.weights == (0.7, 0.3)


# ---- AttentionExplorer ------------------------------------------------------------------

def layer_scores(explorer, sentence):
    """The scores the explorer's MultiHeadAttention gives, called here directly."""
    _, ids = explorer.model.tokens(sentence)
    vectors = explorer.model.embedding(np.asarray([ids], "int64"))
    _, scores = explorer.model.attention(vectors, vectors, return_attention_scores=True)
    return keras.ops.convert_to_numpy(scores)[0]


def test_attention_scores_are_the_layers_and_rows_sum_to_one():
    explorer = AttentionExplorer()
    explorer.widget = None  # compute only: no heat map drawn for each choice
    for sentence in explorer.sentences:
        expected = layer_scores(explorer, sentence)
        for head in range(explorer.model.num_heads):
            explorer.update(sentence=sentence, head=head)
            scores = explorer.scores()
            assert scores.shape == (len(explorer.words),) * 2
            np.testing.assert_allclose(scores, expected[head], rtol=1e-6, atol=1e-7)
            np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(expected[0], expected[1])  # two heads, two patterns


def test_attention_explorer_on_a_text_models_layers_ignores_padding():
    sentences = ["a good film", "the best film of the year, good fun"]
    vectorizer = layers.TextVectorization(max_tokens=30, output_sequence_length=12)
    vectorizer.adapt(sentences)
    embedding = layers.Embedding(vectorizer.vocabulary_size(), 8, mask_zero=True)
    attention = layers.MultiHeadAttention(num_heads=3, key_dim=4)
    ids = keras.Input(shape=(12,), dtype="int64")
    vectors = embedding(ids)
    _, scores = attention(vectors, vectors, return_attention_scores=True)
    scores_model = keras.Model(ids, scores)  # the padded, masked way a lesson gets them

    explorer = AttentionExplorer(attention, embedding, vectorizer, sentences=sentences,
                                 sentence=sentences[1], head=2)
    assert explorer.words == ["the", "best", "film", "of", "the", "year", "good", "fun"]
    padded = scores_model.predict(vectorizer([sentences[1]]), verbose=0)[0, 2]
    n = len(explorer.words)
    np.testing.assert_allclose(explorer.scores(), padded[:n, :n], rtol=1e-5, atol=1e-6)
    assert "head 2 of heads 0–2" in explorer.summary()


def test_moving_the_head_slider_changes_the_heat_map():
    explorer = AttentionExplorer()
    before, picture = explorer.scores().copy(), explorer.drawing.value
    explorer.controls["head"].value = 1
    assert explorer.head == 1 and explorer.drawing.value != picture
    assert not np.allclose(explorer.scores(), before)
    explorer.controls["sentence"].value = explorer.sentences[2]
    assert explorer.words == "the plot was dull and the ending awful".split()
    with pytest.raises(ValueError, match="head must be 0 to 1"):
        explorer.update(head=2)
    with pytest.raises(ValueError, match="has no words"):
        AttentionExplorer(sentences=["...", "a b"])


def test_explorers_leave_the_notebooks_random_state_alone():
    def draws():
        return np.random.random(), float(keras.random.uniform(()))

    keras.utils.set_random_seed(5)
    expected = draws()
    keras.utils.set_random_seed(5)
    TrainingExplorer(epochs=2)
    LossWeightsExplorer(epochs=2)
    AttentionExplorer()
    assert draws() == expected


def test_update_from_python_moves_the_controls_too():
    conv = ConvExplorer()
    conv.update(kernel_size=5, strides=2, padding="same")
    assert [conv.controls[name].value for name in ("kernel_size", "strides", "padding")] == [
        5, 2, "same"]
    assert conv.settings == ConvSettings(5, 2, "same", 1)  # no control undid another
    training = TrainingExplorer(run_first=False)
    training.update(learning_rate=0.05, width=12)  # values off the sliders' marks
    assert training.controls["learning_rate"].value == 0.05
    assert training.controls["width"].value == 12 and training.settings.width == 12
    attention = AttentionExplorer()
    attention.update(sentence=attention.sentences[1], head=1)
    assert attention.controls["sentence"].value == attention.sentences[1]
    assert attention.controls["head"].value == 1
