"""One training step of a small MLP runs through a short, readable list of files.

A learner following ``fit`` should meet the ideas (trainer, model, layer, Dense, tape,
backprop, loss, optimizer and its rule, metric), not plumbing: issue 16 asked that one
warm step touch fewer than half of the 35 files it once did. This pins the count that
``benchmarks/fit_step_trace.py --step-only`` measures (``sys.setprofile`` inside
``Trainer._train_batch``), so new per-batch conversions or structure walks show up here
with the list of files in the failure message. The count does not depend on timing or
load: it is which functions one step calls.
"""

import gc
import importlib.util
import os

import numpy

import kerlite as keras
from kerlite.common.fast_paths import fast_paths

STEP_FILES_AT_MOST = 17  # 23 before issue 16's clean-up of the step

_SCRIPT = os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks",
                       "fit_step_trace.py")


def _trace_script():
    spec = importlib.util.spec_from_file_location("fit_step_trace", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _traced_step(step_only=True):
    trace = _trace_script()
    generator = numpy.random.default_rng(0)
    x = generator.random((64, 784), dtype=numpy.float32)
    y = generator.integers(0, 10, 64)
    model = trace.build_model(keras)
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)  # builds everything
    # Layers that other tests left holding add_loss values are dropped but may sit in
    # reference cycles; until collected, top-level calls walk layers to clear them.
    gc.collect()
    return trace.trace_one_step(model, x, y, step_only=step_only)


def test_one_training_step_touches_few_files():
    with fast_paths(True):
        files, functions = _traced_step()
    assert len(files) <= STEP_FILES_AT_MOST, (
        f"One training step now runs through {len(files)} kerlite files (at most "
        f"{STEP_FILES_AT_MOST} expected):\n" + "\n".join(files))
    # Plumbing that belongs once per fit or per build, not in every step.
    for once_per_fit in ("kerlite/common/nest.py", "kerlite/graph/keras_tensor.py",
                         "kerlite/optimizers/flat_group.py", "kerlite/metrics/metric.py"):
        assert os.path.normpath(once_per_fit) not in files, (once_per_fit, functions)


def test_the_step_still_reaches_every_concept():
    """The list is short because plumbing left it, not because an idea was skipped."""
    with fast_paths(True):
        files, _ = _traced_step()
    for concept in ("trainers/trainer.py", "models/functional.py", "layers/layer.py",
                    "layers/core/dense.py", "autodiff/gradients.py", "losses/loss.py", "optimizers/optimizer.py",
                    "optimizers/rmsprop.py", "metrics/reduction_metrics.py"):
        assert os.path.normpath("kerlite/" + concept) in files, (concept, files)


def test_inputs_leave_the_data_adapter_ready_to_compute_with():
    """The step converts nothing because the data adapter did: float inputs arrive as
    arrays in floatx, from arrays (converted once), a generator (each batch) or
    train_on_batch (float64 data gives the same step as float32 data)."""
    from kerlite.trainers.data_adapter import EpochIterator

    x = numpy.arange(12, dtype="float64").reshape(6, 2)
    y = numpy.zeros(6)
    for data in (EpochIterator(x, y, batch_size=4),
                 EpochIterator(((x[i:i + 2], y[i:i + 2]) for i in (0, 2, 4)),
                               steps_per_epoch=3)):
        inputs = [batch_x for _, (batch_x, _, _) in data.epoch()]
        assert [type(a) for a in inputs] == [numpy.ndarray] * len(inputs)
        assert {a.dtype for a in inputs} == {numpy.dtype("float32")}
        numpy.testing.assert_array_equal(numpy.concatenate(inputs), x.astype("float32"))

    def model():
        inputs = keras.Input((2,))
        made = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones")(inputs))
        made.compile(optimizer="sgd", loss="mse")
        return made

    from_float64 = model().train_on_batch(x, y)
    from_float32 = model().train_on_batch(x.astype("float32"), y)
    assert from_float64 == from_float32
