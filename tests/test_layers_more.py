"""EinsumDense, RMSNormalization, AlphaDropout, adaptive pooling (layers and ops),
SpectralNormalization and the Convolution1DTranspose alias: shapes, weights, gradients,
configs, saving, and the same numbers as Keras 3 on the same weights."""

import numpy as np
import pytest
from _keras_reference import import_keras

import kerlite as keras
from kerlite import backend, layers, ops
from kerlite.autodiff import GradientTape
from kerlite.testing import check_grad


def sample(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def same_numbers(ours, theirs, data, **call_kwargs):
    """Copy our weights into the Keras layer or model, then compare the outputs."""
    theirs.set_weights(ours.get_weights())
    got = ours(data, **call_kwargs).numpy()
    want = np.asarray(theirs(data, **call_kwargs))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    return clone


def save_and_load(model, data, tmp_path):
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded(data).numpy(), model(data).numpy(), rtol=1e-6)
    return path


# --- EinsumDense ---------------------------------------------------------------------------
EQUATIONS = [  # equation, output_shape, bias_axes, input shape, kernel shape, output shape
    ("ab,bc->ac", 5, "c", (3, 4), (4, 5), (3, 5)),
    ("abc,cd->abd", (None, 6), "d", (2, 3, 4), (4, 6), (2, 3, 6)),
    ("abc,cde->abde", (None, 3, 2), "de", (2, 5, 4), (4, 3, 2), (2, 5, 3, 2)),
    ("abcd,cde->abe", (None, 6), None, (2, 3, 4, 5), (4, 5, 6), (2, 3, 6)),
    ("...b,bc->...c", 4, "c", (2, 3, 5), (5, 4), (2, 3, 4)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 5, 6), (3, 4), (2, 4, 5, 6)),
    ("abc,cd->abd", (3, 2), "b", (2, 3, 4), (4, 2), (2, 3, 2)),
]


@pytest.mark.parametrize("equation, out, bias_axes, x_shape, k_shape, y_shape", EQUATIONS)
def test_einsum_dense_shapes_and_values(equation, out, bias_axes, x_shape, k_shape, y_shape):
    layer = layers.EinsumDense(equation, out, bias_axes=bias_axes, bias_initializer="ones")
    x = sample(*x_shape)
    y = layer(x)
    assert layer.kernel.shape == k_shape and y.shape == y_shape
    assert [w.name for w in layer.weights] == ["kernel"] + (["bias"] if bias_axes else [])
    want = np.einsum(equation, x, layer.kernel.numpy())
    if bias_axes:
        want = want + layer.bias.numpy()
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-6)
    symbolic = layers.EinsumDense(equation, out, bias_axes=bias_axes)(
        keras.Input(batch_shape=(None,) + x_shape[1:]))
    assert symbolic.shape == (None,) + y_shape[1:]


@pytest.mark.parity
@pytest.mark.parametrize("equation, out, bias_axes, x_shape, k_shape, y_shape",
                         [EQUATIONS[i] for i in (0, 2, 4, 5, 6)])
def test_parity_einsum_dense(equation, out, bias_axes, x_shape, k_shape, y_shape):
    real = import_keras()
    ours = layers.EinsumDense(equation, out, bias_axes=bias_axes, activation="tanh",
                              bias_initializer="random_normal")
    theirs = real.layers.EinsumDense(equation, out, bias_axes=bias_axes, activation="tanh")
    x = sample(*x_shape, seed=1)
    ours(x)
    theirs(x)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    same_numbers(ours, theirs, x)


def test_einsum_dense_glorot_fans_come_from_the_equation():
    """"abc,cde->abde" with c=8, d*e=8: limit sqrt(6 / 16), not a conv's fans (8*4, 8*2)."""
    layer = layers.EinsumDense("abc,cde->abde", (None, 4, 2),
                               kernel_initializer=keras.initializers.GlorotUniform(seed=3))
    layer.build((None, 5, 8))
    kernel = np.abs(layer.kernel.numpy())
    limit = np.sqrt(6 / 16)
    assert kernel.max() <= limit and kernel.max() > 0.8 * limit
    assert layer.kernel_initializer.get_config()["input_axes"] is None  # user's is kept


