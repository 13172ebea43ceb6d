"""``plot_model`` and ``model_to_dot``: draw the layer graph with Graphviz.

``model_to_dot(model)`` walks the same graph objects as the summary (each layer's
inbound nodes, each input tensor's ``_keras_history``) and returns the DOT text, a
plain string tests can read. ``plot_model`` hands that text to Graphviz (the Python
``graphviz`` package runs the ``dot`` program) and saves a PNG/SVG/PDF. Without
Graphviz it explains how to install it; inside a notebook it prints that and returns
the DOT text instead of failing the cell. Nothing here imports graphviz or IPython
until a picture is actually drawn.
"""

import html
import os
import shutil
import sys

from kerlite.viz.graph_reading import (is_functional, is_sequential, model_nodes,
                                         top_level_layers, type_name)

INSTALL_HINT = """Install Graphviz (the `dot` program) and its Python package, one of:
  conda install -c conda-forge graphviz python-graphviz
  apt-get install graphviz && pip install graphviz        (Debian/Ubuntu)
  brew install graphviz && pip install graphviz           (macOS)
  pip install graphviz graphviz-pure, then put its binary on PATH as `dot`:
      ln -s "$(command -v graphviz-pure)" "$(dirname "$(command -v python)")/dot"
Without Graphviz you can still read the graph as text: keras.utils.model_to_dot(model)."""


class DotSource(str):
    """DOT text. It is a ``str``; like pydot's ``Dot`` it can also render itself."""

    @property
    def source(self):
        return str(self)

    def _repr_pretty_(self, printer, cycle):  # a notebook shows the text, not a repr
        printer.text(str(self))

    def create(self, prog="dot", format="png"):
        """The rendered picture as bytes, e.g. ``SVG(dot.create(format="svg"))``."""
        _require_graphviz()
        import graphviz

        return graphviz.Source(str(self), engine=prog).pipe(format=format)

    def write(self, path, format="raw"):
        """Save the DOT text (``format="raw"``) or a rendered picture to ``path``."""
        data = str(self).encode() if format in ("raw", "dot", "gv") else self.create(
            format=format)
        with open(path, "wb") as file:
            file.write(data)


def _graphviz_problem():
    """None when Graphviz can render, otherwise what is missing (one sentence)."""
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return "the Python package `graphviz` is not installed"
    if shutil.which("dot") is None:
        return "the Graphviz program `dot` was not found on the PATH"
    return None


def _require_graphviz():
    problem = _graphviz_problem()
    if problem:
        raise ImportError(f"plot_model needs Graphviz, but {problem}.\n{INSTALL_HINT}")


def _in_notebook():
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


# ---- labels ------------------------------------------------------------------------


def _listed(texts):
    """One item as itself, several as ``[a, b]`` (how Keras prints a list of shapes)."""
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def _shape_text(tensors):
    return _listed([str(tensor.shape) for tensor in tensors])


def _activation_name(layer):
    activation = layer.activation
    return getattr(activation, "__name__", None) or getattr(activation, "name", None) or str(
        activation)


def _cell(text, bgcolor="white", color=None, colspan=1, size=14):
    font = f' color="{color}"' if color else ""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return (f'<td bgcolor="{bgcolor}"{span}><font point-size="{size}"{font}>{text}'
            "</font></td>")


def layer_label(layer, node, show_shapes, show_dtype, show_layer_names,
                show_layer_activations, show_trainable):
    """An HTML-like Graphviz label: a black title row, then shapes/dtype/trainable."""
    esc = html.escape
    cols = []
    if show_shapes:
        if type_name(layer) != "InputLayer":
            shape = _shape_text(node.input_tensors) if node else "?"
            cols.append(_cell(f"Input shape: <b>{esc(shape)}</b>"))
        shape = _shape_text(node.outputs) if node else "?"
        cols.append(_cell(f"Output shape: <b>{esc(shape)}</b>"))
    if show_dtype:
        dtype = _listed([str(t.dtype) for t in node.outputs]) if node else "?"
        cols.append(_cell(f"Output dtype: <b>{esc(dtype)}</b>"))
    if show_trainable and getattr(layer, "weights", None):
        colour, word = ("forestgreen", "Trainable") if layer.trainable else (
            "firebrick", "Non-trainable")
        cols.append(_cell(f"<b>{word}</b>", bgcolor=colour, color="white"))
    span = max(1, len(cols))
    title = esc(type_name(layer))
    title = f"<b>{esc(layer.name)}</b> ({title})" if show_layer_names else f"<b>{title}</b>"
    rows = [_cell(title, bgcolor="black", color="white", colspan=span, size=16)]
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        rows.append(_cell(f"Activation: <b>{esc(_activation_name(layer))}</b>",
                          colspan=span))
    if cols:
        rows.append("".join(cols))
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="8">'
            f"{body}</table>>")


# ---- the graph ---------------------------------------------------------------------


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


