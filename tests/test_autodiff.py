"""The autodiff engine: GradientTape behaviour (as tf.GradientTape), Variable, graph
lifetime, deep graphs and reused values."""

import gc
import weakref

import numpy as np
import pytest

import kerlite
from kerlite import GradientTape, Variable, ops


def tensor(values):
    return ops.convert_to_tensor(np.asarray(values, dtype="float32"))


def test_derivative_of_a_polynomial():
    x = tensor(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x ** 2 + 3 * x
    assert float(tape.gradient(y, x)) == pytest.approx(7.0)


def test_unwatched_tensor_gets_none_and_nothing_is_recorded():
    x = tensor([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.sum(x * x)
    assert y._backward is None
    assert tape.gradient(y, x) is None


def test_nothing_is_recorded_outside_a_tape():
    v = Variable(np.ones(3))
    y = ops.sum(v * 2)
    assert y._backward is None and y._parents == ()


def test_trainable_variables_are_watched_automatically():
    w = Variable(np.array([1.0, -2.0]), name="w")
    frozen = Variable(np.array([3.0, 4.0]), trainable=False)
    with GradientTape() as tape:
        loss = ops.sum(w * frozen)
    grad_w, grad_frozen = tape.gradient(loss, [w, frozen])
    np.testing.assert_allclose(grad_w.numpy(), [3.0, 4.0])
    assert grad_frozen is None


def test_unconnected_source_gets_none():
    x, z = tensor([1.0]), tensor([5.0])
    with GradientTape() as tape:
        tape.watch([x, z])
        y = x * 3
    grad_x, grad_z = tape.gradient(y, [x, z])
    assert grad_x.numpy().tolist() == [3.0]
    assert grad_z is None


def test_non_persistent_tape_answers_once():
    x = tensor(1.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_persistent_tape_answers_several_times():
    x = tensor(3.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)
    assert float(tape.gradient(z, x)) == pytest.approx(27.0)
    assert float(tape.gradient(z, x)) == pytest.approx(27.0)


def test_nested_structures_of_sources_keep_their_shape():
    a, b, c = tensor(1.0), tensor(2.0), tensor(3.0)
    with GradientTape() as tape:
        tape.watch([a, b, c])
        y = a * b * c
    grads = tape.gradient(y, {"first": a, "rest": [b, (c,)]})
    assert set(grads) == {"first", "rest"}
    assert float(grads["first"]) == 6.0
    assert float(grads["rest"][0]) == 3.0
    assert isinstance(grads["rest"][1], tuple) and float(grads["rest"][1][0]) == 2.0


def test_gradient_accumulates_for_reused_values():
    x = tensor([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        h = ops.exp(x)
        y = ops.sum(h * h + h + x)  # d/dx = 2 e^2x + e^x + 1
    want = 2 * np.exp(2 * x.numpy()) + np.exp(x.numpy()) + 1
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-6)


def test_stop_gradient_blocks_one_path():
    x = tensor(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * ops.stop_gradient(x)  # d/dx = stop_gradient(x) only
    assert float(tape.gradient(y, x)) == 2.0


def test_stop_recording_pauses_the_tape():
    x = tensor(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            ignored = x * 10
        y = x * 3 + ignored
    assert float(tape.gradient(y, x)) == 3.0


def test_output_gradients_weight_the_target():
    x = tensor([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x, output_gradients=np.array([1.0, 10.0], "float32"))
    np.testing.assert_allclose(grad.numpy(), [2.0, 40.0])


def test_non_scalar_target_is_summed():
    x = tensor([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])


def test_deep_graph_of_ten_thousand_ops_has_no_recursion_error():
    x = tensor(1.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(10_000):
            y = y * 1.0001
    assert float(tape.gradient(y, x)) == pytest.approx(1.0001 ** 10_000, rel=1e-3)


def test_graph_is_freed_after_gradient():
    x = tensor([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        hidden = ops.tanh(x)
        y = ops.sum(hidden * hidden)
    probe = weakref.ref(hidden)
    del hidden
    gc.collect()
    assert probe() is not None  # still needed: y's graph holds it
    tape.gradient(y, x)
    assert probe() is None, "the recorded graph kept an intermediate tensor alive"


def test_persistent_tape_keeps_the_graph_until_it_goes():
    x = tensor([1.0])
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        hidden = x * 2
        y = hidden * hidden
    probe = weakref.ref(hidden)
    del hidden
    tape.gradient(y, x)
    assert probe() is not None
    del y
    assert probe() is None


def test_watch_rejects_arrays_with_a_hint():
    with GradientTape() as tape:
        with pytest.raises(TypeError, match="convert_to_tensor"):
            tape.watch(np.ones(2))


def test_gradient_target_must_be_a_tensor():
    with GradientTape() as tape:
        pass
    with pytest.raises(TypeError, match="target"):
        tape.gradient(3.0, tensor(1.0))


# --- Variable ----------------------------------------------------------------------------
def test_variable_basics():
    v = Variable(np.array([[1.0, 2.0]]), name="kernel")
    assert v.shape == (1, 2) and v.dtype == "float32" and v.trainable
    assert v.name == "kernel"
    assert v.value is v
    assert isinstance(v.numpy(), np.ndarray)
    v.assign([[5.0, 6.0]])
    np.testing.assert_array_equal(v.numpy(), [[5.0, 6.0]])
    v.assign_add(np.ones((1, 2)))
    v.assign_sub(np.full((1, 2), 0.5))
    np.testing.assert_array_equal(v.numpy(), [[5.5, 6.5]])
    assert v.dtype == "float32"


def test_variable_assign_keeps_array_identity_and_checks_shape():
    v = Variable(np.zeros(3))
    data = v.data
    v.assign(np.arange(3))
    assert v.data is data  # updated in place: optimizers and views see the change
    with pytest.raises(ValueError, match="shape"):
        v.assign(np.zeros(4))


def test_variable_from_initializer_name_needs_shape():
    with pytest.raises(ValueError, match="shape"):
        Variable("zeros")


def test_variable_does_not_alias_the_caller_array():
    source = np.ones(2, dtype="float32")
    v = Variable(source)
    v.assign_add(np.ones(2))
    np.testing.assert_array_equal(source, [1.0, 1.0])


def test_variable_dtype_and_trainable_flag():
    assert Variable(np.ones(2), dtype="float64").dtype == "float64"
    counter = Variable(np.array(0), dtype="int32", trainable=False)
    assert counter.dtype == "int32" and not counter.trainable
    v = Variable(np.ones(2))
    v.trainable = False
    with GradientTape() as tape:
        y = ops.sum(v * 2)
    assert tape.gradient(y, v) is None


def test_variable_in_ops_and_operators():
    v = Variable(np.array([1.0, 2.0]))
    with GradientTape() as tape:
        y = ops.sum((v + 1) * v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [3.0, 5.0])


def test_tensor_array_protocol_and_repr():
    t = tensor([[1.0, 2.0]])
    assert np.asarray(t).dtype == np.float32
    assert "shape=(1, 2)" in repr(t) and "float32" in repr(t)
    assert len(t) == 1 and t.ndim == 2 and t.size == 2
    assert isinstance(kerlite.Tensor, type)


def test_tape_without_watch_accessed_variables_differentiates_only_what_it_watches():
    a, b = kerlite.Variable(np.array(2.0)), kerlite.Variable(np.array(3.0))
    with kerlite.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    grad_a, grad_b = tape.gradient(y, [a, b])
    assert float(grad_a.numpy()) == 3.0 and grad_b is None
    with kerlite.GradientTape() as tape:  # the default watches every trainable Variable
        y = a * b
    assert [float(g.numpy()) for g in tape.gradient(y, [a, b])] == [3.0, 2.0]


def test_numpy_copies_of_a_variable_do_not_follow_later_assignments():
    # keras-io "Making new layers": a layer returns its variable, the reader keeps
    # np.array(...) of it; Keras's arrays are immutable, so the copy must not change.
    variable = Variable(np.zeros(2, dtype="float32"))
    snapshots = [np.array(variable), np.asarray(variable), variable.numpy(),
                 np.array(ops.add(variable, 0.0), copy=True)]
    variable.assign_add(np.ones(2, dtype="float32"))
    for snapshot in snapshots:
        np.testing.assert_array_equal(snapshot, [0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(variable), [1.0, 1.0])