def test_einsum_dense_gradients():
    layer = layers.EinsumDense("abc,cde->abde", (None, 3, 2), bias_axes="e",
                               activation="tanh", dtype="float64")
    x = np.random.default_rng(0).normal(size=(2, 4, 5))
    check_grad(lambda x: layer(x), x)
    xt = ops.convert_to_tensor(x)
    with GradientTape() as tape:
        total = ops.sum(layer(xt))
    kernel_grad, bias_grad = tape.gradient(total, [layer.kernel, layer.bias])
    slope = 1 - np.tanh(np.einsum("abc,cde->abde", x, layer.kernel.numpy())
                        + layer.bias.numpy()) ** 2
    np.testing.assert_allclose(kernel_grad.numpy(), np.einsum("abc,abde->cde", x, slope))
    np.testing.assert_allclose(bias_grad.numpy(), slope.sum(axis=(0, 1, 2)))


@pytest.mark.parametrize("equation, output_shape, bias_axes, message", [
    ("ab->b", 3, None, "invalid einsum equation"),
    ("ab,bc->ac", 3, "x", "bias letter 'x'"),
    ("ab,bcz->ac", 3, None, "kernel letter 'z'"),
    ("ab,bc->acq", (3, 2), None, "output letter 'q'"),
    ("abc,cd->abd", (7, 3), None, "shared axis 'b'"),
    ("abc,cd->abd", 3, None, "does not fit equation"),
    ("abcd,de->abe", (5, 3), None, "names 4 input axes but the input has 3"),
    ("abc,cd->abd", 3, None, "does not fit equation"),
])
def test_einsum_dense_errors(equation, output_shape, bias_axes, message):
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    input_shape = (None, 5, 4) if equation.startswith("abc") else (None, 4)
    with pytest.raises(ValueError, match=message):
        layer.build(input_shape)


def test_einsum_dense_rejects_lora():
    with pytest.raises(ValueError, match="LoRA"):
        layers.EinsumDense("ab,bc->ac", 3, lora_rank=2)


def test_einsum_dense_config_and_saving(tmp_path):
    layer = layers.EinsumDense("abc,cd->abd", (None, 3), bias_axes="d", activation="relu",
                               kernel_regularizer="l2", name="proj")
    clone = config_round_trip(layer)
    assert clone.equation == "abc,cd->abd" and clone.partial_output_shape == (None, 3)
    inputs = keras.Input((4, 6))
    model = keras.Model(inputs, layer(inputs))
    save_and_load(model, sample(2, 4, 6), tmp_path)


# --- RMSNormalization ----------------------------------------------------------------------
def rms_reference(x, scale, axes, epsilon):
    return x / np.sqrt(np.mean(x ** 2, axis=axes, keepdims=True) + epsilon) * scale


def test_rms_normalization_formula_and_weights():
    layer = layers.RMSNormalization(epsilon=1e-3)
    x = sample(3, 5) * 4
    y = layer(x)
    assert [(w.name, w.shape) for w in layer.weights] == [("scale", (5,))]
    np.testing.assert_allclose(y.numpy(), rms_reference(x, 1.0, -1, 1e-3), rtol=1e-5)
    layer.scale.assign(np.arange(5.0))
    np.testing.assert_allclose(layer(x).numpy(), rms_reference(x, np.arange(5.0), -1, 1e-3),
                               rtol=1e-5, atol=1e-6)


def test_rms_normalization_channel_axis_of_an_image():
    layer = layers.RMSNormalization(axis=1)
    x = sample(2, 3, 4, 5)
    layer.build(x.shape)
    layer.scale.assign([1.0, 2.0, 3.0])
    want = rms_reference(x, np.array([1.0, 2.0, 3.0])[:, None, None], 1, 1e-6)
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("axis, shape",
                         [(-1, (2, 3, 6)), ([-2, -1], (2, 3, 6)), (2, (2, 4, 3))])
def test_parity_rms_normalization(axis, shape):
    real = import_keras()
    ours = layers.RMSNormalization(axis=axis)
    theirs = real.layers.RMSNormalization(axis=axis)
    x = sample(*shape)
    ours.build(shape)
    theirs.build(shape)
    ours.scale.assign(sample(*ours.scale.shape, seed=5))
    same_numbers(ours, theirs, x)