class _DotBuilder:
    """Collects DOT statements; gives each layer a readable, unique node id."""

    def __init__(self, label_options):
        self.label_options = label_options
        self.lines, self.edges, self.ids = [], [], {}

    def node_id(self, layer):
        if id(layer) not in self.ids:
            taken = set(self.ids.values())
            candidate, copy = layer.name, 1
            while candidate in taken:
                candidate, copy = f"{layer.name}#{copy}", copy + 1
            self.ids[id(layer)] = candidate
        return _quote(self.ids[id(layer)])

    def add_node(self, layer, node, indent):
        label = layer_label(layer, node, **self.label_options)
        self.lines.append(f"{indent}{self.node_id(layer)} [label={label}];")

    def add_edge(self, source, destination):
        edge = f"  {self.node_id(source)} -> {self.node_id(destination)} [penwidth=2];"
        if edge not in self.edges:
            self.edges.append(edge)


def _own_node(layer, node_ids):
    """The call of ``layer`` inside this model (for its shapes), else its latest call."""
    nodes = getattr(layer, "_inbound_nodes", [])
    for node in nodes:
        if id(node) in node_ids:
            return node
    return nodes[-1] if nodes else None


def _is_graph_model(layer):
    return is_functional(layer) or is_sequential(layer)


def _resolve_source(layer, output_index):
    """Inside an expanded nested model, the real layer that made output ``output_index``."""
    while _is_graph_model(layer):
        layer, _, output_index = layer.outputs[output_index]._keras_history
    return layer


def _resolve_destination(layer, input_index):
    """Inside an expanded nested model, the first box its input ``input_index`` enters."""
    while _is_graph_model(layer):
        if is_sequential(layer):
            layer = layer.layers[0]
        else:
            layer = layer.inputs[input_index]._keras_history.operation
    return layer


def _draw(model, builder, expand_nested, indent):
    """Add ``model``'s layers (and nested clusters) and its edges to ``builder``."""
    layers = top_level_layers(model)
    node_ids = {id(node) for node in model_nodes(model)}
    for layer in layers:
        if expand_nested and _is_graph_model(layer):
            builder.lines.append(f"{indent}subgraph {_quote('cluster_' + layer.name)} {{")
            builder.lines.append(
                f"{indent}  label={_quote(layer.name)}; labeljust=\"l\"; style=\"dashed\";")
            _draw(layer, builder, expand_nested, indent + "  ")
            builder.lines.append(f"{indent}}}")
        else:
            builder.add_node(layer, _own_node(layer, node_ids), indent)

    def connect(source, destination, output_index=0, input_index=0):
        if expand_nested:
            source = _resolve_source(source, output_index)
            destination = _resolve_destination(destination, input_index)
        builder.add_edge(source, destination)

    if is_sequential(model):
        for before, after in zip(layers, layers[1:]):
            connect(before, after)
        return
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) not in node_ids:
                continue  # a call of this layer in another model
            for input_index, tensor in enumerate(node.input_tensors):
                source, _, output_index = tensor._keras_history
                connect(source, layer, output_index, input_index)


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, splines="ortho"):
    """The model's layer graph as DOT text (a ``DotSource``, which is a ``str``).

    One box per layer (name, type and, on request, shapes, dtype, activation,
    trainable), one arrow per tensor passed from a layer to the next. Nested models
    are one box each, or a dashed cluster of their own layers with
    ``expand_nested=True``. ``subgraph=True`` returns only the cluster statements
    (for embedding in a bigger graph).
    """
    if not getattr(model, "built", True) or not model.layers:
        raise ValueError(
            f"The model {model.name!r} has not been built yet, so it has no graph to "
            "draw. Give the first layer an input shape (keras.Input(shape=...) or "
            "input_shape=...), or call the model on a batch of data first."
        )
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names,
                   show_layer_activations=show_layer_activations,
                   show_trainable=show_trainable)
    builder = _DotBuilder(options)
    if _is_graph_model(model):
        _draw(model, builder, expand_nested, "  ")
    else:  # a subclassed model has no graph to read: one box
        builder.add_node(model, None, "  ")
    if subgraph:
        head = [f"subgraph {_quote('cluster_' + model.name)} {{",
                f'  label={_quote(model.name)}; labeljust="l"; style="dashed";']
        return DotSource("\n".join(head + builder.lines + builder.edges + ["}"]) + "\n")
    head = [
        f"digraph {_quote(model.name)} {{",
        f'  graph [rankdir={_quote(rankdir)}, concentrate=true, dpi={dpi}, '
        f"splines={_quote(splines)}, fontname=\"Helvetica\"];",
        '  node [shape="plaintext", fontname="Helvetica", margin=0];',
    ]
    return DotSource("\n".join(head + builder.lines + builder.edges + ["}"]) + "\n")


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho"):
    """Draw the model's graph into ``to_file`` (PNG, SVG, PDF, ... by its suffix).

    Returns an ``IPython.display.Image`` (or ``SVG``) so a notebook cell shows the
    picture, or None where IPython is not installed. A ``.dot``/``.gv`` file gets the
    DOT text itself and needs no Graphviz. Without Graphviz: inside a notebook, prints
    how to install it and returns the DOT text; elsewhere raises ``ImportError``.
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    if extension in ("dot", "gv"):
        dot.write(to_file)
        return dot
    problem = _graphviz_problem()
    if problem:
        message = f"plot_model needs Graphviz, but {problem}.\n{INSTALL_HINT}"
        if _in_notebook():  # a missing tool should not fail a lesson's cell
            print(message)
            return dot
        raise ImportError(message)
    dot.write(to_file, format=extension)
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    return display.Image(filename=to_file)
