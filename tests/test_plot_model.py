"""plot_model / model_to_dot: DOT text read by tests, pictures drawn by Graphviz."""

import os
import re
import shutil
import subprocess
import sys
import types

import pytest

import kerlite as keras
from kerlite import layers
from kerlite.viz import model_visualization
from kerlite.viz.model_visualization import DotSource, model_to_dot, plot_model

EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)"', re.MULTILINE)
NODE = re.compile(r'^\s*"([^"]+)" \[label=<(.*)>\];$', re.MULTILINE)


def edges(dot):
    return set(EDGE.findall(dot))


def labels(dot):
    return dict(NODE.findall(dot))


def multi_input_model():
    a = keras.Input(shape=(16,), name="features_a")
    b = keras.Input(shape=(32,), name="features_b")
    x1 = layers.Dense(8, activation="relu", name="dense_a")(a)
    x2 = layers.Dense(8, activation="relu", name="dense_b")(b)
    added = layers.Add(name="add")([x1, x2])
    return keras.Model([a, b], layers.Dense(4, name="scores")(added), name="multi_input")


def ensemble_model():
    def member(i):
        inputs = keras.Input(shape=(128,), name=f"member_{i}_input")
        return keras.Model(inputs, layers.Dense(1, name=f"member_{i}_dense")(inputs),
                           name=f"member_{i}")

    inputs = keras.Input(shape=(128,), name="features")
    outputs = layers.average([member(1)(inputs), member(2)(inputs)], name="mean")
    return keras.Model(inputs, outputs, name="ensemble")


# ---- DOT text ---------------------------------------------------------------------


def test_one_node_per_layer_and_one_edge_per_connection():
    dot = model_to_dot(multi_input_model())
    assert isinstance(dot, str) and isinstance(dot, DotSource) and dot.source == dot
    assert dot.startswith('digraph "multi_input" {') and dot.rstrip().endswith("}")
    assert list(labels(dot)) == ["features_a", "features_b", "dense_a", "dense_b", "add",
                                 "scores"]
    assert edges(dot) == {("features_a", "dense_a"), ("features_b", "dense_b"),
                          ("dense_a", "add"), ("dense_b", "add"), ("add", "scores")}


def test_shapes_in_labels():
    found = labels(model_to_dot(multi_input_model(), show_shapes=True))
    assert "Output shape: <b>(None, 16)</b>" in found["features_a"]
    assert "Input shape" not in found["features_a"]
    assert "Input shape: <b>[(None, 8), (None, 8)]</b>" in found["add"]
    assert "Input shape: <b>(None, 8)</b>" in found["scores"]
    assert "Output shape: <b>(None, 4)</b>" in found["scores"]
    assert "shape:" not in model_to_dot(multi_input_model())


def test_label_options():
    model = multi_input_model()
    model.get_layer("dense_b").trainable = False
    found = labels(model_to_dot(model, show_layer_names=False, show_dtype=True,
                                show_trainable=True, show_layer_activations=True))
    assert "<b>Dense</b>" in found["dense_a"] and "dense_a" not in found["dense_a"]
    assert "Activation: <b>relu</b>" in found["dense_a"]
    assert "Output dtype: <b>float32</b>" in found["scores"]
    assert ">Trainable<" in found["dense_a"] and ">Non-trainable<" in found["dense_b"]
    assert "rainable" not in found["add"]  # no weights, nothing to say
    named = labels(model_to_dot(model))
    assert "<b>dense_a</b> (Dense)" in named["dense_a"]


def test_graph_attributes():
    dot = model_to_dot(multi_input_model(), rankdir="LR", dpi=96)
    assert 'rankdir="LR"' in dot and "dpi=96" in dot and 'splines="ortho"' in dot


def test_sequential_is_a_chain_without_input_box():
    model = keras.Sequential([keras.Input((64,)), layers.Dense(32, name="h1"),
                              layers.Dense(10, name="out")], name="seq")
    dot = model_to_dot(model, show_shapes=True)
    assert list(labels(dot)) == ["h1", "out"]
    assert edges(dot) == {("h1", "out")}
    assert "Input shape: <b>(None, 64)</b>" in labels(dot)["h1"]


def test_shared_layer_is_one_box_with_two_inputs():
    left, right = keras.Input((20,), name="left"), keras.Input((20,), name="right")
    shared = layers.Dense(16, name="shared")
    merged = layers.concatenate([shared(left), shared(right)], name="merged")
    dot = model_to_dot(keras.Model([left, right], merged, name="siamese"))
    assert list(labels(dot)).count("shared") == 1
    assert edges(dot) == {("left", "shared"), ("right", "shared"), ("shared", "merged")}


