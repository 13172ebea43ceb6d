"""Convolution ops: gradients against finite differences, values against Keras 3."""

import os

import numpy as np
import pytest

from kerlite import GradientTape, Variable, ops
from kerlite.ops import sliding_windows
from kerlite.ops.convolution import (conv, conv_transpose, depthwise_conv, fused_conv,
                                     separable_conv)
from kerlite.testing import check_grad

rng = np.random.default_rng(1234)


def normal(*shape):
    return rng.standard_normal(shape)


# --- gradients: every option -----------------------------------------------------------
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides,dilation,groups", [(1, 1, 1), (2, 1, 1), (1, 2, 1), (3, 1, 2)])
def test_conv_gradients(rank, padding, strides, dilation, groups):
    size = 5 if rank < 3 else 4
    x = normal(2, *(size,) * rank, 4)
    w = normal(*(2 if rank == 3 else 3,) * rank, 4 // groups, 4)
    check_grad(lambda a, b: conv(a, b, strides, padding, dilation_rate=dilation), x, w)


def test_conv_gradients_channels_first():
    x, w = normal(2, 3, 5, 6), normal(3, 2, 3, 4)
    check_grad(lambda a, b: conv(a, b, 2, "same", data_format="channels_first"), x, w)


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_fused_conv_bias_relu_gradients(activation, data_format):
    x, w, b = normal(2, 5, 6, 4), normal(3, 3, 4, 3), normal(3)
    if data_format == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    check_grad(lambda a, k, c: fused_conv(a, k, c, activation, 2, "same", data_format), x, w, b)
    expected = conv(x, w, 2, "same", data_format).numpy()
    expected = expected + (b if data_format == "channels_last" else b[:, None, None])
    if activation == "relu":
        expected = np.maximum(expected, 0)
    np.testing.assert_allclose(fused_conv(x, w, b, activation, 2, "same", data_format).numpy(),
                               expected, rtol=1e-12)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [1, 2])
def test_depthwise_and_separable_gradients(padding, strides):
    x, w, pw = normal(2, 5, 6, 3), normal(3, 3, 3, 2), normal(1, 1, 6, 4)
    check_grad(lambda a, b: depthwise_conv(a, b, strides, padding), x, w)
    check_grad(lambda a, b, c: separable_conv(a, b, c, strides, padding), x, w, pw)


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides,dilation,output_padding",
                         [(1, 1, None), (2, 1, None), (3, 1, None), (2, 1, 1), (1, 2, None)])
def test_conv_transpose_gradients(rank, padding, strides, dilation, output_padding):
    x, w = normal(2, *(4,) * rank, 3), normal(*(3,) * rank, 2, 3)
    check_grad(
        lambda a, b: conv_transpose(a, b, strides, padding, output_padding,
                                    dilation_rate=dilation),
        x, w,
    )


@pytest.mark.parametrize("budget", ["UNFOLD_BUDGET_BYTES", "CACHE_BLOCK_BYTES"])
@pytest.mark.parametrize("strides,dilation,groups,padding", [
    (1, 1, 1, "same"), (2, 1, 1, "valid"), (1, 2, 1, "same"), (1, 1, 3, "same"),
])
def test_blocks_of_the_batch_give_the_same_values_and_gradients(
        monkeypatch, budget, strides, dilation, groups, padding):
    """A tiny budget forces one-sample blocks, forward and backward (values, the gradients
    of the input, kernel and bias, with the fused relu): nothing may change."""
    x = normal(5, 7, 7, 6).astype("float32")
    w = normal(3, 3, 6 // groups, 6).astype("float32")
    b = normal(6).astype("float32")

    def run():
        xv, wv, bv = Variable(x), Variable(w), Variable(b)
        with GradientTape() as tape:
            out = fused_conv(xv, wv, bv, "relu", strides, padding, dilation_rate=dilation)
            loss = ops.sum(out * out)
        return [out.numpy()] + [g.numpy() for g in tape.gradient(loss, [xv, wv, bv])]

    whole = run()
    monkeypatch.setattr(sliding_windows, budget, 1)
    blocked = run()
    for a, b in zip(whole, blocked):  # float32 sums in another order: relative to the scale
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6 * np.abs(a).max())


