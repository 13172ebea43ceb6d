"""keras-io guide "Understanding masking & padding", run on kerlite and on Keras 3.

Each section's code is the guide's (Keras 3 version, written with ``keras.ops``), apart
from the import: it runs once with ``lib = kerlite`` and once with ``lib = keras``, and
the masks (values, shapes, dtypes) and outputs on the same weights must agree. The point
of the guide is that masks travel through functional and Sequential models while the
graph is built: ``x._keras_mask`` is a symbolic bool tensor and a layer whose ``call``
takes ``mask=`` receives it.
"""

import numpy as np
import pytest

import kerlite
from _keras_reference import import_keras

pytestmark = pytest.mark.parity

RAW_INPUTS = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]


def _array(tensor):
    return np.asarray(getattr(tensor, "data", tensor))


def _both():
    return kerlite, import_keras()


# --- the guide's custom layers, written once for either library ----------------------

def guide_layers(lib):
    """The five custom layers of the guide, for ``lib`` (kerlite or keras)."""
    ops = lib.ops

    class MyLayer(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.embedding = lib.layers.Embedding(input_dim=5000, output_dim=16,
                                                  mask_zero=True)
            self.lstm = lib.layers.LSTM(32)

        def call(self, inputs):
            x = self.embedding(inputs)
            # Note that you could also prepare a `mask` tensor manually.
            mask = self.embedding.compute_mask(inputs)
            output = self.lstm(x, mask=mask)  # The layer will ignore the masked values
            return output

    class TemporalSplit(lib.layers.Layer):
        """Split the input tensor into 2 tensors along the time dimension."""

        def call(self, inputs):
            # Expect the input to be 3D and mask to be 2D, split the input tensor into
            # 2 subtensors along the time axis (axis 1).
            return ops.split(inputs, 2, axis=1)

        def compute_mask(self, inputs, mask=None):
            # Also split the mask into 2 if it presents.
            if mask is None:
                return None
            return ops.split(mask, 2, axis=1)

    class CustomEmbedding(lib.layers.Layer):
        def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
            super().__init__(**kwargs)
            self.input_dim = input_dim
            self.output_dim = output_dim
            self.mask_zero = mask_zero

        def build(self, input_shape):
            self.embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim),
                initializer="random_normal",
                dtype="float32",
            )

        def call(self, inputs):
            inputs = ops.cast(inputs, "int32")
            return ops.take(self.embeddings, inputs, axis=0)

        def compute_mask(self, inputs, mask=None):
            if not self.mask_zero:
                return None
            return ops.not_equal(inputs, 0)

    class MyActivation(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # Signal that the layer is safe for mask propagation
            self.supports_masking = True

        def call(self, inputs):
            return ops.relu(inputs)

    class TemporalSoftmax(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            assert mask is not None
            broadcast_float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
            inputs_exp = ops.exp(inputs) * broadcast_float_mask
            inputs_sum = ops.sum(inputs_exp * broadcast_float_mask, axis=-1,
                                 keepdims=True)
            return inputs_exp / inputs_sum

    return dict(MyLayer=MyLayer, TemporalSplit=TemporalSplit,
                CustomEmbedding=CustomEmbedding, MyActivation=MyActivation,
                TemporalSoftmax=TemporalSoftmax)


# --- sections -------------------------------------------------------------------------

def test_padding_and_mask_generating_layers_match_keras():
    results = []
    for lib in _both():
        padded_inputs = lib.utils.pad_sequences(RAW_INPUTS, padding="post")
        embedding = lib.layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        masked_output = embedding(padded_inputs)
        masking_layer = lib.layers.Masking()
        unmasked_embedding = lib.ops.cast(
            lib.ops.tile(lib.ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]),
            dtype="float32")
        masked_embedding = masking_layer(unmasked_embedding)
        results.append((_array(padded_inputs), _array(masked_output._keras_mask),
                        _array(masked_embedding._keras_mask)))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)
    assert results[0][1].dtype == bool and results[0][1].shape == (3, 6)


def test_mask_propagates_in_sequential_and_functional_models():
    for lib in _both():
        layers = lib.layers
        model = lib.Sequential([
            layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True),
            layers.LSTM(32),
        ])
        inputs = lib.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
        mask = x._keras_mask
        assert isinstance(mask, lib.KerasTensor), lib.__name__
        assert tuple(mask.shape) == (None, None) and mask.dtype == "bool", lib.__name__
        outputs = layers.LSTM(32)(x)
        model = lib.Model(inputs, outputs)
        assert tuple(model.output.shape) == (None, 32)


