"""Shared helpers for the keras-io guide tests: run one guide section on kerlite and on Keras 3.

A guide section is written once as a function of the library, ``section(lib)``, where ``lib``
has the names a guide imports: ``lib.keras``, ``lib.layers``, ``lib.ops`` (and ``lib.name``,
"kerlite" or "keras"). ``run_both(section)`` calls it twice, on kerlite and on Keras 3 (JAX,
CPU), each from a clean session with the same seeds, and returns both results so the test can
assert what the guide shows and that the two agree.
"""

import io
import types
from contextlib import redirect_stdout

import numpy as np
from _keras_reference import import_keras  # tests/ is on sys.path (its conftest.py)

import kerlite


def library(name):
    """The names a guide imports (``keras``, ``layers``, ``ops``), for kerlite or Keras 3."""
    keras = kerlite if name == "kerlite" else import_keras()
    keras.backend.clear_session()
    keras.utils.set_random_seed(1337)
    return types.SimpleNamespace(name=name, keras=keras, layers=keras.layers, ops=keras.ops)


def run_both(section, *args, **kwargs):
    """``(kerlite's result, Keras's result)`` of ``section(lib, *args, **kwargs)``."""
    mine = section(library("kerlite"), *args, **kwargs)
    theirs = section(library("keras"), *args, **kwargs)
    return mine, theirs


def copy_weights(source, target):
    """Give ``target`` the weights of ``source`` (same architecture, either library)."""
    target.set_weights([np.asarray(w) for w in source.get_weights()])


def summary_lines(model, **kwargs):
    """The lines of ``model.summary()`` as printed (box-drawing table), without blank lines."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary(**kwargs)
    return [line for line in buffer.getvalue().splitlines() if line.strip()]


def param_lines(model):
    """The "Total / Trainable / Non-trainable params" lines of a summary, stripped."""
    return [line.strip() for line in summary_lines(model)
            if "params:" in line and line.strip().split()[0] in
            ("Total", "Trainable", "Non-trainable")]


def layer_shapes(model):
    """Each layer's output shape, as a tuple (or list of tuples for several outputs)."""
    shapes = []
    for layer in model.layers:
        output = layer.output
        if isinstance(output, (list, tuple)):
            shapes.append([tuple(o.shape) for o in output])
        else:
            shapes.append(tuple(output.shape))
    return shapes


def layer_counts(model):
    """Each layer's parameter count."""
    return [layer.count_params() for layer in model.layers]


def numpy_list(values):
    """A list of NumPy arrays from one array or a list/tuple/dict of them."""
    if isinstance(values, dict):
        return [np.asarray(values[key]) for key in sorted(values)]
    if isinstance(values, (list, tuple)):
        return [np.asarray(v) for v in values]
    return [np.asarray(values)]


def assert_close(mine, theirs, atol=1e-5, rtol=1e-4):
    """Arrays (or lists/dicts of arrays) equal within float32 tolerance."""
    mine, theirs = numpy_list(mine), numpy_list(theirs)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert a.shape == b.shape, (a.shape, b.shape)
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol)


def same_weights_same_outputs(mine, theirs, inputs, atol=1e-5, rtol=1e-4):
    """Copy kerlite's weights into Keras's model and check both predict the same."""
    copy_weights(mine, theirs)
    assert_close(mine.predict(inputs, verbose=0), theirs.predict(inputs, verbose=0),
                 atol=atol, rtol=rtol)


def loss_went_down(history, key="loss"):
    """True where the last epoch's loss is below the first's."""
    losses = history.history[key]
    return losses[-1] < losses[0]