def test_float32_stays_float32():
    x, w = normal(1, 5, 5, 2).astype("float32"), normal(3, 3, 2, 2).astype("float32")
    assert conv(x, w, padding="same").dtype == "float32"
    assert conv_transpose(x, np.swapaxes(w, 2, 3), 2).dtype == "float32"


# --- errors ----------------------------------------------------------------------------
def test_kernel_bigger_than_input_is_a_clear_error():
    with pytest.raises(ValueError, match="does not fit"):
        conv(normal(1, 2, 2, 1), normal(3, 3, 1, 1))


def test_channels_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="channels"):
        conv(normal(1, 5, 5, 3), normal(3, 3, 2, 4))


# --- parity with Keras 3 ---------------------------------------------------------------
def _keras_ops():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    return keras.ops


def _close(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-5 * np.abs(theirs).max())


@pytest.mark.parity
@pytest.mark.parametrize("rank,padding,strides,dilation,groups", [
    (1, "same", 2, 1, 2), (1, "valid", 1, 2, 1), (2, "valid", 1, 1, 1), (2, "same", 2, 1, 2),
    (2, "same", 1, 2, 1), (2, "valid", 3, 1, 4), (3, "same", 2, 1, 1), (3, "valid", 1, 1, 2),
])
def test_conv_matches_keras(rank, padding, strides, dilation, groups):
    kops = _keras_ops()
    x = normal(2, *(9,) * rank, 4).astype("float32")
    w = normal(*(3,) * rank, 4 // groups, 8).astype("float32")
    _close(conv(x, w, strides, padding, dilation_rate=dilation),
           kops.conv(x, w, strides, padding, dilation_rate=dilation))


@pytest.mark.parity
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_depthwise_separable_channels_first_match_keras(padding):
    kops = _keras_ops()
    x, w = normal(2, 8, 7, 3).astype("float32"), normal(3, 3, 3, 2).astype("float32")
    pw = normal(1, 1, 6, 5).astype("float32")
    _close(depthwise_conv(x, w, 2, padding), kops.depthwise_conv(x, w, 2, padding))
    _close(separable_conv(x, w, pw, 1, padding), kops.separable_conv(x, w, pw, 1, padding))
    xf, wf = normal(2, 3, 8, 7).astype("float32"), normal(3, 3, 3, 4).astype("float32")
    _close(conv(xf, wf, 2, padding, "channels_first"),
           kops.conv(xf, wf, 2, padding, "channels_first"))


@pytest.mark.parity
@pytest.mark.parametrize("rank,padding,strides,dilation,output_padding", [
    (2, "valid", 1, 1, None), (2, "valid", 2, 1, None), (2, "same", 2, 1, None),
    (2, "same", 3, 1, 2), (2, "valid", 2, 1, 0), (1, "same", 1, 2, None),
    (1, "valid", 3, 1, 1), (3, "same", 2, 1, 1),
])
def test_conv_transpose_matches_keras(rank, padding, strides, dilation, output_padding):
    kops = _keras_ops()
    x = normal(2, *(5,) * rank, 3).astype("float32")
    w = normal(*(3,) * rank, 4, 3).astype("float32")
    _close(conv_transpose(x, w, strides, padding, output_padding, dilation_rate=dilation),
           kops.conv_transpose(x, w, strides, padding, output_padding, dilation_rate=dilation))


def test_unfolded_rows_are_built_a_block_at_a_time(monkeypatch):
    """The im2col matrix of a big batch is never built whole, in inference or training:
    a cache-sized block at a time (``CACHE_BLOCK_BYTES``, capped by the unfold budget)."""
    import tracemalloc

    x = normal(64, 32, 32, 16).astype("float32")            # 4 MiB
    w = normal(3, 3, 16, 16).astype("float32")              # whole im2col: 36 MiB

    def peak_mib(recording):
        kernel = Variable(w)
        tracemalloc.start()
        if recording:
            with GradientTape() as tape:
                loss = ops.sum(conv(x, kernel, padding="same"))
            tape.gradient(loss, kernel)
        else:
            conv(x, kernel, padding="same")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 2**20

    assert peak_mib(recording=False) < 16  # padded copy + output + one 3 MiB block
    assert peak_mib(recording=True) < 24   # and the output's gradient
    monkeypatch.setattr(sliding_windows, "CACHE_BLOCK_BYTES", 64 * 2**20)
    assert peak_mib(recording=False) > 36  # the whole batch as one block