def test_passing_mask_tensors_directly_to_layers():
    shapes = []
    for lib in _both():
        layer = guide_layers(lib)["MyLayer"]()
        x = (np.random.default_rng(0).random((32, 10)) * 100).astype("int32")
        shapes.append(tuple(layer(x).shape))
    assert shapes == [(32, 32), (32, 32)]


def test_temporal_split_splits_the_mask_eagerly_and_symbolically():
    eager, symbolic = [], []
    for lib in _both():
        TemporalSplit = guide_layers(lib)["TemporalSplit"]
        padded_inputs = lib.utils.pad_sequences(RAW_INPUTS, padding="post")
        masked_embedding = lib.layers.Masking()(lib.ops.cast(
            lib.ops.tile(lib.ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]),
            dtype="float32"))
        first_half, second_half = TemporalSplit()(masked_embedding)
        eager.append([_array(first_half._keras_mask), _array(second_half._keras_mask)])

        inputs = lib.Input(shape=(6, 10))
        halves = TemporalSplit()(lib.layers.Masking()(inputs))
        symbolic.append([(tuple(h._keras_mask.shape), h._keras_mask.dtype) for h in halves])
    for ours, theirs in zip(*eager):
        np.testing.assert_array_equal(ours, theirs)
    assert symbolic[0] == symbolic[1] == [((None, 3), "bool"), ((None, 3), "bool")]


def test_custom_embedding_generates_a_mask():
    masks, symbolic = [], []
    x = (np.random.default_rng(1).random((3, 10)) * 9).astype("int32")
    for lib in _both():
        layer = guide_layers(lib)["CustomEmbedding"](10, 32, mask_zero=True)
        y = layer(x)
        mask = layer.compute_mask(x)
        masks.append((_array(mask), _array(y._keras_mask)))
        tokens = lib.Input(shape=(None,), dtype="int32")
        embedded = guide_layers(lib)["CustomEmbedding"](10, 32, mask_zero=True)(tokens)
        symbolic.append((tuple(embedded._keras_mask.shape), embedded._keras_mask.dtype))
    for ours, theirs in zip(*masks):
        np.testing.assert_array_equal(ours, theirs)
    assert symbolic[0] == symbolic[1] == ((None, None), "bool")


def test_opting_in_to_mask_propagation_reaches_the_lstm():
    outputs = []
    tokens = np.random.default_rng(2).integers(0, 50, size=(4, 7))
    tokens[:, 4:] = 0
    for lib in _both():
        layers = lib.layers
        inputs = lib.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(input_dim=50, output_dim=16, mask_zero=True)(inputs)
        x = guide_layers(lib)["MyActivation"]()(x)  # Will pass the mask along
        assert x._keras_mask is not None, lib.__name__
        outputs_tensor = layers.LSTM(8)(x)  # Will receive the mask
        outputs.append(lib.Model(inputs, outputs_tensor))
    ours, theirs = outputs
    ours.set_weights(theirs.get_weights())
    # The LSTM skips the padded steps: the padded batch gives the unpadded result.
    np.testing.assert_allclose(_array(ours(tokens)), np.asarray(theirs(tokens)),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_array(ours(tokens)), _array(ours(tokens[:, :4])),
                               rtol=1e-5, atol=1e-6)


def test_temporal_softmax_receives_the_mask_while_the_graph_is_built():
    models = []
    for lib in _both():
        layers = lib.layers
        inputs = lib.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
        x = layers.Dense(1)(x)
        outputs = guide_layers(lib)["TemporalSoftmax"]()(x)  # asserts mask is not None
        models.append(lib.Model(inputs, outputs))
    ours, theirs = models
    ours.set_weights(theirs.get_weights())
    tokens = np.random.default_rng(3).integers(0, 10, size=(32, 100))
    # The guide's line passes a second positional argument, which binds to `training`
    # in `Model.call(inputs, training=None, mask=None)`. Keras 3.15 itself raises
    # "got multiple values for argument 'training'" there (it also fills `training` by
    # keyword); kerlite binds it as Python would, so the guide's line runs.
    y_ours = ours(tokens, np.random.random((32, 100, 1)))
    y_theirs = theirs(tokens)
    np.testing.assert_allclose(_array(y_ours), np.asarray(y_theirs), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(_array(y_ours._keras_mask), tokens != 0)
