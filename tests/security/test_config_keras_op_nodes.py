"""Op nodes in a Keras 3 file resolve through kerlite's registry of saveable ops, with the
arguments Keras keeps in each node's config (``Sum``'s axis, ``Tile``'s repeats), and
give Keras's numbers; and both libraries refuse a config that names a saving/loading
function.
"""

import numpy as np
import pytest

import kerlite as keras
from _keras_reference import import_keras


def _keras_model_with_ops(keras3):
    ops = keras3.ops
    x = keras3.Input((4, 3))
    outputs = [ops.sum(x, axis=1), ops.reshape(x, (-1, 12)), x[:, 1:3, 0],
               ops.cast(ops.not_equal(x, 0.0), "float32"), ops.tile(ops.sum(x, axis=1), (1, 2)),
               ops.image.resize(ops.expand_dims(x, -1), (8, 6)),
               ops.matmul(x, ops.transpose(x, (0, 2, 1))),
               ops.mean(x, axis=-1, keepdims=True), ops.concatenate([x, x * 2.0], axis=-1),
               ops.einsum("bij,bkj->bik", x, x)]
    return keras3.Model(x, outputs)


@pytest.mark.parity
def test_keras_op_nodes_load_with_their_arguments(tmp_path):
    keras3 = import_keras()
    model = _keras_model_with_ops(keras3)
    path = tmp_path / "ops.keras"
    model.save(path)
    data = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")
    expected = model.predict(data, verbose=0)
    loaded = keras.saving.load_model(path)
    for want, got in zip(expected, loaded.predict(data, verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parity
def test_both_refuse_a_load_model_reference():
    keras3 = import_keras()
    reference = {"module": "keras.models", "class_name": "function",
                 "config": "load_model", "registered_name": "load_model"}
    for library in (keras, keras3):
        with pytest.raises(ValueError, match="not a modeling function"):
            library.saving.deserialize_keras_object(reference)
