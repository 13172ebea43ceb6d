"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention.

Same numbers as Keras 3 on the same weights (outputs and attention scores, with every
kind of mask), gradients against finite differences, configs, .keras files both ways,
symbolic use in functional models, training, and the error messages.
"""

import numpy as np
import pytest

import kerlite as keras
from _keras_reference import import_keras
from kerlite import layers, ops
from kerlite.autodiff import GradientTape
from kerlite.testing import check_grad


def sample(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def tokens_with_padding():
    """Two padded sequences of ids (0 is padding) and their mask."""
    tokens = np.array([[3, 1, 4, 1, 0, 0], [2, 7, 0, 0, 0, 0]], dtype="int32")
    return tokens, tokens != 0


def assert_close(ours, theirs, atol=2e-5):
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-4, atol=atol)


def numeric_weight_gradients(layer, loss_of_layer, eps=1e-6):
    """Central differences of ``loss_of_layer()`` for every trainable weight entry."""
    grads = []
    for variable in layer.trainable_weights:
        value = variable.numpy().copy()
        grad = np.zeros_like(value)
        for index in np.ndindex(*value.shape):
            for sign in (1, -1):
                shifted = value.copy()
                shifted[index] += sign * eps
                variable.assign(shifted)
                grad[index] += sign * float(loss_of_layer().numpy()) / (2 * eps)
        variable.assign(value)
        grads.append(grad)
    return grads


def assert_weight_gradients_match(layer, loss_of_layer):
    with GradientTape() as tape:
        loss = loss_of_layer()
    analytic = tape.gradient(loss, layer.trainable_weights)
    for variable, got, want in zip(layer.trainable_weights, analytic,
                                   numeric_weight_gradients(layer, loss_of_layer)):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-7,
                                   err_msg=variable.path)


# --- MultiHeadAttention: weights ------------------------------------------------------
def test_mha_weights_have_keras_names_shapes_and_order():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3)
    assert mha.weights == []  # the projections are created by build
    mha(sample(2, 5, 8), sample(2, 7, 6))
    assert [(w.path, w.shape) for w in mha.weights] == [
        ("query/kernel", (8, 2, 4)), ("query/bias", (2, 4)),
        ("key/kernel", (6, 2, 4)), ("key/bias", (2, 4)),
        ("value/kernel", (6, 2, 3)), ("value/bias", (2, 3)),
        ("attention_output/kernel", (2, 3, 8)), ("attention_output/bias", (8,))]
    assert mha.count_params() == 8 * 8 + 8 + 6 * 8 + 8 + 6 * 6 + 6 + 6 * 8 + 8


def test_mha_glorot_counts_fans_over_heads_as_keras_einsum_dense():
    mha = layers.MultiHeadAttention(num_heads=4, key_dim=8)
    mha(sample(1, 2, 16), sample(1, 2, 16))
    limit = np.sqrt(6.0 / (16 + 4 * 8))  # fan_in = 16, fan_out = heads * key_dim
    kernel = mha.query_dense.kernel.numpy()
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit


@pytest.mark.parity
def test_mha_weights_transfer_from_keras_in_the_same_order():
    real = import_keras()
    options = dict(num_heads=2, key_dim=3, value_dim=2, output_shape=(4,), use_gate=True)
    theirs = real.layers.MultiHeadAttention(**options)
    ours = layers.MultiHeadAttention(**options)
    q, v, k = sample(2, 3, 5), sample(2, 4, 6, seed=1), sample(2, 4, 7, seed=2)
    theirs(q, v, k, return_attention_scores=True)
    ours(q, v, k)
    assert [w.shape for w in ours.get_weights()] == [
        tuple(w.shape) for w in theirs.get_weights()]
    assert [w.path for w in ours.weights] == [
        w.path.split("/", 1)[1] for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    # (Keras's fused kernel, used without scores, fails when value_dim != key_dim.)
    assert_close(ours(q, v, k, return_attention_scores=True)[0],
                 theirs(q, v, k, return_attention_scores=True)[0])


# --- MultiHeadAttention: the same numbers as Keras ------------------------------------
MHA_CASES = {
    "self": (dict(), dict()),
    "cross_with_key": (dict(value_dim=3), dict(key=True)),
    "output_shape_no_bias": (dict(output_shape=(2, 3), use_bias=False), dict()),
    "causal": (dict(), dict(self_attention=True, use_causal_mask=True)),
    "attention_mask": (dict(), dict(attention_mask=True)),
    "attention_mask_and_causal": (dict(), dict(self_attention=True, attention_mask=True,
                                               use_causal_mask=True)),
    "sliding_window_and_causal": (dict(sliding_window=2),
                                  dict(self_attention=True, use_causal_mask=True)),
    "gate": (dict(use_gate=True), dict()),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", list(MHA_CASES))
def test_mha_outputs_and_scores_match_keras(case):
    real = import_keras()
    options, call = MHA_CASES[case]
    call = dict(call)
    q = sample(2, 4, 6)
    v = q if call.pop("self_attention", False) else sample(2, 5, 6, seed=1)
    args = (q, v, sample(2, v.shape[1], 3, seed=2)) if call.pop("key", False) else (q, v)
    if call.pop("attention_mask", False):
        mask = np.random.default_rng(3).random((2, 4, v.shape[1])) > 0.3
        mask[:, :, 0] = True  # every query sees something
        call["attention_mask"] = mask
    theirs = real.layers.MultiHeadAttention(num_heads=2, key_dim=3, **options)
    ours = layers.MultiHeadAttention(num_heads=2, key_dim=3, **options)
    theirs(*args, return_attention_scores=True)
    ours(*args)
    ours.set_weights(theirs.get_weights())
    out, scores = ours(*args, return_attention_scores=True, **call)
    want_out, want_scores = theirs(*args, return_attention_scores=True, **call)
    assert_close(out, want_out)
    assert_close(scores, want_scores)
    if "value_dim" not in options:  # Keras's fused kernel fails on value_dim != key_dim
        assert_close(ours(*args, **call), theirs(*args, **call))


@pytest.mark.parity
@pytest.mark.parametrize("axes,value_shape,mask_shape", [
    (None, (2, 2, 6, 5), None),  # attention over axes 1 and 2 together
    ((1, 2), (2, 2, 6, 5), None),
    ((2,), (2, 3, 6, 5), (2, 3, 4, 6)),  # over axis 2; axis 1 is one more batch axis
    (-3, (2, 6, 4, 5), (2, 4, 3, 6)),  # -3 counts from the input's end: axis 1
])
def test_mha_attention_axes_on_rank_4_inputs_match_keras(axes, value_shape, mask_shape):
    real = import_keras()
    q, v = sample(2, 3, 4, 5), sample(*value_shape, seed=1)
    call = dict(return_attention_scores=True)
    if mask_shape is not None:
        call["attention_mask"] = np.random.default_rng(5).random(mask_shape) > 0.3
        call["attention_mask"][..., 0] = True
    theirs = real.layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=axes)
    ours = layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=axes)
    theirs(q, v, return_attention_scores=True)
    ours(q, v)
    ours.set_weights(theirs.get_weights())
    out, scores = ours(q, v, **call)
    want_out, want_scores = theirs(q, v, **call)
    assert_close(out, want_out)
    assert_close(scores, want_scores)
    resolved = tuple(theirs.get_config()["attention_axes"])
    assert ours.get_config()["attention_axes"] == resolved
    symbolic = ours(keras.Input(q.shape[1:]), keras.Input(v.shape[1:]), **call)
    assert [s.shape[1:] for s in symbolic] == [out.shape[1:], scores.shape[1:]]


@pytest.mark.parity
def test_mha_embedding_masks_match_keras_and_the_output_keeps_the_query_mask():
    real = import_keras()
    tokens, mask = tokens_with_padding()
    other = np.array([[5, 6, 0], [1, 0, 0]], dtype="int32")

    def run(lib, weights=None):
        embed_q = lib.layers.Embedding(10, 6, mask_zero=True)
        embed_v = lib.layers.Embedding(10, 6, mask_zero=True)
        mha = lib.layers.MultiHeadAttention(num_heads=2, key_dim=3)
        mha(embed_q(tokens), embed_v(other))
        if weights is not None:
            for layer, values in zip((embed_q, embed_v, mha), weights):
                layer.set_weights(values)
        # Fresh embeddings for each call: Keras removes the masks of the inputs it sees.
        out, scores = mha(embed_q(tokens), embed_v(other), return_attention_scores=True)
        self_out, self_scores = mha(embed_q(tokens), embed_q(tokens),
                                    return_attention_scores=True, use_causal_mask=True)
        return [l.get_weights() for l in (embed_q, embed_v, mha)], out, scores, \
            self_out, self_scores

    weights, *want = run(real)
    _, *got = run(keras, weights)
    for ours, theirs in zip(got, want):
        assert_close(ours, theirs)
    np.testing.assert_array_equal(np.asarray(got[0]._keras_mask), mask)
    assert getattr(got[1], "_keras_mask", None) is None  # the scores carry no mask
    # A padded query step attends to nothing: its probabilities are all zero.
    assert np.all(got[1].numpy()[1, :, 2:, :] == 0)
    assert np.all(got[1].numpy()[0, :, :, 2:] == 0)  # padded value steps get nothing


def test_mha_explicit_value_mask_and_fully_masked_rows():
    mha = layers.MultiHeadAttention(num_heads=1, key_dim=2)
    q, v = sample(1, 2, 3), sample(1, 3, 3, seed=1)
    _, scores = mha(q, v, value_mask=np.array([[1, 0, 1]]), return_attention_scores=True)
    np.testing.assert_allclose(scores.numpy()[0, 0, :, 1], 0.0)
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-6)
    _, scores = mha(q, v, key_mask=np.array([[0, 1, 1]]), query_mask=np.array([[1, 0]]),
                    return_attention_scores=True)
    np.testing.assert_array_equal(scores.numpy()[0, 0, :, 0], 0.0)  # the key mask
    np.testing.assert_array_equal(scores.numpy()[0, 0, 1], 0.0)  # the query mask
    out, scores = mha(q, v, attention_mask=np.array([[[1, 1, 1], [0, 0, 0]]]),
                      return_attention_scores=True)
    np.testing.assert_array_equal(scores.numpy()[0, 0, 1], 0.0)
    # Nothing attended: the output row is the output projection's bias alone.
    np.testing.assert_allclose(out.numpy()[0, 1], mha.output_dense.bias.numpy(), atol=1e-6)


def test_mha_dropout_acts_on_probabilities_only_in_training():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=1)
    q = sample(2, 6, 8)
    inference, scores = mha(q, q, return_attention_scores=True)
    again = mha(q, q, training=False)
    np.testing.assert_array_equal(inference.numpy(), again.numpy())
    trained, train_scores = mha(q, q, training=True, return_attention_scores=True)
    assert not np.allclose(trained.numpy(), inference.numpy())
    # The returned scores are the probabilities before dropout.
    np.testing.assert_allclose(train_scores.numpy(), scores.numpy(), rtol=1e-6)


# --- MultiHeadAttention: gradients ----------------------------------------------------
@pytest.mark.parametrize("options,call", [
    (dict(), dict()),
    (dict(value_dim=2, output_shape=3), dict(use_causal_mask=True)),
    (dict(attention_axes=(1, 2)), dict()),
])
def test_mha_gradients_match_finite_differences(options, call):
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="float64", **options)
    rank4 = "attention_axes" in options
    q = np.random.default_rng(0).normal(size=(2, 2, 3, 3) if rank4 else (2, 3, 3))
    v = q if call else np.random.default_rng(1).normal(size=q.shape)
    mha(q, v)
    if call:  # self-attention with a causal mask
        check_grad(lambda x: mha(x, x, **call), q)
    else:
        check_grad(lambda a, b: mha(a, b), q, v)
    weights = np.random.default_rng(2).normal(size=mha(q, v, **call).shape)
    assert_weight_gradients_match(mha, lambda: ops.sum(ops.multiply(mha(q, v, **call),
                                                                    weights)))


def test_mha_gradients_with_masks_and_scores():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="float64")
    q = np.random.default_rng(0).normal(size=(2, 3, 4))
    mask = np.array([[[1, 1, 0], [1, 0, 1], [0, 0, 1]]] * 2, dtype=bool)

    def both_outputs(x):
        out, scores = mha(x, x, attention_mask=mask, return_attention_scores=True)
        return [out, scores]

    check_grad(both_outputs, q)


# --- MultiHeadAttention: functional models, config, saving ----------------------------
def cross_attention_model(lib):
    q, v = lib.Input((5, 8)), lib.Input((7, 6))
    out, scores = lib.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(
        q, v, return_attention_scores=True)
    return lib.Model([q, v], [lib.layers.Dense(3)(out), scores])


def masked_self_attention_model(lib):
    tokens = lib.Input((6,), dtype="int32")
    x = lib.layers.Embedding(10, 8, mask_zero=True)(tokens)
    attended = lib.layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.1)(
        x, x, use_causal_mask=True)
    x = lib.layers.LayerNormalization()(lib.layers.Add()([x, attended]))
    return lib.Model(tokens, lib.layers.Dense(2)(x))


def test_mha_symbolic_shapes_and_summary():
    model = cross_attention_model(keras)
    assert [tuple(o.shape) for o in model.outputs] == [(None, 5, 3), (None, 2, 5, 7)]
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "mha (MultiHeadAttention)" in text and "(None, 5, 8), (None, 2," in text
    assert "256" in text  # the attention layer's parameter count, as in Keras
    assert [tuple(t.shape) for t in model.get_layer("mha").output] == [
        (None, 5, 8), (None, 2, 5, 7)]
    outputs = model([sample(3, 5, 8), sample(3, 7, 6)])
    assert [o.shape for o in outputs] == [(3, 5, 3), (3, 2, 5, 7)]
    x = keras.Input((4, 6))
    self_attention = keras.Model(x, layers.MultiHeadAttention(3, 2)(x, x))
    assert self_attention.output.shape == (None, 4, 6)


def test_mha_config_round_trip():
    mha = layers.MultiHeadAttention(
        num_heads=3, key_dim=2, value_dim=5, dropout=0.2, use_bias=False, output_shape=7,
        attention_axes=-2, kernel_initializer="he_normal", kernel_regularizer="l2",
        sliding_window=3, seed=4, name="attend")
    config = mha.get_config()
    assert config["output_shape"] == (7,) and config["attention_axes"] == (-2,)
    clone = layers.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    mha(sample(1, 4, 3), sample(1, 4, 3))
    assert mha.get_config()["attention_axes"] == (1,)  # resolved by build, as in Keras
    assert mha.get_build_config() == {
        "shapes_dict": {"query_shape": (1, 4, 3), "value_shape": (1, 4, 3)}}


def test_mha_keras_file_round_trip(tmp_path):
    model = masked_self_attention_model(keras)
    tokens, _ = tokens_with_padding()
    path = str(tmp_path / "mha.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(reloaded.predict(tokens, verbose=0),
                               model.predict(tokens, verbose=0), rtol=1e-6)
    model = cross_attention_model(keras)
    model.save(path)
    reloaded = keras.models.load_model(path)
    x = [sample(2, 5, 8), sample(2, 7, 6)]
    for a, b in zip(reloaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def key_and_mask_inputs_model(lib):
    q, v, k = lib.Input((4, 6)), lib.Input((5, 6)), lib.Input((5, 3))
    allowed = lib.Input((4, 5), dtype="bool")
    out, scores = lib.layers.MultiHeadAttention(num_heads=2, key_dim=3)(
        q, v, k, attention_mask=allowed, return_attention_scores=True)
    return lib.Model([q, v, k, allowed], [out, scores])


def inputs_for(builder):
    if builder is masked_self_attention_model:
        return tokens_with_padding()[0]
    if builder is cross_attention_model:
        return [sample(2, 5, 8), sample(2, 7, 6)]
    allowed = np.random.default_rng(0).random((2, 4, 5)) > 0.3
    return [sample(2, 4, 6), sample(2, 5, 6, seed=1), sample(2, 5, 3, seed=2), allowed]


@pytest.mark.parity
@pytest.mark.parametrize("builder", [cross_attention_model, masked_self_attention_model,
                                     key_and_mask_inputs_model])
def test_mha_files_open_in_keras_and_back(builder, tmp_path):
    real = import_keras()
    _, mask = tokens_with_padding()
    x = inputs_for(builder)

    def compare(ours, theirs):
        ours = ours if isinstance(ours, list) else [ours]
        theirs = theirs if isinstance(theirs, list) else [theirs]
        for a, b in zip(ours, theirs):
            if builder is masked_self_attention_model:  # Keras's fused kernel differs
                a, b = a[mask], b[mask]  # only on padded query steps
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)

    model = builder(keras)
    model.save(str(tmp_path / "ours.keras"))
    theirs = real.saving.load_model(str(tmp_path / "ours.keras"))
    compare(model.predict(x, verbose=0), theirs.predict(x, verbose=0))
    model = builder(real)
    model.save(str(tmp_path / "theirs.keras"))
    ours = keras.models.load_model(str(tmp_path / "theirs.keras"))
    assert ours.count_params() == model.count_params()
    compare(ours.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_tiny_transformer_block_learns_to_average_over_time():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(256, 5, 4)).astype("float32")
    y = np.repeat(x.mean(axis=1, keepdims=True), 5, axis=1)
    inputs = keras.Input((5, 4))
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    h = layers.LayerNormalization()(layers.Add()([inputs, attended]))
    model = keras.Model(inputs, layers.Dense(4)(h))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=25, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.3 * losses[0], losses


@pytest.mark.parametrize("arguments,message", [
    (dict(num_heads=0, key_dim=2), "num_heads"),
    (dict(num_heads=2, key_dim=2.5), "key_dim"),
    (dict(num_heads=2, key_dim=2, value_dim=-1), "value_dim"),
    (dict(num_heads=2, key_dim=2, attention_axes="time"), "attention_axes"),
    (dict(num_heads=2, key_dim=2, output_shape="wide"), "output_shape"),
    (dict(num_heads=2, key_dim=2, flash_attention=True), "flash_attention"),
])
def test_mha_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        layers.MultiHeadAttention(**arguments)


def test_mha_call_errors_say_what_was_wrong():
    mha = layers.MultiHeadAttention(2, 2, name="attend")
    with pytest.raises(ValueError, match="except the last one"):
        mha(sample(1, 3, 4), sample(1, 5, 4), sample(1, 6, 4))
    with pytest.raises(ValueError, match="same rank, at least 3"):
        layers.MultiHeadAttention(2, 2)(sample(2, 4), sample(2, 4))
    with pytest.raises(ValueError, match="attention_axes"):
        layers.MultiHeadAttention(2, 2, attention_axes=2)(sample(1, 3, 4), sample(1, 3, 4))
    with pytest.raises(ValueError, match="needs a query and a value"):
        mha(sample(1, 3, 4))
    mha(sample(1, 3, 4), sample(1, 5, 4))
    with pytest.raises(ValueError, match=r"mask of shape \(1, 1, 3, 4\)"):
        mha(sample(1, 3, 4), sample(1, 5, 4), attention_mask=np.ones((1, 3, 4)))
    with pytest.raises(ValueError, match="rank 3"):
        layers.MultiHeadAttention(2, 2)(sample(1, 2, 3, 4), sample(1, 2, 3, 4),
                                        use_causal_mask=True)


# --- Attention and AdditiveAttention --------------------------------------------------
ATTENTION_CASES = {
    "dot": ("Attention", dict(), dict()),
    "dot_scaled_with_key": ("Attention", dict(use_scale=True), dict(key=True)),
    "concat": ("Attention", dict(score_mode="concat"), dict()),
    "concat_scaled_causal": ("Attention", dict(score_mode="concat", use_scale=True),
                             dict(use_causal_mask=True)),
    "additive": ("AdditiveAttention", dict(), dict(key=True)),
    "additive_unscaled_causal": ("AdditiveAttention", dict(use_scale=False),
                                 dict(use_causal_mask=True)),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", list(ATTENTION_CASES))
@pytest.mark.parametrize("masked", [False, True])
def test_attention_outputs_and_scores_match_keras(case, masked):
    real = import_keras()
    name, options, call = ATTENTION_CASES[case]
    call = dict(call)
    inputs = [sample(2, 4, 3), sample(2, 5, 3, seed=1)]
    if call.pop("key", False):
        inputs.append(sample(2, 5, 3, seed=2))
    if masked:
        call["mask"] = [np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool),
                        np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)]
    theirs = getattr(real.layers, name)(**options)
    ours = getattr(layers, name)(**options)
    theirs(inputs)
    ours(inputs)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    if theirs.weights:
        values = np.random.default_rng(7).uniform(0.5, 1.5, size=len(theirs.weights) * 3)
        theirs.set_weights([values[:int(np.prod(w.shape))].reshape(w.shape).astype("float32")
                            for w in theirs.weights])
        ours.set_weights(theirs.get_weights())
    out, scores = ours(inputs, return_attention_scores=True, **call)
    want_out, want_scores = theirs(inputs, return_attention_scores=True, **call)
    assert_close(out, want_out)
    assert_close(scores, want_scores)


@pytest.mark.parity
def test_attention_weights_are_created_as_in_keras():
    real = import_keras()
    for name, options in [("Attention", dict(use_scale=True, score_mode="concat")),
                          ("AdditiveAttention", dict())]:
        theirs = getattr(real.layers, name)(**options)
        ours = getattr(layers, name)(**options)
        theirs([sample(1, 2, 3), sample(1, 4, 3)])
        ours([sample(1, 2, 3), sample(1, 4, 3)])
        assert [(w.name, w.shape) for w in ours.weights] == [
            (w.name, tuple(w.shape)) for w in theirs.weights]
        if name == "Attention":  # both scalars start at one, as in Keras
            assert [float(w.numpy()) for w in ours.weights] == [1.0, 1.0]


def test_attention_embedding_masks_reach_the_layer_and_the_query_mask_passes_on():
    tokens, mask = tokens_with_padding()
    embedded = layers.Embedding(10, 4, mask_zero=True)(tokens)
    out, scores = layers.Attention()([embedded, embedded], return_attention_scores=True)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), mask)
    np.testing.assert_array_equal(out.numpy()[~mask], 0.0)  # padded query steps
    np.testing.assert_allclose(scores.numpy()[:, :, ~mask[1]][1], 0.0, atol=1e-30)


@pytest.mark.parametrize("name,options", [
    ("Attention", dict(use_scale=True)),
    ("Attention", dict(use_scale=True, score_mode="concat")),
    ("AdditiveAttention", dict()),
])
def test_attention_gradients_match_finite_differences(name, options):
    layer = getattr(layers, name)(dtype="float64", **options)
    rng = np.random.default_rng(0)
    q, v, k = (rng.normal(size=shape) for shape in [(2, 3, 4), (2, 4, 4), (2, 4, 4)])
    mask = [np.array([[1, 1, 0], [1, 1, 1]], bool),
            np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool)]
    layer([q, v, k])
    check_grad(lambda a, b, c: layer([a, b, c], mask=mask, use_causal_mask=True), q, v, k)
    weights = rng.normal(size=(2, 3, 4))
    assert_weight_gradients_match(
        layer, lambda: ops.sum(ops.multiply(layer([q, v, k], mask=mask), weights)))


def test_attention_dropout_only_in_training():
    layer = layers.Attention(dropout=0.5, seed=2)
    inputs = [sample(2, 4, 3), sample(2, 6, 3, seed=1)]
    inference = layer(inputs).numpy()
    np.testing.assert_array_equal(layer(inputs, training=False).numpy(), inference)
    assert not np.allclose(layer(inputs, training=True).numpy(), inference)


def attention_model(lib):
    q, v, k = lib.Input((4, 3)), lib.Input((6, 3)), lib.Input((6, 3))
    dot, scores = lib.layers.Attention(use_scale=True, score_mode="concat")(
        [q, v, k], return_attention_scores=True)
    additive = lib.layers.AdditiveAttention()([q, v], use_causal_mask=True)
    merged = lib.layers.Concatenate()([dot, additive])
    return lib.Model([q, v, k], [lib.layers.Dense(2)(merged), scores])


def test_attention_symbolic_shapes_config_and_keras_file(tmp_path):
    model = attention_model(keras)
    assert [tuple(o.shape) for o in model.outputs] == [(None, 4, 2), (None, 4, 6)]
    for layer, cls in [(model.layers[3], layers.Attention),
                       (model.layers[4], layers.AdditiveAttention)]:
        config = layer.get_config()
        assert cls.from_config(config).get_config() == config
    assert "score_mode" not in layers.AdditiveAttention().get_config()
    path = str(tmp_path / "attention.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    x = [sample(2, 4, 3), sample(2, 6, 3, seed=1), sample(2, 6, 3, seed=2)]
    for a, b in zip(reloaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.parity
def test_attention_files_open_in_keras_and_back(tmp_path):
    real = import_keras()
    x = [sample(2, 4, 3), sample(2, 6, 3, seed=1), sample(2, 6, 3, seed=2)]
    model = attention_model(keras)
    model.layers[3].set_weights([np.array(0.5, "float32"), np.array(1.5, "float32")])
    model.save(str(tmp_path / "ours.keras"))
    theirs = real.saving.load_model(str(tmp_path / "ours.keras"))
    for a, b in zip(model.predict(x, verbose=0), theirs.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    model = attention_model(real)
    model.save(str(tmp_path / "theirs.keras"))
    ours = keras.models.load_model(str(tmp_path / "theirs.keras"))
    for a, b in zip(ours.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_attention_errors_say_what_was_wrong():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="cosine")
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Attention()(sample(1, 2, 3))
    with pytest.raises(ValueError, match="length 2 or 3"):
        layers.Attention()([sample(1, 2, 3)])
    with pytest.raises(ValueError, match="mask must be a list"):
        layers.Attention()([sample(1, 2, 3), sample(1, 2, 3)], mask=np.ones((1, 2)))