def test_rms_normalization_gradients():
    layer = layers.RMSNormalization(axis=[1, 2], dtype="float64")
    layer.build((None, 3, 4))
    layer.scale.assign(np.random.default_rng(2).normal(size=(3, 4)))
    check_grad(lambda x: layer(x), np.random.default_rng(1).normal(size=(2, 3, 4)))


def test_rms_normalization_errors_config_and_saving(tmp_path):
    with pytest.raises(ValueError, match="out of bounds"):
        layers.RMSNormalization(axis=3).compute_output_shape((None, 4))
    with pytest.raises(TypeError, match="'axis'"):
        layers.RMSNormalization(axis="last")
    clone = config_round_trip(layers.RMSNormalization(axis=[1, 2], epsilon=1e-4))
    assert clone.axis == [1, 2] and clone.epsilon == 1e-4
    inputs = keras.Input((4,))
    save_and_load(keras.Model(inputs, layers.RMSNormalization()(inputs)), sample(3, 4),
                  tmp_path)


# --- AlphaDropout --------------------------------------------------------------------------
ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def affine(rate):
    a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5
    return a, -a * ALPHA_P * rate


def test_alpha_dropout_is_the_identity_at_inference():
    x = sample(4, 5)
    layer = layers.AlphaDropout(0.3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(layers.AlphaDropout(0.0)(x, training=True).numpy(), x)


def test_alpha_dropout_keeps_mean_and_variance_in_training():
    rate = 0.2
    x = sample(400, 500, seed=4)
    y = layers.AlphaDropout(rate, seed=1)(x, training=True).numpy()
    a, b = affine(rate)
    dropped = np.isclose(y, a * ALPHA_P + b)
    assert abs(dropped.mean() - rate) < 0.005
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.01


def test_alpha_dropout_noise_shape_shares_the_mask_and_gradient_is_a_times_mask():
    rate = 0.5
    layer = layers.AlphaDropout(rate, noise_shape=(None, 1, 6), seed=3)
    x = ops.convert_to_tensor(sample(3, 4, 6))
    with GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=True)
        total = ops.sum(y)
    a, b = affine(rate)
    kept = ~np.isclose(y.numpy(), a * ALPHA_P + b)
    assert (kept == kept[:, :1, :]).all() and 0 < kept.mean() < 1
    np.testing.assert_allclose(tape.gradient(total, x).numpy(), a * kept, rtol=1e-6)


def test_alpha_dropout_errors_config_and_saving(tmp_path):
    with pytest.raises(ValueError, match="rate"):
        layers.AlphaDropout(1.5)
    clone = config_round_trip(layers.AlphaDropout(0.1, noise_shape=(None, 1), seed=7))
    assert (clone.rate, clone.noise_shape, clone.seed) == (0.1, (None, 1), 7)
    inputs = keras.Input((4,))
    save_and_load(keras.Model(inputs, layers.AlphaDropout(0.5)(inputs)), sample(3, 4),
                  tmp_path)


