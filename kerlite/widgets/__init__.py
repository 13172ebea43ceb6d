"""Jupyter views that let a learner see a model and its training.

- ``LiveCurves``: learning curves that grow while ``fit`` runs (a callback).
- ``NotebookProgress``: a compact progress bar for ``fit`` in a notebook.
- ``model_html(model)``: the summary table and graph a cell ending in ``model`` shows.
- ``GraphView(model)``: the graph, with a layer selector showing weights and config.
- ``Inspector(model, x)``: activations of each layer, gradient norm of each layer.
- ``TapeGraph(y)``: what a GradientTape recorded, each value with its gradient.
- Explorers, controls a learner moves to see one idea at work: ``ConvExplorer()``
  (convolution arithmetic on a digit), ``TrainingExplorer()`` (optimizer, learning rate,
  batch size and width on the spirals), ``LossWeightsExplorer()`` (the loss weights of a
  two-output model), ``AttentionExplorer()`` (a MultiHeadAttention's scores).

Importing this package is light: matplotlib, ipywidgets, IPython and Graphviz
are imported only when a view needs them, and a missing one is named with the
command that installs it.
"""

from kerlite.widgets.attention_explorer import AttentionExplorer
from kerlite.widgets.conv_explorer import ConvExplorer
from kerlite.widgets.curve_log import CurveLog, Throttle
from kerlite.widgets.graph_view import GraphView
from kerlite.widgets.inspector import Inspector
from kerlite.widgets.live_curves import LiveCurves
from kerlite.widgets.loss_weights_explorer import LossWeightsExplorer
from kerlite.viz.model_html import model_html
from kerlite.callbacks.notebook_progress import NotebookProgress, choose_progress_callback
from kerlite.common.optional import in_notebook
from kerlite.widgets.tape_graph import TapeGraph
from kerlite.widgets.training_explorer import TrainingExplorer

__all__ = ["AttentionExplorer", "ConvExplorer", "CurveLog", "GraphView", "Inspector",
           "LiveCurves", "LossWeightsExplorer", "NotebookProgress", "TapeGraph", "Throttle",
           "TrainingExplorer", "choose_progress_callback", "in_notebook", "model_html"]
