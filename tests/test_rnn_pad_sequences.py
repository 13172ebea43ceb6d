"""keras.utils.pad_sequences: Keras's padding and truncating rules."""

import numpy as np
import pytest

from _keras_reference import import_keras
from kerlite.utils import pad_sequences

SEQUENCES = [[1], [2, 3], [4, 5, 6]]


def test_default_pads_and_truncates_at_the_front():
    result = pad_sequences(SEQUENCES)
    assert result.dtype == np.int32
    np.testing.assert_array_equal(result, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])


def test_post_padding_value_and_maxlen():
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, padding="post"),
                                  [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, value=-1),
                                  [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2), [[0, 1], [2, 3], [5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2, truncating="post"),
                                  [[0, 1], [2, 3], [4, 5]])


def test_vector_items_float_dtype_and_empty_sequences():
    result = pad_sequences([np.ones((2, 3)), [], np.ones((1, 3))], dtype="float32",
                           padding="post", value=0.5)
    assert result.shape == (3, 2, 3) and result.dtype == np.float32
    np.testing.assert_array_equal(result[1], 0.5)
    np.testing.assert_array_equal(result[2, 1], 0.5)
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


def test_strings_need_object_dtype_and_bad_arguments_explain():
    result = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert result.tolist() == [["a", "b"], ["<pad>", "c"]]
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="Padding type"):
        pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(ValueError, match="Truncating type"):
        pad_sequences(SEQUENCES, truncating="middle")
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([1, 2])
    with pytest.raises(ValueError, match="shape"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))])


@pytest.mark.parity
def test_matches_keras():
    keras = import_keras()
    rng = np.random.default_rng(0)
    sequences = [list(rng.integers(1, 9, size=n)) for n in (0, 3, 7, 5)]
    for options in ({}, {"maxlen": 4}, {"maxlen": 4, "padding": "post", "truncating": "post"},
                    {"value": 9, "dtype": "int64"}):
        np.testing.assert_array_equal(pad_sequences(sequences, **options),
                                      keras.utils.pad_sequences(sequences, **options))