# --- Adaptive pooling ------------------------------------------------------------------------
def reference_adaptive_pool(x, sizes, reduce):
    """Channels-last loop over Keras's windows: [floor(i L / n), ceil((i + 1) L / n))."""
    def bounds(length, n):
        return [(i * length // n, -(-(i + 1) * length // n)) for i in range(n)]

    grids = [bounds(length, n) for length, n in zip(x.shape[1:-1], sizes)]
    out = np.zeros((x.shape[0], *sizes, x.shape[-1]), x.dtype)
    for index in np.ndindex(*sizes):
        window = tuple(slice(*grids[d][i]) for d, i in enumerate(index))
        out[(slice(None), *index)] = reduce(x[(slice(None), *window)],
                                            axis=tuple(range(1, len(sizes) + 1)))
    return out


CASES = [((2, 7, 3), (3,)), ((2, 3, 2), (5,)), ((2, 7, 5, 3), (3, 2)), ((1, 4, 4, 2), (4, 4)),
         ((1, 5, 6, 4, 2), (2, 3, 3))]


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("shape, sizes", CASES)
def test_adaptive_pool_matches_the_window_definition(mode, shape, sizes, xp):
    x = sample(*shape)
    op = ops.adaptive_average_pool if mode == "average" else ops.adaptive_max_pool
    reduce = np.mean if mode == "average" else np.max
    want = reference_adaptive_pool(x, sizes, reduce)
    got = op(xp.asarray(x), sizes)
    assert got.dtype == "float32"
    np.testing.assert_allclose(backend.to_numpy(got.data), want, rtol=1e-6, atol=1e-6)
    first = xp.asarray(np.moveaxis(x, -1, 1))
    got = backend.to_numpy(op(first, sizes, data_format="channels_first").data)
    np.testing.assert_allclose(np.moveaxis(got, 1, -1), want, rtol=1e-6, atol=1e-6)
    # backward on the same device: the gradient of the sum counts window memberships
    # (average: each window spreads 1; max: each window gives 1 to its maximum)
    xt = ops.convert_to_tensor(xp.asarray(x))
    with GradientTape() as tape:
        tape.watch(xt)
        total = ops.sum(op(xt, sizes))
    grad = backend.to_numpy(tape.gradient(total, xt).data)
    np.testing.assert_allclose(grad.sum(), np.prod(want.shape), rtol=1e-5)


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("shape, sizes", CASES[:4])
def test_adaptive_pool_gradients(mode, shape, sizes):
    op = ops.adaptive_average_pool if mode == "average" else ops.adaptive_max_pool
    x = np.random.default_rng(7).normal(size=shape)
    check_grad(lambda x: op(x, sizes), x)


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["Average", "Max"])
@pytest.mark.parametrize("shape, sizes, data_format",
                         [case + ("channels_last",) for case in CASES]
                         + [CASES[2] + ("channels_first",)])
def test_parity_adaptive_pooling_layers(shape, sizes, mode, data_format):
    real = import_keras()
    name = f"Adaptive{mode}Pooling{len(sizes)}D"
    x = sample(*shape)
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    ours = getattr(layers, name)(sizes, data_format=data_format)
    theirs = getattr(real.layers, name)(sizes, data_format=data_format)
    same_numbers(ours, theirs, x)
    assert ours.compute_output_shape(x.shape) == tuple(theirs.compute_output_shape(x.shape))


def test_adaptive_pooling_layer_shapes_errors_config_and_saving(tmp_path):
    assert layers.AdaptiveMaxPooling2D(3)(keras.Input((9, 7, 4))).shape == (None, 3, 3, 4)
    assert layers.AdaptiveAveragePooling1D(2, data_format="channels_first")(
        keras.Input((4, 9))).shape == (None, 4, 2)
    with pytest.raises(TypeError, match="output_size"):
        layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="data_format"):
        layers.AdaptiveMaxPooling1D(2, data_format="channels_middle")
    with pytest.raises(ValueError, match="1D, 2D and 3D"):
        ops.adaptive_max_pool(sample(2, 3), 2)
    clone = config_round_trip(layers.AdaptiveMaxPooling3D((1, 2, 3)))
    assert clone.output_size == (1, 2, 3) and clone.data_format == "channels_last"
    inputs = keras.Input((6, 5, 2))
    x = layers.AdaptiveMaxPooling2D((3, 2))(layers.AdaptiveAveragePooling2D(4)(inputs))
    save_and_load(keras.Model(inputs, x), sample(2, 6, 5, 2), tmp_path)


# --- SpectralNormalization -------------------------------------------------------------------
def test_spectral_normalization_weights_in_keras_order():
    layer = layers.SpectralNormalization(layers.Dense(3, name="fc"))
    layer.build((None, 4))
    assert [(w.name, w.shape, w.trainable) for w in layer.weights] == [
        ("kernel", (4, 3), True), ("vector_u", (1, 3), False), ("bias", (3,), True)]
    assert [w.name for w in layer.trainable_weights] == ["kernel", "bias"]


