"""TapeGraph: the values and gradients it draws are the tape's own, box for box."""

import html
import re
import sys

import numpy as np
import pytest

import kerlite as keras
from kerlite.ops import square as ops_square
from kerlite.widgets import TapeGraph
from kerlite.viz import model_graph as model_graph_module
from kerlite.widgets.tape_graph_draw import Folded, array_lines, array_text, fold
from kerlite.widgets.tape_record import op_name

MODULE_LEVEL_RULE = lambda g: g  # noqa: E731


def scalar_expression(persistent=False):
    a = keras.Variable(2.0, name="a")
    b = keras.Variable(-3.0, name="b")
    c = keras.Variable(10.0, name="c")
    tape = keras.GradientTape(persistent=persistent)
    with tape:
        e = a * b
        y = e + c
    return tape, (a, b, c), e, y


def svg_text(svg):
    """The words of an SVG drawing (Graphviz writes '-' as &#45;)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", svg))


def test_scalar_expression_nodes_ops_and_arrows_exactly():
    _, (a, b, c), e, y = scalar_expression()
    graph = TapeGraph(y)
    assert [(n.label, n.op, n.kind) for n in graph.nodes] == [
        ("a", "Variable", "variable"), ("b", "Variable", "variable"),
        ("multiply", "multiply", "op"), ("c", "Variable", "variable"),
        ("add", "add", "op")]
    assert [n.parents for n in graph.nodes] == [[], [], [0, 1], [], [2, 3]]
    assert [float(n.value) for n in graph.nodes] == [2.0, -3.0, -6.0, 10.0, 4.0]
    assert graph.node_for(e).label == "multiply" and graph.target.op == "add"
    named = TapeGraph(y, names={"e": e, "y": y})
    assert [n.label for n in named.nodes] == ["a", "b", "e", "c", "y"]
    assert "e = multiply" in svg_text(named.svg()[0])


def test_scalar_gradients_equal_the_tapes():
    tape, (a, b, c), e, y = scalar_expression(persistent=True)
    graph = TapeGraph(y)
    grads = tape.gradient(y, [a, b, c, e, y])
    for tensor, grad in zip([a, b, c, e, y], grads):
        assert np.array_equal(graph.node_for(tensor).grad, grad.numpy())
    assert [float(graph.node(name).grad) for name in "abc"] == [-3.0, 2.0, 1.0]


def test_graph_built_before_a_non_persistent_gradient_call_keeps_everything():
    tape, (a, b, c), _, y = scalar_expression()
    graph = TapeGraph(y)
    grads = tape.gradient(y, [a, b, c])  # frees the record
    shown = graph.with_gradients()
    assert [float(shown.node(n).grad) for n in "abc"] == [float(g) for g in grads]
    with pytest.raises(ValueError, match="before `tape.gradient"):
        TapeGraph(y)  # too late: the record is gone


def test_dense_forward_values_and_gradients_equal_the_tapes():
    layer = keras.layers.Dense(3, activation="relu", name="dense")
    x = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    with keras.GradientTape() as tape:
        out = layer(x)
    graph = TapeGraph(out, gradients=True)
    kernel_grad, bias_grad = tape.gradient(out, [layer.kernel, layer.bias])
    assert [n.label for n in graph.nodes] == ["constant", "dense/kernel", "dense/bias", "dense"]
    assert np.array_equal(graph.target.value, out.numpy())
    assert np.array_equal(graph.node("dense/kernel").value, layer.kernel.numpy())
    assert np.array_equal(graph.node("dense/kernel").grad, kernel_grad.numpy())
    assert np.array_equal(graph.node("dense/bias").grad, bias_grad.numpy())
    assert graph.node("constant").grad is None  # the input data gets no gradient
    assert graph.target.shape == (5, 3)


def test_tiny_mlp_loss_gradients_equal_the_tapes():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 2)).astype("float32")
    y_true = rng.normal(size=(8, 1)).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dense(1)])
    with keras.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y_true, model(x))
    graph = TapeGraph(loss, gradients=True)
    grads = tape.gradient(loss, model.trainable_weights)
    assert float(graph.target.value) == float(loss) and float(graph.target.grad) == 1.0
    for weight, grad in zip(model.trainable_weights, grads):
        node = graph.node_for(weight)
        assert node.label == weight.path and node.kind == "variable"
        assert np.array_equal(node.grad, grad.numpy())
    assert sum(n.kind == "op" for n in graph.nodes) == 4  # dense, dense, loss, mean


def test_op_names_come_from_the_backward_rule():
    def add():
        def backward(g):
            return g

        return backward

    def relu():
        return lambda g: g

    def _softmax_backward(g):
        return g

    assert op_name(add()) == "add"
    assert op_name(relu()) == "relu"
    assert op_name(_softmax_backward) == "softmax"
    assert op_name(MODULE_LEVEL_RULE) == "op"  # nothing to read a name from


def test_array_summaries():
    assert array_text(np.float32(2.0)) == "2"
    assert array_text(np.array([1.0, -0.5])) == "[1, -0.5]"
    assert array_text(np.arange(6.0)) == "mean 2.5, min 0, max 5"
    assert array_lines(np.arange(6.0)) == ["mean 2.5", "min 0, max 5"]


def test_long_chain_folds_its_middle():
    x = keras.Variable(1.0, name="x")
    with keras.GradientTape() as tape:
        h = x
        for _ in range(40):
            h = h * 1.5
    graph = TapeGraph(h, max_nodes=9)
    assert len(graph.nodes) == 81  # x, 40 constants, 40 multiplies
    items, arrows = fold(graph.nodes, 9)
    assert len(items) == 9
    folded = [item for item in items if isinstance(item, Folded)]
    assert len(folded) == 1 and len(folded[0].nodes) == 73
    ops = sum(n.kind == "op" for n in folded[0].nodes)
    keys = {"folded" if isinstance(i, Folded) else f"n{i.index}" for i in items}
    assert all(s in keys and t in keys for s, t in arrows)
    assert ("folded", "folded") not in arrows
    text = svg_text(graph.svg()[0])
    assert f"… {ops} ops" in text and "value 1.106e+07" in text
    assert len(TapeGraph(h).nodes) == 81 and len(fold(TapeGraph(h).nodes, 100)[0]) == 81
    tape.gradient(h, x)


def test_svg_shows_values_and_gradients():
    tape, _, _, y = scalar_expression()
    graph = TapeGraph(y)
    forward = svg_text(graph._repr_svg_())
    assert "value -6" in forward and "value 4" in forward and "grad" not in forward
    both = svg_text(graph.with_gradients()._repr_svg_())
    for text in ["value 2", "grad -3", "value -3", "grad 2", "value 10", "grad 1"]:
        assert text in both
    page = graph.with_gradients()._repr_html_()
    assert page.startswith('<div class="kerlite-tape-graph"') and "<svg" in page
    assert "Gradient of add shown for 5 of 5 values" in page
    assert "a              Variable" in repr(graph.with_gradients())
    assert "grad -3" in repr(graph.with_gradients())


def test_fallback_drawing_when_dot_is_missing(monkeypatch):
    monkeypatch.setattr(model_graph_module, "dot_program", lambda: None)
    _, _, _, y = scalar_expression()
    graph = TapeGraph(y, gradients=True)
    svg, by_graphviz = graph.svg()
    assert not by_graphviz and svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('<g class="node">') == 5 and svg.count("<line ") == 4
    assert "grad -3" in svg_text(svg) and "<title>multiply</title>" in svg
    page = graph._repr_html_()
    assert "Simple layout" in page and "apt-get install graphviz" in page
    x = keras.Variable(1.0, name="x")
    with keras.GradientTape():
        h = x
        for _ in range(10):
            h = ops_square(h)
    folded_svg, _ = TapeGraph(h, max_nodes=5).svg()
    assert folded_svg.count('<g class="node">') == 5 and "… 7 ops" in folded_svg


def test_graphviz_drawing_has_every_value():
    if model_graph_module.dot_program() is None:
        pytest.skip("Graphviz `dot` is not installed")
    _, _, _, y = scalar_expression()
    svg, by_graphviz = TapeGraph(y, gradients=True).svg()
    assert by_graphviz and svg.startswith("<svg")
    assert svg.count('class="node"') == 5 and svg.count('class="edge"') == 4
    assert "Simple layout" not in TapeGraph(y)._repr_html_()


def test_step_button_reveals_gradients_in_reverse_topological_order():
    pytest.importorskip("ipywidgets", reason="the stepper is an ipywidgets view")
    _, _, _, y = scalar_expression()
    graph = TapeGraph(y)
    order = graph.backward_order()
    assert [n.label for n in order] == ["add", "c", "multiply", "b", "a"]
    for position, node in enumerate(order):  # each value before the values it uses
        assert all(order.index(graph.nodes[p]) > position for p in node.parents)
    stepper = graph.stepper()
    assert stepper.revealed() == [] and "grad ?" in svg_text(stepper.picture.value)
    for clicks in range(1, 6):
        stepper.step_button.click()
        assert [n.label for n in stepper.revealed()] == [n.label for n in order[:clicks]]
        shown = svg_text(stepper.picture.value)
        assert shown.count("grad ?") == 5 - clicks
    assert stepper.step_button.disabled and "grad -3" in shown
    assert stepper.status_text() == "5/5: d(add)/d(a) = -3, chain rule through multiply"
    stepper.reset_button.click()
    assert stepper.revealed() == [] and not stepper.step_button.disabled
    bundle = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "<svg" in bundle["text/html"] and bundle["text/plain"].startswith("BackwardStepper")


def test_static_views_need_no_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes the import fail
    _, _, _, y = scalar_expression()
    graph = TapeGraph(y, gradients=True)
    assert "<svg" in graph._repr_html_()
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        graph.stepper()


def test_bad_arguments_say_what_to_do():
    with pytest.raises(ValueError, match="no recorded computation"):
        TapeGraph(keras.ops.convert_to_tensor(1.0) * 2.0)
    _, _, _, y = scalar_expression()
    with pytest.raises(ValueError, match="max_nodes"):
        TapeGraph(y, max_nodes=2)
    with pytest.raises(KeyError, match="labels"):
        TapeGraph(y).node("nope")