def test_nested_models_collapsed_and_expanded():
    model = ensemble_model()
    collapsed = model_to_dot(model)
    assert "subgraph" not in collapsed
    assert edges(collapsed) == {("features", "member_1"), ("features", "member_2"),
                                ("member_1", "mean"), ("member_2", "mean")}
    expanded = model_to_dot(model, expand_nested=True)
    assert 'subgraph "cluster_member_1" {' in expanded
    assert edges(expanded) == {
        ("features", "member_1_input"), ("member_1_input", "member_1_dense"),
        ("member_1_dense", "mean"), ("features", "member_2_input"),
        ("member_2_input", "member_2_dense"), ("member_2_dense", "mean")}


def test_dot_text_is_deterministic_and_free_of_addresses():
    first = model_to_dot(multi_input_model(), show_shapes=True)
    keras.backend.clear_session()
    assert model_to_dot(multi_input_model(), show_shapes=True) == first
    assert "0x" not in first


def test_unbuilt_model_cannot_be_drawn():
    with pytest.raises(ValueError, match="has not been built"):
        model_to_dot(keras.Sequential([layers.Dense(2)]))


# ---- rendering --------------------------------------------------------------------


def require_dot():
    if os.environ.get("CI"):
        assert shutil.which("dot"), "CI must install graphviz (apt-get install graphviz)"
    elif not shutil.which("dot"):
        pytest.skip("the Graphviz `dot` program is not installed here")
    pytest.importorskip("graphviz")


def test_png_and_svg_are_rendered(tmp_path):
    require_dot()
    model = multi_input_model()
    image = plot_model(model, to_file=tmp_path / "model.png", show_shapes=True, dpi=48)
    png = (tmp_path / "model.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    assert type(image).__name__ == "Image" and image.data == png
    picture = plot_model(model, to_file=str(tmp_path / "model.svg"), show_shapes=True)
    svg = (tmp_path / "model.svg").read_text()
    assert "<svg" in svg and "dense_a" in svg and "(None, 16)" in svg
    assert type(picture).__name__ == "SVG"
    assert plot_model(model, to_file=tmp_path / "model.pdf") is None
    assert (tmp_path / "model.pdf").read_bytes().startswith(b"%PDF")


def test_dot_file_needs_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    dot = plot_model(multi_input_model(), to_file=tmp_path / "model.dot")
    assert (tmp_path / "model.dot").read_text() == dot


INSTALL_LINES = ["apt-get install graphviz",
                 "conda install -c conda-forge graphviz python-graphviz",
                 "brew install graphviz", "graphviz-pure"]


def test_missing_dot_raises_with_install_hints(monkeypatch, tmp_path):
    pytest.importorskip("graphviz")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "IPython", None)  # plain Python, no notebook
    with pytest.raises(ImportError) as error:
        plot_model(multi_input_model(), to_file=tmp_path / "model.png")
    message = str(error.value)
    assert "`dot` was not found" in message
    for hint in INSTALL_LINES:
        assert hint in message
    assert not (tmp_path / "model.png").exists()


def test_missing_python_graphviz_is_named(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # `import graphviz` fails
    monkeypatch.setitem(sys.modules, "IPython", None)
    with pytest.raises(ImportError, match="Python package `graphviz`"):
        plot_model(multi_input_model(), to_file=tmp_path / "model.png")


def test_in_a_notebook_missing_dot_prints_and_returns_dot_text(monkeypatch, capsys,
                                                               tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    fake_ipython = types.ModuleType("IPython")
    fake_ipython.get_ipython = lambda: object()  # "a kernel is running"
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    result = plot_model(multi_input_model(), to_file=tmp_path / "model.png")
    printed = capsys.readouterr().out
    assert "plot_model needs Graphviz" in printed and "apt-get install graphviz" in printed
    assert isinstance(result, DotSource) and result.startswith("digraph")


def test_importing_the_module_does_not_import_graphviz_or_ipython():
    code = ("import sys, kerlite.viz.model_visualization; "
            "print(sorted(m for m in ('graphviz', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_dot_text_displays_as_text_in_ipython():
    pytest.importorskip("IPython")
    from IPython.lib.pretty import pretty

    dot = model_to_dot(multi_input_model())
    assert pretty(dot) == str(dot)