def test_spectral_normalization_divides_the_kernel_by_its_largest_singular_value():
    layer = layers.SpectralNormalization(layers.Dense(5), power_iterations=30)
    x = sample(3, 4)
    before = layer(x).numpy()  # inference: the wrapped layer as it is
    kernel = layer.layer.kernel.numpy()
    np.testing.assert_allclose(before, x @ kernel, rtol=1e-5, atol=1e-6)
    after = layer(x, training=True).numpy()
    sigma = np.linalg.norm(kernel, 2)
    np.testing.assert_allclose(layer.layer.kernel.numpy(), kernel / sigma, rtol=1e-4)
    np.testing.assert_allclose(after, x @ (kernel / sigma), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(layer.layer.kernel.numpy(), 2), 1, rtol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize("make, shape", [
    (lambda k: k.layers.Dense(4), (3, 5)),
    (lambda k: k.layers.Conv2D(3, 2), (2, 5, 5, 2)),
    (lambda k: k.layers.Embedding(7, 3), None),
])
def test_parity_spectral_normalization_training_and_inference(make, shape):
    real = import_keras()
    ours = layers.SpectralNormalization(make(keras), power_iterations=2)
    theirs = real.layers.SpectralNormalization(make(real), power_iterations=2)
    x = np.array([[1, 4, 6], [0, 2, 2]]) if shape is None else sample(*shape)
    ours(x)
    theirs(x)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    same_numbers(ours, theirs, x, training=True)
    for mine, keras_weight in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, np.asarray(keras_weight), rtol=1e-5, atol=1e-6)
    same_numbers(ours, theirs, x)


def test_spectral_normalization_trains_and_leaves_a_zero_kernel_alone():
    model = keras.Sequential([keras.Input((4,)),
                              layers.SpectralNormalization(layers.Dense(2))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(sample(16, 4), sample(16, 2), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    layer.build((None, 3))
    u = layer.vector_u.numpy().copy()
    layer(sample(2, 3), training=True)
    np.testing.assert_array_equal(layer.vector_u.numpy(), u)
    assert not layer.layer.kernel.numpy().any()


def test_spectral_normalization_errors_config_and_saving(tmp_path):
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="`kernel` or `embeddings`"):
        layers.SpectralNormalization(layers.LayerNormalization()).build((None, 3))
    clone = config_round_trip(
        layers.SpectralNormalization(layers.Dense(2), power_iterations=3))
    assert clone.power_iterations == 3 and clone.layer.units == 2
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.SpectralNormalization(layers.Dense(3))(inputs))
    save_and_load(model, sample(2, 4), tmp_path)


@pytest.mark.parity
def test_parity_saved_files_load_in_both_directions(tmp_path):
    real = import_keras()

    def build(k):
        inputs = k.Input((6, 5, 2))
        x = k.layers.AdaptiveAveragePooling2D((3, 2))(inputs)
        x = k.layers.Reshape((3, 4))(x)
        x = k.layers.EinsumDense("abc,cd->abd", (None, 5), bias_axes="d")(x)
        x = k.layers.RMSNormalization()(x)
        x = k.layers.AlphaDropout(0.2)(x)
        return k.Model(inputs, k.layers.SpectralNormalization(k.layers.Dense(2))(x))

    x = sample(2, 6, 5, 2)
    ours = build(keras)
    ours.save(str(tmp_path / "ours.keras"))
    loaded = real.saving.load_model(str(tmp_path / "ours.keras"))
    np.testing.assert_allclose(np.asarray(loaded(x)), ours(x).numpy(), rtol=1e-5, atol=1e-6)
    theirs = build(real)
    theirs.save(str(tmp_path / "theirs.keras"))
    loaded = keras.saving.load_model(str(tmp_path / "theirs.keras"))
    np.testing.assert_allclose(loaded(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)


def test_convolution1d_transpose_is_keras_alias():
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert keras.layers.Convolution1DTranspose(2, 3)(keras.Input((5, 4))).shape == (None, 7, 2)


# --- GroupQueryAttention ---------------------------------------------------------------------
GQA_CALLS = [dict(), dict(use_causal_mask=True),
             dict(attention_mask=np.random.default_rng(9).random((2, 5, 7)) > 0.3)]


@pytest.mark.parity
@pytest.mark.parametrize("options", [dict(), dict(use_gate=True, sliding_window=2),
                                     dict(use_bias=False)])
def test_parity_group_query_attention(options):
    real = import_keras()
    ours = layers.GroupQueryAttention(4, 6, 2, **options)
    theirs = real.layers.GroupQueryAttention(4, 6, 2, **options)
    query, value = sample(2, 5, 6), sample(2, 7, 6, seed=1)
    ours(query, value)
    theirs(query, value)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    for call in GQA_CALLS:
        got, got_scores = ours(query, value, return_attention_scores=True, **call)
        want, want_scores = theirs(query, value, return_attention_scores=True, **call)
        np.testing.assert_allclose(got.numpy(), np.asarray(want), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_scores.numpy(), np.asarray(want_scores), atol=1e-6)
    key = sample(2, 7, 6, seed=2)
    np.testing.assert_allclose(ours(query, value, key).numpy(),
                               np.asarray(theirs(query, value, key)), rtol=1e-5, atol=1e-5)


def test_group_query_attention_weights_shapes_and_shared_heads():
    layer = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    y, scores = layer(keras.Input((5, 8)), keras.Input((6, 8)), return_attention_scores=True)
    assert y.shape == (None, 5, 8) and scores.shape == (None, 4, 5, 6)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (8, 4, 3)), ("bias", (4, 3)), ("kernel", (8, 2, 3)), ("bias", (2, 3)),
        ("kernel", (8, 2, 3)), ("bias", (2, 3)), ("kernel", (4, 3, 8)), ("bias", (8,))]
    # query heads 0 and 1 share key head 0: equal query kernels give equal scores
    query_kernel = layer._query_dense.kernel.numpy()
    query_kernel[:, 1] = query_kernel[:, 0]
    query_kernel[:, 2] = query_kernel[:, 0]
    layer._query_dense.kernel.assign(query_kernel)
    _, scores = layer(sample(1, 5, 8), sample(1, 6, 8), return_attention_scores=True)
    scores = scores.numpy()
    np.testing.assert_allclose(scores[:, 0], scores[:, 1], rtol=1e-6)
    assert not np.allclose(scores[:, 1], scores[:, 2])


