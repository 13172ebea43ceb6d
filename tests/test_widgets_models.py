"""The widgets on real kerlite models: graph, summary HTML, layer details, inspector,
gradient norms, and live curves fed by a real ``fit``.
"""

import subprocess
import sys

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers
from kerlite.widgets import GraphView, Inspector, LiveCurves, model_html
from kerlite.viz import model_graph as model_graph_module
from kerlite.widgets.curves_display import CurvesDisplay
from kerlite.widgets.layer_details import layer_facts, weight_histograms_png
from kerlite.viz.layered_svg import layer_rows, layered_svg
from kerlite.viz.model_graph import graph_dot, graph_svg, model_graph

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def branching_model():
    """input -> dense_a -> (left, right) -> add -> out: a diamond."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(4,), name="features")
    hidden = layers.Dense(6, activation="relu", name="dense_a")(inputs)
    left = layers.Dense(5, name="left")(hidden)
    right = layers.Dense(5, name="right")(hidden)
    merged = layers.Add(name="add")([left, right])
    outputs = layers.Dense(3, activation="softmax", name="out")(merged)
    return keras.Model(inputs, outputs, name="diamond")


def small_cnn():
    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(4, 3, activation="relu", name="conv"),
        layers.Flatten(name="flat"),
        layers.Dense(3, activation="softmax", name="out"),
    ], name="cnn")


def images(n=6):
    return np.random.default_rng(1).random((n, 8, 8, 1)).astype("float32")


# ---- graph: data, DOT, SVG ----------------------------------------------------------


def test_model_graph_reads_boxes_and_arrows():
    boxes, arrows = model_graph(branching_model())
    assert [b.name for b in boxes] == ["features", "dense_a", "left", "right", "add", "out"]
    assert boxes[2].class_name == "Dense" and boxes[2].output_shape == "(None, 5)"
    assert sorted(arrows) == sorted([("features", "dense_a"), ("dense_a", "left"),
                                     ("dense_a", "right"), ("left", "add"),
                                     ("right", "add"), ("add", "out")])


def test_sequential_graph_is_a_chain_from_its_input():
    boxes, arrows = model_graph(small_cnn())
    names = [b.name for b in boxes]
    assert names[-3:] == ["conv", "flat", "out"]
    assert ("conv", "flat") in arrows and ("flat", "out") in arrows
    assert len(arrows) == len(names) - 1


def test_graph_dot_highlights_the_selected_layer():
    dot = graph_dot(branching_model(), highlight="left")
    assert dot.startswith('digraph "diamond" {')
    assert '"left" [label="left (Dense)\\n(None, 5)", fillcolor="#ffd966"' in dot
    assert '"dense_a" -> "right";' in dot
    assert dot.count("#ffd966") == 1


def test_layer_rows_are_longest_paths():
    arrows = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]
    assert layer_rows(["a", "b", "c", "d"], arrows) == {"a": 0, "b": 1, "c": 2, "d": 3}


def test_fallback_svg_when_dot_is_missing(monkeypatch):
    monkeypatch.setattr(model_graph_module, "dot_program", lambda: None)
    model = branching_model()
    svg, by_graphviz = graph_svg(model, highlight="add")
    assert not by_graphviz
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('<g class="node">') == 6 and svg.count("<line ") == 6
    assert svg.count('fill="#ffd966"') == 1 and "<title>add</title>" in svg
    page = model_html(model)
    assert "Simple layout" in page and "apt-get install graphviz" in page
    assert svg == layered_svg(model, "add")


def test_graphviz_svg_through_the_dot_program(monkeypatch, tmp_path):
    # a stand-in `dot` that answers with a fixed SVG: tests our plumbing, not Graphviz
    fake_dot = tmp_path / "dot"
    fake_dot.write_text("#!/bin/sh\ncat > /dev/null\necho '<?xml version=\"1.0\"?>"
                        "<!-- made by fake --><svg id=\"fake\"></svg>'\n")
    fake_dot.chmod(0o755)
    monkeypatch.setattr(model_graph_module, "dot_program", lambda: str(fake_dot))
    svg, by_graphviz = graph_svg(branching_model())
    assert by_graphviz and svg.strip() == '<svg id="fake"></svg>'


def test_real_graphviz_renders_every_layer():
    if model_graph_module.dot_program() is None:
        pytest.skip("Graphviz `dot` is not installed")
    svg, by_graphviz = graph_svg(branching_model(), highlight="out")
    assert by_graphviz and svg.startswith("<svg")
    for name in ["features", "dense_a", "left", "right", "add", "out"]:
        assert f"<title>{name}</title>" in svg


# ---- summary HTML -------------------------------------------------------------------


def test_model_html_lists_layers_params_and_nested_models():
    inner = branching_model()
    outer_input = keras.Input(shape=(4,), name="outer_in")
    outer = keras.Model(outer_input, layers.Dense(2, name="head")(inner(outer_input)),
                        name="outer")
    page = model_html(outer)
    assert 'Model: &quot;outer&quot;' in page
    assert "<details><summary>diamond (Functional)</summary>" in page
    assert "dense_a (Dense)" in page  # inside the folded nested table
    assert "head (Dense)" in page and "(None, 2)" in page
    total = outer.count_params()
    assert f"Total params: {total:,}" in page
    assert "<svg" in page


# ---- layer details and the graph view ----------------------------------------------


def test_layer_facts_give_weights_and_parameter_count():
    facts = layer_facts(small_cnn().get_layer("conv"))
    assert facts["class_name"] == "Conv2D" and facts["param_count"] == 3 * 3 * 4 + 4
    assert [(w[1], w[3]) for w in facts["weights"]] == [((3, 3, 1, 4), True), ((4,), True)]
    assert facts["config"]["filters"] == 4
    assert weight_histograms_png(small_cnn().get_layer("conv")).startswith(PNG_MAGIC)
    assert weight_histograms_png(small_cnn().get_layer("flat")) is None


def test_graph_view_selection_updates_every_part():
    view = GraphView(small_cnn())
    assert view.selected == "conv"  # the first layer with weights
    view.select("out")
    assert view._dropdown.value == "out"
    assert "<b>out</b> (Dense)" in view._details.value and "(144, 3)" in view._details.value
    assert view._graph.value.count("#ffd966") == 1
    assert bytes(view._histogram.value).startswith(PNG_MAGIC)
    view._dropdown.value = "flat"  # what the browser does
    assert view.selected == "flat" and "no weights" in view._details.value
    assert view._histogram.layout.display == "none"
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == '<GraphView of model "cnn", layer "flat">'
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        view.select("nope")


def test_graph_view_without_ipywidgets_is_static_html(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    view = GraphView(small_cnn(), layer="out")
    bundle = view._repr_mimebundle_()
    assert view.widget is None
    assert set(bundle) == {"text/plain", "text/html"}
    assert "pip install ipywidgets" in bundle["text/html"]
    assert "data:image/png;base64," in bundle["text/html"]


# ---- inspector ----------------------------------------------------------------------


def test_inspector_activations_are_the_layers_outputs():
    model, x = small_cnn(), images()
    inspector = Inspector(model, x)
    assert inspector.layer_names == ["conv", "flat", "out"]
    conv = inspector.activations("conv")
    assert conv.shape == (6, 6, 6, 4) and conv.min() >= 0  # ReLU
    expected = keras.ops.convert_to_numpy(model(x))
    np.testing.assert_allclose(inspector.activations("out"), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(inspector.activations("flat"), conv.reshape(6, -1))
    with pytest.raises(ValueError, match="no layer named"):
        inspector.activations("missing")


def test_inspector_widget_redraws_on_layer_and_sample_change():
    inspector = Inspector(small_cnn(), images())
    first = bytes(inspector._picture.value)
    assert first.startswith(PNG_MAGIC) and inspector._stats.value.startswith("conv:")
    inspector._layer_box.value = "out"
    assert inspector._stats.value.startswith("out: output shape (3,)")
    inspector._sample_box.value = 2
    assert inspector.sample_index == 2 and bytes(inspector._picture.value) != first
    bundle = inspector._repr_mimebundle_()
    assert bundle["image/png"].startswith(PNG_MAGIC)
    assert bundle["text/plain"] == '<Inspector of model "cnn", layer "out">'


def test_gradient_norms_match_a_hand_written_tape():
    model, x = small_cnn(), images()
    y = np.array([0, 1, 2, 0, 1, 2])
    norms = Inspector(model, x).gradient_norms(x, y, "sparse_categorical_crossentropy")
    assert list(norms) == ["conv", "out"]  # layers without weights have no gradient
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with keras.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.get_layer("out").trainable_weights)
    expected = np.sqrt(sum(np.sum(keras.ops.convert_to_numpy(g) ** 2) for g in grads))
    assert norms["out"] == pytest.approx(float(expected), rel=1e-5)


def test_deep_sigmoid_network_shows_vanishing_gradients():
    keras.utils.set_random_seed(0)
    deep = keras.Sequential([keras.Input(shape=(8,))] + [
        layers.Dense(16, activation="sigmoid", name=f"sigmoid_{i}") for i in range(6)
    ] + [layers.Dense(1, name="out")])
    x = np.random.default_rng(0).normal(size=(32, 8)).astype("float32")
    y = np.random.default_rng(1).normal(size=(32, 1)).astype("float32")
    inspector = Inspector(deep, x)
    norms = inspector.gradient_norms(x, y, "mse")
    assert norms["sigmoid_0"] < norms["sigmoid_5"] / 20
    assert inspector.plot_gradient_norms()._repr_png_().startswith(PNG_MAGIC)
    assert inspector._gradients.layout.display is None  # the widget shows them now


# ---- live curves with a real fit ----------------------------------------------------


class _Display:
    def __init__(self):
        self.handles = []

    def __call__(self, obj, display_id=None, raw=False):
        if display_id:
            handle = type("Handle", (), {"update": lambda self, o, raw=False: None})()
            self.handles.append(handle)
            return handle


def test_live_curves_follow_two_real_fit_calls():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    first = LiveCurves(view=CurvesDisplay(display_fn=_Display()))
    fit1 = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0,
                     callbacks=[first])
    second = LiveCurves(view=CurvesDisplay(display_fn=_Display()))
    fit2 = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0,
                     callbacks=[second])
    history = second.history
    assert history["loss"] == pytest.approx(fit1.history["loss"] + fit2.history["loss"])
    assert len(history["val_mae"]) == 5 and second.log.fit_starts == [0, 2]
    axes = second.view.figure.axes
    assert [a.get_title() for a in axes] == ["loss", "mae"]
    assert list(axes[0].get_lines()[0].get_xdata()) == [1, 2, 3, 4, 5]


def test_importing_kerlite_widgets_imports_no_heavy_library():
    code = ("import sys, kerlite, kerlite.widgets; heavy = [m for m in ('matplotlib', "
            "'ipywidgets', 'IPython', 'tqdm', 'graphviz') if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_views_without_matplotlib_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    view = GraphView(small_cnn(), layer="conv")
    assert view.histogram_png() is None
    assert "pip install matplotlib" in view.details_html()
    inspector = Inspector(small_cnn(), images())
    assert inspector.widget is None
    assert inspector.activations("conv").shape == (6, 6, 6, 4)  # the numbers still work
    bundle = inspector._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "pip install matplotlib" in bundle["text/plain"]
