"""TextVectorization: raw text -> padded sequences of word ids (or bag-of-words vectors).

    layer = keras.layers.TextVectorization(output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    layer([["foo qux bar"], ["qux baz"]])      # [[4, 1, 3, 0], [1, 2, 0, 0]]

Each text goes through standardize (lowercase, strip punctuation), split (into words),
ngrams (optional), then a StringLookup whose mask token "" gives the padding index 0
and "[UNK]" index 1. The text steps are in ``text_processing.py``.
"""

import numpy

from kerlite import arrays
from kerlite.layers.preprocessing.lookup import text_processing
from kerlite.layers.preprocessing.lookup.host_layer import HostLayer, batches_of, host_tensor
from kerlite.layers.preprocessing.lookup.index_lookup import standardize_output_mode
from kerlite.layers.sample_size_limit import check_sample_size
from kerlite.layers.preprocessing.lookup.string_lookup import StringLookup


class TextVectorization(HostLayer):
    """``keras.layers.TextVectorization``.

    Args:
        max_tokens: the largest vocabulary, padding and OOV indices included.
        standardize: None, "lower_and_strip_punctuation", "lower", "strip_punctuation",
            or a callable that gets a NumPy array of str and returns one of the same
            shape (as Keras does on its non-TensorFlow backends).
        split: None, "whitespace", "character", or a callable that gets a 1-D NumPy
            array of str and returns one list (or array) of tokens per text.
        ngrams: None, an int n (all widths 1..n) or a tuple of widths.
        output_mode: "int", "multi_hot", "count" or "tf_idf" ("one_hot" only with
            ``split=None``: each text is then one token).
        output_sequence_length: "int" mode: pad with 0 or cut every row to this length
            (without it, rows are padded to the longest in the batch).
        pad_to_max_tokens: vector modes: make the vectors ``max_tokens`` long.
        vocabulary, idf_weights: a known vocabulary (then no ``adapt``).
        sparse, ragged: must be False (kerlite has no sparse or ragged tensors).
        encoding: how bytes inputs are decoded.
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        _check_choice("standardize", standardize, text_processing.STANDARDIZE_MODES)
        _check_choice("split", split, text_processing.SPLIT_MODES)
        output_mode = standardize_output_mode(output_mode, "TextVectorization")
        if not (ngrams is None or isinstance(ngrams, int) or (
                isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))):
            raise ValueError("TextVectorization: `ngrams` must be None, an int or a tuple "
                             f"of ints. Received: ngrams={ngrams!r}")
        if output_sequence_length is not None and (
                output_mode != "int" or not isinstance(output_sequence_length, int)):
            raise ValueError(
                "TextVectorization: `output_sequence_length` must be None or an int, and "
                "only with output_mode='int'. Received: output_sequence_length="
                f"{output_sequence_length!r}, output_mode={output_mode!r}")
        if sparse or ragged:
            raise ValueError("TextVectorization: sparse=True and ragged=True are not "
                             "supported: kerlite has dense tensors only. Received: "
                             f"sparse={sparse}, ragged={ragged}")
        if output_mode == "one_hot" and split is not None:
            raise ValueError("TextVectorization: output_mode='one_hot' needs split=None "
                             "(one token per text); for bags of words use 'multi_hot'.")
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        if output_sequence_length is not None:  # each sample is that many int64 ids
            check_sample_size(self, (None, output_sequence_length),
                              f"output_sequence_length={output_sequence_length}", itemsize=8)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = range(1, ngrams + 1) if isinstance(ngrams, int) else ngrams  # lazy
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            encoding=encoding, has_input_vocabulary=has_input_vocabulary,
            vocabulary_size=vocabulary_size)

    # --- vocabulary (held by the inner StringLookup) ----------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary from texts: a list or array of strings (one document
        each), or an iterable of such batches."""
        self.reset_state()
        batches, whole = batches_of(data, steps)
        for batch in batches:
            batch = self._lookup_layer._tokens_array(batch)
            if whole and batch.ndim == 1:
                batch = batch.reshape(-1, 1)
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        documents = self._preprocess(data)
        if isinstance(documents, numpy.ndarray):
            documents = (documents.reshape(1, -1) if documents.ndim < 2
                         else documents.reshape(len(documents), -1)).tolist()
        self._lookup_layer._update_from_documents(documents)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary: "" (padding, in "int" mode), "[UNK]", then the tokens."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # --- calling ---------------------------------------------------------------------
    def _preprocess(self, inputs):
        """Texts -> a token array (split=None) or one token list per text."""
        texts = text_processing.standardize(self._lookup_layer._tokens_array(inputs),
                                            self._standardize)
        if self._split is None:
            if self._ngrams is None:
                return texts
            rows = texts.reshape(1, -1) if texts.ndim < 2 else texts
            grams = [text_processing.ngrams(r, self._ngrams) for r in rows.tolist()]
            return numpy.array(grams, dtype=str).reshape(texts.shape[:-1] + (-1,))
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(
                    "TextVectorization splits strings, so its input must be 1-D (one text "
                    "per sample) or have a last axis of size 1. Received: "
                    f"inputs.shape={texts.shape}")
            texts = texts[..., 0]
        documents = text_processing.split(texts.reshape(-1), self._split)
        if self._ngrams is not None:
            documents = [text_processing.ngrams(d, self._ngrams) for d in documents]
        return documents

    def call(self, inputs):
        lookup = self._lookup_layer
        lookup._check_ready()
        texts = lookup._tokens_array(inputs)
        documents = self._preprocess(texts)
        if isinstance(documents, numpy.ndarray):  # split=None: one token per text
            if self._output_mode != "int":
                return lookup._encode(lookup._lookup(_as_samples(documents)))
            return host_tensor(self._fit_length(lookup._lookup(documents)))
        flat = numpy.array([t for d in documents for t in d], dtype=str)
        ends = numpy.cumsum([len(d) for d in documents])[:-1]
        rows = numpy.split(lookup._lookup(flat), ends) if documents else []
        if self._output_mode != "int":
            return lookup._encode(rows)
        longest = max((len(r) for r in rows), default=0)
        padded = numpy.zeros((len(rows), longest), dtype="int64")
        for row_id, row in enumerate(rows):
            padded[row_id, :len(row)] = row
        padded = self._fit_length(padded)
        return host_tensor(padded[0] if texts.ndim == 0 else padded)

    def _fit_length(self, ids):
        """Cut or zero-pad the last axis to ``output_sequence_length``, if set."""
        length = self._output_sequence_length
        if length is None or ids.ndim == 0:
            return ids
        ids = ids[..., :length]
        padding = [(0, 0)] * (ids.ndim - 1) + [(0, length - ids.shape[-1])]
        return numpy.pad(ids, padding)

    # --- shapes and config -----------------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)  # checked in __init__
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:  # one text per sample: a last axis of 1 is squeezed before splitting
            input_shape = tuple(input_shape)
            if len(input_shape) > 1 and input_shape[-1] == 1:
                input_shape = input_shape[:-1]
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        from kerlite.graph import KerasTensor

        dtype = "int64" if self._output_mode == "int" else arrays.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        config = super().get_config()
        lookup_config = self._lookup_layer.get_config()
        config.update({
            "max_tokens": self._lookup_layer.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": lookup_config["vocabulary"],
            "idf_weights": lookup_config["idf_weights"],
            "encoding": self._encoding,
            "vocabulary_size": lookup_config["vocabulary_size"],
        })
        return config

    # --- saving: the inner StringLookup's, as in Keras 3 (which also saves that layer
    # itself at "<path>/_lookup_layer", so both folders hold vocabulary.txt) -------------
    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    @classmethod
    def from_config(cls, config):
        from kerlite.serialization import serialization_lib

        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = serialization_lib.deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)


def _as_samples(tokens):
    """split=None in a vector mode: each text is a sample of one token."""
    return tokens.reshape(-1, 1) if tokens.ndim <= 1 else tokens


def _check_choice(argument, value, names):
    if value is None or callable(value) or value in names:
        return
    raise ValueError(f"TextVectorization: `{argument}` must be None, a callable or one of "
                     f"{names}. Received: {argument}={value!r}")