def test_group_query_attention_gradients():
    layer = layers.GroupQueryAttention(2, 4, 2, use_gate=True, dtype="float64")
    rng = np.random.default_rng(4)
    query, value = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4, 4))
    check_grad(lambda q, v: layer(q, v, use_causal_mask=True), query, value)


def test_group_query_attention_errors_config_and_saving(tmp_path):
    with pytest.raises(ValueError, match="divisible"):
        layers.GroupQueryAttention(4, 3, 2)
    with pytest.raises(ValueError, match="flash"):
        layers.GroupQueryAttention(4, 4, 2, flash_attention=True)
    with pytest.raises(ValueError, match="last dimension"):
        layers.GroupQueryAttention(4, 4, 2)(sample(1, 2, 3), sample(1, 2, 5))
    layer = layers.GroupQueryAttention(4, 4, 2, dropout=0.1, sliding_window=3, seed=2)
    clone = config_round_trip(layer)
    assert clone.num_key_value_heads == 2 and clone.sliding_window == 3
    query, value = keras.Input((5, 6)), keras.Input((7, 6))
    model = keras.Model([query, value], layers.GroupQueryAttention(3, 4, 1)(query, value))
    data = [sample(2, 5, 6), sample(2, 7, 6, seed=1)]
    save_and_load(model, data, tmp_path)


@pytest.mark.parity
def test_parity_group_query_attention_loads_keras_files(tmp_path):
    """Keras's file names the class "GroupQueryAttention" and stores the weights under
    "grouped_query_attention" (its class's own name): kerlite reads both."""
    real = import_keras()

    def build(k):
        query, value = k.Input((5, 6)), k.Input((7, 6))
        return k.Model([query, value], k.layers.GroupQueryAttention(3, 4, 2)(query, value))

    data = [sample(2, 5, 6), sample(2, 7, 6, seed=1)]
    theirs = build(real)
    theirs.save(str(tmp_path / "theirs.keras"))
    loaded = keras.saving.load_model(str(tmp_path / "theirs.keras"))
    np.testing.assert_allclose(loaded(data).numpy(), np.asarray(theirs(data)), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parity
def test_parity_group_query_attention_file_saved_by_kerlite_loads_in_keras(tmp_path):
    real = import_keras()
    query, value = keras.Input((5, 6)), keras.Input((7, 6))
    ours = keras.Model([query, value], layers.GroupQueryAttention(3, 4, 2)(query, value))
    assert keras.layers.serialize(ours.layers[-1])["class_name"] == "GroupQueryAttention"
    ours.save(str(tmp_path / "ours.keras"))
    loaded = real.saving.load_model(str(tmp_path / "ours.keras"))
    data = [sample(2, 5, 6), sample(2, 7, 6, seed=1)]
    np.testing.assert_allclose(np.asarray(loaded(data)), ours(data).numpy(), rtol=1e-5,
                               atol=1e-6)
